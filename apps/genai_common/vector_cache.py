"""Embedding vectors kept on disk by content, so that an unchanged catalog or corpus is never
embedded twice.

A file holds the vectors of one ordered list of texts, named by a hash of the embedding model,
its dimensions and the texts themselves: any change to what would be embedded is a new name,
so a file is never stale, only unused. Files are written whole (a temporary file renamed over
the name) and checked when read; one that cannot be read as the expected matrix is ignored, and
the next write replaces it.

A cache may also read from a folder of seeds it never writes: vectors shipped with the
repository's sample data (datasets/vectors, made by scripts/seed-vectors), so that a fresh
clone embeds nothing for the catalog and corpus it ships.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

log = logging.getLogger(__name__)


class VectorCache:
    """Vectors of ``model`` (``dimensions`` wide) under ``folder``, one file per text list;
    a file missing there is looked for under ``seeds``, which is only read."""

    def __init__(
        self, folder: Path, model: str, dimensions: int, seeds: Path | None = None
    ) -> None:
        self.folder = folder
        self.model = model
        self.dimensions = dimensions
        self.seeds = seeds

    def name(self, texts: Sequence[str]) -> str:
        """The file name of the vectors of ``texts``: the same in ``folder`` and ``seeds``."""
        sha = hashlib.sha256(f"{self.model}\0{self.dimensions}\0{len(texts)}".encode())
        for text in texts:
            # Each text's own hash, so that no split of the texts gives the same stream.
            sha.update(hashlib.sha256(text.encode()).digest())
        return f"{sha.hexdigest()}.npy"

    def path(self, texts: Sequence[str]) -> Path:
        return self.folder / self.name(texts)

    def read(self, texts: Sequence[str]) -> np.ndarray | None:
        """The vectors of ``texts``, or None when none are stored or the file is unusable."""
        vectors = self._read(self.path(texts), len(texts))
        if vectors is None and self.seeds is not None:
            vectors = self._read(self.seeds / self.name(texts), len(texts))
        return vectors

    def _read(self, path: Path, count: int) -> np.ndarray | None:
        try:
            vectors = np.load(path, allow_pickle=False)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, EOFError) as error:
            log.warning("ignoring the unreadable vector cache %s: %s", path, error)
            return None
        expected = (count, self.dimensions)
        if (
            vectors.shape != expected
            or vectors.dtype != np.float32
            or not np.isfinite(vectors).all()
        ):
            log.warning("ignoring the vector cache %s: not a %s float32 matrix", path, expected)
            return None
        return vectors

    def write(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Keep the ``vectors`` of ``texts``. A folder that cannot be written is logged, not
        raised: the vectors are only kept for next time."""
        path = self.path(texts)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        except OSError as error:
            log.warning("vectors not kept: %s", error)
            return
        try:
            with os.fdopen(descriptor, "wb") as file:
                np.save(file, np.asarray(vectors, dtype=np.float32), allow_pickle=False)
            os.replace(temporary, path)
        except OSError as error:
            log.warning("vectors not kept in %s: %s", path, error)
        finally:
            Path(temporary).unlink(missing_ok=True)  # gone already once renamed


class KnownEmbeddings(Embeddings):
    """``inner``'s document vectors, answered from ``known`` where the text is there and
    remembered there when computed. Queries always go to ``inner``."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.known: dict[str, np.ndarray] = {}

    def teach(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        self.known.update(zip(texts, vectors, strict=True))

    def forget(self) -> None:
        self.known.clear()

    def vectors(self, texts: Sequence[str]) -> np.ndarray | None:
        """The known vectors of every text, or None when any is not known."""
        if not all(text in self.known for text in texts):
            return None
        return np.stack([self.known[text] for text in texts]).astype(np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = list(dict.fromkeys(t for t in texts if t not in self.known))
        if missing:
            computed = self.inner.embed_documents(missing)
            self.teach(missing, np.asarray(computed, dtype=np.float32))
        return [self.known[text].tolist() for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


class CachedEmbeddings(Embeddings):
    """``inner``'s vectors of a whole list of documents, read from ``cache`` when it holds
    that list, else computed and written there. Queries always go to ``inner``."""

    def __init__(self, inner: Embeddings, cache: VectorCache) -> None:
        self.inner = inner
        self.cache = cache

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        stored = self.cache.read(texts)
        if stored is not None:
            return stored.tolist()
        vectors = self.inner.embed_documents(texts)
        self.cache.write(texts, np.asarray(vectors, dtype=np.float32))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)
