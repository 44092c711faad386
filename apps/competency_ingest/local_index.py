"""Indexing a corpus folder into Qdrant with local embeddings: the knowledge base of local mode."""

from __future__ import annotations

import hashlib
from pathlib import Path

from competency_domain import corpus as corpus_format
from competency_domain.corpus import read_corpus
from genai_common import chunking, vector_store
from genai_common import embeddings as embedding_models
from genai_common.embeddings import dimensions, embeddings
from genai_common.settings import PlatformSettings
from genai_common.vector_store import index_documents, qdrant_client

SAMPLE_CORPUS = Path(__file__).with_name("sample_corpus")
DEFAULT_COLLECTION = "competency"
# The code that decides what an index holds (passages, vectors, payloads): a change to it
# makes an index stale, as a change to the corpus does.
INDEX_CODE = tuple(
    Path(module.__file__ or "")
    for module in (corpus_format, chunking, vector_store, embedding_models)
)


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


def fingerprint(corpus: Path) -> str:
    """One hash of the corpus's documents and of the code that indexes them."""
    sha = hashlib.sha256()
    for path in [*sorted(corpus.glob("*.txt*")), *INDEX_CODE, Path(__file__)]:
        sha.update(path.name.encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def index_if_changed(settings: PlatformSettings, corpus: Path, collection: str) -> int | None:
    """index_corpus unless the embedded store (QDRANT_PATH) holds this corpus's index already,
    indexed by this code; returns the passages indexed, or None when it was current."""
    if settings.qdrant_path is None:
        return index_corpus(settings, corpus, collection)
    stamp = settings.qdrant_path / f".{collection}.sha256"
    current = fingerprint(corpus)
    if stamp.exists() and stamp.read_text() == current:
        return None
    count = index_corpus(settings, corpus, collection)
    stamp.write_text(current)
    return count
