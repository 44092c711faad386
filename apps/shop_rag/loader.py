"""Loading a parsed catalog into the store, batch by batch, reporting progress."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass

from botocore.exceptions import BotoCoreError, ClientError

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


def load(
    store: ProductStore, products: Sequence[Product], batch_size: int, embeddings_model: str
) -> Iterator[Progress]:
    """Upsert ``products`` in batches, yielding the running totals after each batch.

    A failed embedding call raises UpstreamError; the batches before it stay stored, and a
    new load skips them as unchanged.
    """
    done = upserted = unchanged = 0
    for start in range(0, len(products), batch_size):
        try:
            result = store.upsert(products[start : start + batch_size])
        except (ClientError, BotoCoreError) as error:
            raise UpstreamError(error, embeddings_target(embeddings_model)) from error
        done += result.upserted + result.unchanged
        upserted += result.upserted
        unchanged += result.unchanged
        yield Progress(len(products), done, upserted, unchanged)
