"""Indexing and searching an embedded Qdrant store with a small deterministic embedding:
by meaning (dense), by keywords (sparse BM25) and both fused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from genai_common.chunking import terms
from genai_common.settings import PlatformSettings, load_settings
from genai_common.vector_store import (
    index_documents,
    keyword_query,
    keyword_vectors,
    qdrant_client,
    search,
)
from hypothesis import given
from hypothesis import strategies as st
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
    hits = search(client, "docs", 2, dense=BagOfWords().embed_query("threat detection"))
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


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("QDRANT_PATH", str(tmp_path / "store"))
    client = qdrant_client(load_settings(PlatformSettings))
    yield client
    client.close()


def documents(*texts: str) -> list[Document]:
    return [Document(t, metadata={"document_id": f"d{i}"}) for i, t in enumerate(texts)]


def ids(hits: list[Document]) -> list[str]:
    return [h.metadata["document_id"] for h in hits]


def test_keyword_search_weighs_rare_terms_above_repeated_common_ones(store: Any) -> None:
    # Without IDF, d0's five "partner"s would outweigh d2's single "macie".
    docs = documents(
        "partner partner partner partner partner", "partner program", "macie scans buckets"
    )
    index_documents(store, "docs", docs, BagOfWords(), len(VOCABULARY))
    hits = search(store, "docs", 3, sparse=keyword_query("Which partners use Macie?"))
    assert ids(hits)[0] == "d2"


def test_keyword_search_folds_plurals_and_ignores_stop_words(store: Any) -> None:
    index_documents(store, "docs", documents("case studies", "the of and"), BagOfWords(), 6)
    assert ids(search(store, "docs", 2, sparse=keyword_query("a case study"))) == ["d0"]
    assert search(store, "docs", 2, sparse=keyword_query("the and of")) == []


def test_hybrid_search_fuses_what_each_search_finds_alone(store: Any) -> None:
    # BagOfWords sees "kinesis" but not "firehose"; keywords see both.
    docs = documents(
        "kinesis kinesis stream", "firehose delivery", "guardduty threat", "lex bot answers"
    )
    index_documents(store, "docs", docs, BagOfWords(), len(VOCABULARY))
    question = "kinesis firehose"
    dense = BagOfWords().embed_query(question)
    assert ids(search(store, "docs", 1, dense=dense)) == ["d0"]
    assert ids(search(store, "docs", 1, sparse=keyword_query("firehose"))) == ["d1"]
    fused = search(store, "docs", 2, dense=dense, sparse=keyword_query(question))
    assert sorted(ids(fused)) == ["d0", "d1"]


@given(st.lists(st.text(alphabet="abc xyz.", max_size=60), min_size=1, max_size=6))
def test_keyword_weights_saturate_and_match_the_query_terms(texts: list[str]) -> None:
    for text, vector in zip(texts, keyword_vectors(texts), strict=True):
        assert len(set(vector.indices)) == len(vector.indices) == len(set(terms(text)))
        assert all(0 < w < 2.2 for w in vector.values), "BM25 weights stay below k1 + 1"
        assert sorted(keyword_query(text).indices) == sorted(vector.indices)
