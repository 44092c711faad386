"""Indexing and searching an embedded Qdrant store with a small deterministic embedding."""

from __future__ import annotations

from pathlib import Path

import pytest
from genai_common.settings import PlatformSettings, load_settings
from genai_common.vector_store import index_documents, qdrant_client, search
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

VOCABULARY = ["kinesis", "stream", "guardduty", "threat", "lex", "bot"]


class BagOfWords(Embeddings):
    """Counts of a few words: enough to make nearest neighbours predictable."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[float(t.lower().count(w)) + 0.01 for w in VOCABULARY] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


DOCS = [
    Document(
        "Kinesis stream processing with a stream of records.",
        metadata={"document_id": "streaming", "program": "data"},
    ),
    Document(
        "GuardDuty threat detection finds a threat.",
        metadata={"document_id": "threats", "program": "security"},
    ),
    Document(
        "A Lex bot answers; the bot hands over.",
        metadata={"document_id": "bots", "program": "conversational-ai"},
    ),
]


def test_search_returns_the_nearest_passage_with_its_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QDRANT_PATH", str(tmp_path / "store"))
    client = qdrant_client(load_settings(PlatformSettings))
    assert index_documents(client, "docs", DOCS, BagOfWords(), len(VOCABULARY)) == 3
    hits = search(client, "docs", BagOfWords().embed_query("threat detection"), limit=2)
    assert hits[0].metadata["document_id"] == "threats"
    assert hits[0].page_content == DOCS[1].page_content
    assert (
        hits[0].metadata["program"] == "security"
        and hits[0].metadata["score"] > hits[1].metadata["score"]
    )
    # Indexing again replaces the collection instead of adding duplicates.
    index_documents(client, "docs", DOCS, BagOfWords(), len(VOCABULARY))
    assert client.count("docs").count == 3
    client.close()


def test_a_store_must_be_configured() -> None:
    with pytest.raises(ValueError, match="QDRANT_URL"):
        qdrant_client(load_settings(PlatformSettings))
