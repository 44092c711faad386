"""The vector-store factory: a Qdrant server by URL, or an embedded Qdrant in a local folder.

Documents are indexed as passages with their metadata in the point payload, so a search
returns LangChain ``Document`` objects that carry where each passage came from.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from genai_common.chunking import split_text
from genai_common.settings import PlatformSettings

if TYPE_CHECKING:
    from qdrant_client import QdrantClient

TEXT_KEY = "text"
_NAMESPACE = uuid.UUID("6f1c3a57-2f0e-4d8e-9a51-0c3b3c1f7e21")


def qdrant_client(settings: PlatformSettings) -> QdrantClient:
    """A client for ``QDRANT_URL``, or for the embedded store at ``QDRANT_PATH``.

    An embedded store is locked by the process that opens it: open it once per process.
    """
    from qdrant_client import QdrantClient

    if settings.qdrant_url is not None:
        return QdrantClient(url=str(settings.qdrant_url), timeout=int(settings.aws_read_timeout))
    if settings.qdrant_path is not None:
        settings.qdrant_path.mkdir(parents=True, exist_ok=True)
        return QdrantClient(path=str(settings.qdrant_path))
    raise ValueError("Set QDRANT_URL (a Qdrant server) or QDRANT_PATH (an embedded store).")


def index_documents(
    client: QdrantClient,
    collection: str,
    documents: Iterable[Document],
    embeddings: Embeddings,
    dimensions: int,
    max_words: int = 200,
    overlap_words: int = 40,
) -> int:
    """Replace ``collection`` with the passages of ``documents``; returns how many were stored.

    Point ids derive from the document id and passage number, so indexing twice stores the
    same points rather than duplicates.
    """
    from qdrant_client import models

    passages: list[Document] = []
    for document in documents:
        key = str(document.metadata.get("document_id") or document.id or document.page_content)
        for number, text in enumerate(split_text(document.page_content, max_words, overlap_words)):
            metadata = {**document.metadata, "passage": number}
            passages.append(Document(page_content=text, metadata=metadata, id=f"{key}#{number}"))

    if client.collection_exists(collection):
        client.delete_collection(collection)
    client.create_collection(
        collection,
        vectors_config=models.VectorParams(size=dimensions, distance=models.Distance.COSINE),
    )
    if not passages:
        return 0
    vectors = embeddings.embed_documents([p.page_content for p in passages])
    client.upsert(
        collection,
        points=[
            models.PointStruct(
                id=str(uuid.uuid5(_NAMESPACE, str(p.id))),
                vector=vector,
                payload={TEXT_KEY: p.page_content, **p.metadata},
            )
            for p, vector in zip(passages, vectors, strict=True)
        ],
    )
    return len(passages)


def search(
    client: QdrantClient, collection: str, query_vector: list[float], limit: int
) -> list[Document]:
    """The ``limit`` passages nearest to ``query_vector``, best first, with their score."""
    hits = client.query_points(collection, query=query_vector, limit=limit, with_payload=True)
    documents = []
    for point in hits.points:
        payload = dict(point.payload or {})
        text = str(payload.pop(TEXT_KEY, ""))
        documents.append(Document(page_content=text, metadata={**payload, "score": point.score}))
    return documents
