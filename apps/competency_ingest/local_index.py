"""Indexing a corpus folder into Qdrant with local embeddings: the knowledge base of local mode."""

from __future__ import annotations

from pathlib import Path

from genai_common.embeddings import dimensions, embeddings
from genai_common.settings import PlatformSettings
from genai_common.vector_store import index_documents, qdrant_client

from competency_ingest.corpus import read_corpus

SAMPLE_CORPUS = Path(__file__).with_name("sample_corpus")
DEFAULT_COLLECTION = "competency"


def index_corpus(settings: PlatformSettings, corpus: Path, collection: str) -> int:
    """Replace ``collection`` with the passages of ``corpus``; returns how many were indexed."""
    documents = [d.to_langchain() for d in read_corpus(corpus)]
    if not documents:
        raise ValueError(f"{corpus} holds no *.txt documents")
    client = qdrant_client(settings)
    try:
        return index_documents(
            client, collection, documents, embeddings(settings), dimensions(settings)
        )
    finally:
        client.close()
