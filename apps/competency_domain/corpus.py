"""Corpus documents on disk: ``<id>.txt`` plus the ``<id>.txt.metadata.json`` sidecar that
Bedrock knowledge bases read, with attributes retrieval can filter on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from langchain_core.documents import Document

SIDECAR_SUFFIX = ".metadata.json"


@dataclass(frozen=True)
class CorpusDocument:
    """One document: its id (file stem), text, and metadata (program, title, source_url, fetched_at)."""

    document_id: str
    text: str
    metadata: dict[str, str]

    @property
    def file_name(self) -> str:
        return f"{self.document_id}.txt"

    def sidecar(self) -> str:
        return json.dumps({"metadataAttributes": self.metadata}, indent=2, sort_keys=True) + "\n"

    def to_langchain(self) -> Document:
        return Document(
            page_content=self.text,
            metadata={**self.metadata, "document_id": self.document_id},
            id=self.document_id,
        )


def write_corpus(documents: list[CorpusDocument], folder: Path) -> list[Path]:
    """Write each document and its sidecar into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for document in documents:
        text_path = folder / document.file_name
        text_path.write_text(document.text + "\n", encoding="utf-8")
        sidecar_path = folder / (document.file_name + SIDECAR_SUFFIX)
        sidecar_path.write_text(document.sidecar(), encoding="utf-8")
        written += [text_path, sidecar_path]
    return written


def read_corpus(folder: Path) -> list[CorpusDocument]:
    """Every ``*.txt`` document of ``folder`` with its sidecar's attributes, sorted by id."""
    documents = []
    for text_path in sorted(folder.glob("*.txt")):
        sidecar_path = text_path.with_name(text_path.name + SIDECAR_SUFFIX)
        if not sidecar_path.exists():
            raise ValueError(f"{text_path} has no {sidecar_path.name}")
        attributes = json.loads(sidecar_path.read_text(encoding="utf-8"))["metadataAttributes"]
        documents.append(
            CorpusDocument(
                document_id=text_path.stem,
                text=text_path.read_text(encoding="utf-8").strip(),
                metadata={str(k): str(v) for k, v in attributes.items()},
            )
        )
    return documents
