"""Loading a parsed catalog into the store, batch by batch, reporting progress.

A catalog's vectors are kept by content (genai_common.vector_cache): loading a catalog whose
vectors are kept embeds nothing; a load that saw every product's vector keeps them for the
next. While a load runs, searches answer from the products stored so far (Qdrant serves
each batch once upserted), and ``/healthz`` says how far it has got.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from botocore.exceptions import BotoCoreError, ClientError
from genai_common.vector_cache import KnownEmbeddings, VectorCache

from shop_rag.catalog import Product
from shop_rag.errors import UpstreamError, embeddings_target
from shop_rag.store import ProductStore


@dataclass(frozen=True)
class Progress:
    read: int  # products in the file
    done: int  # products handled so far
    upserted: int
    unchanged: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class CatalogState:
    """The latest load as ``/healthz`` reports it."""

    state: Literal["none", "loading", "loaded", "failed"] = "none"
    source: str | None = None
    done: int = 0
    total: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class CatalogStatus:
    """The latest load's state, written by the loading thread and read by any request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = CatalogState()

    def get(self) -> CatalogState:
        with self._lock:
            return self._state

    def track(self, progress: Iterator[Progress], source: str, total: int) -> Iterator[Progress]:
        """``progress``, recording each step as the latest load of ``source``."""
        self._set(state="loading", source=source, done=0, total=total)
        try:
            for step in progress:
                self._set(done=step.done, total=step.read)
                yield step
        except BaseException:
            # Also when the client that asked goes away mid-stream (GeneratorExit).
            self._set(state="failed")
            raise
        self._set(state="loaded")

    def _set(self, **changes: Any) -> None:
        with self._lock:
            self._state = replace(self._state, **changes)


@dataclass(frozen=True)
class KeptVectors:
    """Where vectors are kept (``cache``) and the store's embeddings that reuse them."""

    cache: VectorCache
    embeddings: KnownEmbeddings


def load(
    store: ProductStore,
    products: Sequence[Product],
    batch_size: int,
    embeddings_model: str,
    kept: KeptVectors | None = None,
) -> Iterator[Progress]:
    """Upsert ``products`` in batches, yielding the running totals after each batch.

    A failed embedding call raises UpstreamError; the batches before it stay stored, and a
    new load skips them as unchanged.
    """
    texts = [p.text() for p in products]
    stored = kept.cache.read(texts) if kept else None
    if kept and stored is not None:
        kept.embeddings.teach(texts, stored)
    done = upserted = unchanged = 0
    try:
        for start in range(0, len(products), batch_size):
            try:
                result = store.upsert(products[start : start + batch_size])
            except (ClientError, BotoCoreError) as error:
                raise UpstreamError(error, embeddings_target(embeddings_model)) from error
            done += result.upserted + result.unchanged
            upserted += result.upserted
            unchanged += result.unchanged
            yield Progress(len(products), done, upserted, unchanged)
        # Products skipped as unchanged were not embedded: the vectors are kept only when
        # this load saw them all.
        if kept and stored is None and (vectors := kept.embeddings.vectors(texts)) is not None:
            kept.cache.write(texts, vectors)
    finally:
        if kept:
            kept.embeddings.forget()
