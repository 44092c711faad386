"""Where a passage came from, the same whichever retriever or API returned it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from langchain_core.documents import Document

SNIPPET_CHARS = 280


@dataclass(frozen=True)
class Source:
    """A cited passage: its program, title, URL, document id, a snippet and the score."""

    program: str
    title: str
    url: str
    document: str
    snippet: str
    score: float | None = None


def _document_id(uri: str) -> str:
    name = uri.rstrip("/").rsplit("/", 1)[-1]
    return name.removesuffix(".txt")


def source_from(
    text: str, metadata: dict[str, Any], location: dict[str, Any] | None = None
) -> Source:
    """A :class:`Source` from a passage's text, its metadata attributes and its location.

    Bedrock puts the sidecar's attributes in the metadata and the S3 object in the location;
    the local store keeps the same attributes in the point's payload.
    """
    s3_uri = ((location or {}).get("s3Location") or {}).get("uri", "")
    s3_uri = s3_uri or str(metadata.get("x-amz-bedrock-kb-source-uri", ""))
    snippet = " ".join(text.split())
    if len(snippet) > SNIPPET_CHARS:
        snippet = snippet[: SNIPPET_CHARS - 1].rsplit(" ", 1)[0] + "…"
    score = metadata.get("score")
    return Source(
        program=str(metadata.get("program_name") or metadata.get("program") or "unknown program"),
        title=str(metadata.get("title") or _document_id(s3_uri) or "untitled"),
        url=str(metadata.get("source_url") or s3_uri),
        document=str(metadata.get("document_id") or _document_id(s3_uri)),
        snippet=snippet,
        score=float(score) if isinstance(score, int | float) else None,
    )


def source_of(document: Document) -> Source:
    """The source of a retriever's document (AmazonKnowledgeBasesRetriever or the local one)."""
    metadata = dict(document.metadata)
    attributes = {**metadata.pop("source_metadata", {}), **metadata}
    return source_from(document.page_content, attributes, metadata.get("location"))
