"""Indexing a corpus folder into Qdrant with local embeddings: the knowledge base of local mode."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from competency_domain import corpus as corpus_format
from competency_domain.corpus import read_corpus
from genai_common import chunking, vector_store
from genai_common import embeddings as embedding_models
from genai_common.embeddings import dimensions, embeddings, identity
from genai_common.settings import PlatformSettings
from genai_common.vector_cache import CachedEmbeddings, VectorCache
from genai_common.vector_store import index_documents, qdrant_client
from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from qdrant_client import QdrantClient

SAMPLE_CORPUS = Path(__file__).with_name("sample_corpus")
DEFAULT_COLLECTION = "competency"
# Each sentence is indexed headed by its program's name, so that a sentence stating a rule
# every program has ("findings must be remediated within 45 days") still says whose it is.
SENTENCE_HEADING = "program_name"
# The code that decides what an index holds (passages, vectors, payloads): a change to it
# makes an index stale, as a change to the corpus does.
INDEX_CODE = tuple(
    Path(module.__file__ or "")
    for module in (corpus_format, chunking, vector_store, embedding_models)
)


def index_corpus(settings: PlatformSettings, corpus: Path, collection: str) -> int:
    """Replace ``collection`` with the passages of ``corpus``; returns how many were indexed."""
    model = embeddings(settings)
    if settings.embeddings_cache_dir is not None:
        # Passages embedded before (same texts, same model) are read back, not embedded: a
        # change to the indexing code that leaves the passages alone costs no embedding.
        cache = VectorCache(
            settings.embeddings_cache_dir,
            identity(settings),
            dimensions(settings),
            settings.embeddings_seed_dir,
        )
        model = CachedEmbeddings(model, cache)
    client = qdrant_client(settings)
    try:
        return index_into(client, corpus, collection, model, dimensions(settings))
    finally:
        client.close()


def index_into(
    client: QdrantClient, corpus: Path, collection: str, model: Embeddings, dimensions: int
) -> int:
    """Replace ``collection`` in ``client`` with the passages of ``corpus``, embedded by
    ``model``; returns how many were indexed."""
    documents = [d.to_langchain() for d in read_corpus(corpus)]
    if not documents:
        raise ValueError(f"{corpus} holds no *.txt documents")
    return index_documents(
        client, collection, documents, model, dimensions, sentence_heading=SENTENCE_HEADING
    )


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
