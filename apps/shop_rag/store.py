"""The product store: one Qdrant point per product, searchable by meaning, keywords or both.

Each point holds the product's fields as payload, a dense embedding of its text and a
sparse vector of its terms weighted the BM25 way; Qdrant multiplies in the terms' IDF at
query time. The point id derives from the product id, so loading a product again replaces
it; a hash of the product and the embedding model in the payload lets a reload skip the
products that did not change, without embedding them again.
"""

from __future__ import annotations

import threading
import uuid
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
from genai_common.chunking import terms
from langchain_core.embeddings import Embeddings
from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import ApiException, ResponseHandlingException

from shop_rag.catalog import Product
from shop_rag.errors import ServiceError
from shop_rag.local_search import LocalSnapshot, Ranking, fused
from shop_rag.settings import SearchType, ShopSettings

if TYPE_CHECKING:
    from pydantic import SecretStr

DENSE, SPARSE = "dense", "sparse"
HASH_KEY = "content_hash"
_NAMESPACE = uuid.UUID("5b0e6f1c-8a3d-4d55-9f2e-7c41d2a9b8e3")
# BM25's customary constants. The length normalisation uses a fixed average instead of the
# collection's, so that a product's vector depends on the product alone: a product that did
# not change keeps a valid vector whatever else a reload brings.
_K1, _B = 1.2, 0.75
_AVERAGE_TERMS = 45.0
# Each ranking fused by RRF is this deep, so a product that both rank fairly well can
# overtake one that only a single ranking puts first.
_FUSION_DEPTH = 20
# Payload fields the query filters use: a server indexes them (embedded Qdrant has no
# payload indexes and filters by scanning).
_INDEXED = {
    "price": models.PayloadSchemaType.FLOAT,
    "sizes": models.PayloadSchemaType.KEYWORD,
    "stock": models.PayloadSchemaType.INTEGER,
    "category": models.PayloadSchemaType.KEYWORD,
    "colors": models.PayloadSchemaType.KEYWORD,
    "product_id": models.PayloadSchemaType.KEYWORD,
}


class StoreError(ServiceError):
    """Qdrant is unreachable or refused a call (503), or holds a collection this service
    cannot use (409)."""

    status = 503


def point_id(product_id: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, product_id))


def _term_id(term: str) -> int:
    return zlib.crc32(term.encode())  # Qdrant's sparse indices are 32-bit


def sparse_document(text: str) -> models.SparseVector:
    """BM25 term weights of a product's text (the term-frequency half of BM25)."""
    counts = Counter(terms(text))
    discount = _K1 * (1 - _B + _B * counts.total() / _AVERAGE_TERMS)
    weights: dict[int, float] = {}
    for term, n in counts.items():
        index = _term_id(term)
        weights[index] = weights.get(index, 0.0) + n * (_K1 + 1) / (n + discount)
    return models.SparseVector(indices=list(weights), values=list(weights.values()))


def sparse_query(text: str) -> models.SparseVector:
    """The query side of BM25: each distinct term once (Qdrant multiplies in its IDF)."""
    indices = sorted({_term_id(term) for term in terms(text)})
    return models.SparseVector(indices=indices, values=[1.0] * len(indices))


def open_client(settings: ShopSettings) -> QdrantClient:
    """A client for QDRANT_URL (with QDRANT_API_KEY), or for the embedded store at QDRANT_PATH.

    An embedded store is locked by the process that opens it: open it once per process.
    """
    if settings.qdrant_url is not None:
        key: SecretStr | None = settings.qdrant_api_key
        return QdrantClient(
            url=str(settings.qdrant_url),
            api_key=key.get_secret_value() if key else None,
            timeout=int(settings.aws_read_timeout),
            # The API starts whether or not Qdrant is up yet (/healthz tells); the version
            # check would make every start wait for, and warn about, an unready server.
            check_compatibility=False,
        )
    assert settings.qdrant_path is not None  # guaranteed by ShopSettings
    settings.qdrant_path.mkdir(parents=True, exist_ok=True)
    return QdrantClient(path=str(settings.qdrant_path))


@dataclass(frozen=True)
class Hit:
    product: Product
    score: float


@dataclass(frozen=True)
class BatchResult:
    upserted: int
    unchanged: int


class ProductStore:
    """The products of one collection. Safe to share between threads: calls to an embedded
    store, which is not, are serialised. An embedded store is searched through a snapshot of
    it as arrays (local_search.py), replaced by each write, which searches share without the
    lock."""

    def __init__(
        self,
        client: QdrantClient,
        collection: str,
        embeddings: Embeddings,
        dimensions: int,
        model: str,
        *,
        embedded: bool,
        concurrency: int = 1,
    ) -> None:
        self.client = client
        self.collection = collection
        self.embeddings = embeddings
        self.dimensions = dimensions
        self.model = model
        self.concurrency = concurrency
        self._ready = False
        self.embedded = embedded
        self._lock: AbstractContextManager[object] = (
            threading.RLock() if embedded else nullcontext()
        )
        self._snapshot: LocalSnapshot | None = None

    @contextmanager
    def _calling(self) -> Iterator[None]:
        """Serialise calls to an embedded store; report a server's failures as StoreError."""
        with self._lock:
            try:
                yield
            except ResponseHandlingException as error:
                raise StoreError(f"Qdrant could not be reached: {error.source}") from error
            except ApiException as error:
                raise StoreError(
                    f"Qdrant failed on collection {self.collection}: {error}"
                ) from error
            except (httpx.HTTPError, OSError) as error:
                raise StoreError(f"Qdrant could not be reached: {error}") from error

    def count(self) -> int | None:
        """How many products the collection holds, or None when it does not exist yet."""
        with self._calling():
            if not self.client.collection_exists(self.collection):
                return None
            return self.client.count(self.collection, exact=True).count

    def ready(self) -> bool:
        """Whether the collection exists (remembered once it does: this service never
        deletes it)."""
        if not self._ready:
            with self._calling():
                self._ready = self.client.collection_exists(self.collection)
        return self._ready

    def ensure_collection(self) -> None:
        """Create the collection if it is missing; never recreate it (a reload keeps what it
        holds). A collection made for vectors of another size is refused."""
        with self._calling():
            if self.client.collection_exists(self.collection):
                self._check_dimensions()
                self._ready = True
                return
            self.client.create_collection(
                self.collection,
                vectors_config={
                    DENSE: models.VectorParams(
                        size=self.dimensions, distance=models.Distance.COSINE
                    )
                },
                sparse_vectors_config={
                    SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)
                },
            )
            if not self.embedded:
                for field, schema in _INDEXED.items():
                    self.client.create_payload_index(self.collection, field, field_schema=schema)
            self._ready = True

    def _check_dimensions(self) -> None:
        vectors = self.client.get_collection(self.collection).config.params.vectors
        dense = vectors.get(DENSE) if isinstance(vectors, dict) else None
        if dense is None or dense.size != self.dimensions:
            found = f"{dense.size}-dimension" if dense else "no dense"
            raise StoreError(
                f"collection {self.collection} holds {found} vectors; the configured embeddings "
                f"produce {self.dimensions}. Set SHOP_COLLECTION to a new collection name.",
                status=409,
            )

    def upsert(self, products: Sequence[Product]) -> BatchResult:
        """Store ``products``, embedding only those that are new or changed."""
        hashes = {p.product_id: p.content_hash(self.model) for p in products}
        with self._calling():
            stored = self.client.retrieve(
                self.collection,
                ids=[point_id(p.product_id) for p in products],
                with_payload=[HASH_KEY],
                with_vectors=False,
            )
        current = {str(point.id): (point.payload or {}).get(HASH_KEY) for point in stored}
        changed = [
            p for p in products if current.get(point_id(p.product_id)) != hashes[p.product_id]
        ]
        if not changed:
            return BatchResult(upserted=0, unchanged=len(products))
        texts = [p.text() for p in changed]
        dense = self.embed(texts)
        points = [
            models.PointStruct(
                id=point_id(p.product_id),
                vector={DENSE: vector, SPARSE: sparse_document(text)},
                payload={**p.model_dump(mode="json"), HASH_KEY: hashes[p.product_id]},
            )
            for p, text, vector in zip(changed, texts, dense, strict=True)
        ]
        with self._calling():
            self.client.upsert(self.collection, points=points, wait=True)
            if self._snapshot is not None:
                self._snapshot = self._snapshot.with_points(points)
        return BatchResult(upserted=len(changed), unchanged=len(products) - len(changed))

    def products(self, page: int = 256) -> Iterator[Product]:
        """Every stored product, in pages of ``page`` (none while the collection is missing)."""
        if not self.ready():
            return
        offset: models.ExtendedPointId | None = None
        while True:
            with self._calling():
                points, offset = self.client.scroll(
                    self.collection, limit=page, offset=offset, with_payload=True
                )
            for point in points:
                payload = {k: v for k, v in (point.payload or {}).items() if k != HASH_KEY}
                yield Product.model_validate(payload)
            if offset is None:
                return

    def embed(self, texts: list[str]) -> list[list[float]]:
        """Dense vectors of ``texts``, in ``concurrency`` slices at once (Bedrock's Titan takes
        one text per call, so a batch is as fast as its calls in flight)."""
        if self.concurrency == 1 or len(texts) < 2:
            return self.embeddings.embed_documents(texts)
        size = -(-len(texts) // self.concurrency)
        slices = [texts[i : i + size] for i in range(0, len(texts), size)]
        with ThreadPoolExecutor(len(slices), thread_name_prefix="embed") as pool:
            return [v for part in pool.map(self.embeddings.embed_documents, slices) for v in part]

    def search(
        self,
        query: str,
        search_type: SearchType,
        limit: int,
        query_filter: models.Filter | None = None,
    ) -> list[Hit]:
        """The ``limit`` products that best match ``query`` among those ``query_filter``
        admits: nearest by embedding (dense), best by BM25 (sparse), or both rankings fused
        by reciprocal rank (hybrid). A query of stop words only has no keywords: hybrid
        falls back to dense, and sparse finds nothing."""
        sparse = sparse_query(query) if search_type != "dense" else None
        if sparse is not None and not sparse.indices:
            if search_type == "sparse":
                return []
            sparse = None
        dense = self.embeddings.embed_query(query) if search_type != "sparse" else None
        if self.embedded:
            return self._search_snapshot(dense, sparse, limit, query_filter)
        with self._calling():
            if dense is not None and sparse is not None:
                depth = max(limit, _FUSION_DEPTH)
                response = self.client.query_points(
                    self.collection,
                    prefetch=[
                        models.Prefetch(query=dense, using=DENSE, limit=depth, filter=query_filter),
                        models.Prefetch(
                            query=sparse, using=SPARSE, limit=depth, filter=query_filter
                        ),
                    ],
                    query=models.FusionQuery(fusion=models.Fusion.RRF),
                    limit=limit,
                    with_payload=True,
                )
            else:
                response = self.client.query_points(
                    self.collection,
                    query=dense if dense is not None else sparse,
                    using=DENSE if dense is not None else SPARSE,
                    query_filter=query_filter,
                    limit=limit,
                    with_payload=True,
                )
        return [Hit(_product(point.payload or {}), point.score) for point in response.points]

    def _search_snapshot(
        self,
        dense: list[float] | None,
        sparse: models.SparseVector | None,
        limit: int,
        query_filter: models.Filter | None,
    ) -> list[Hit]:
        """:meth:`search` over the snapshot: the filter evaluated once for both rankings."""
        snapshot = self._current_snapshot()
        admitted = snapshot.mask(query_filter)
        ranking: Ranking
        if dense is not None and sparse is not None:
            depth = max(limit, _FUSION_DEPTH)
            ranking = fused(
                [
                    snapshot.dense_ranking(dense, admitted, depth),
                    snapshot.sparse_ranking(sparse, admitted, depth),
                ],
                limit,
            )
        elif dense is not None:
            ranking = snapshot.dense_ranking(dense, admitted, limit)
        else:
            assert sparse is not None
            ranking = snapshot.sparse_ranking(sparse, admitted, limit)
        return [Hit(_product(snapshot.payloads[row]), score) for row, score in ranking]

    def _current_snapshot(self) -> LocalSnapshot:
        """The embedded collection as arrays: read once, then kept up to date by each write."""
        with self._calling():
            if self._snapshot is None:
                points: list[models.Record] = []
                offset: models.ExtendedPointId | None = None
                while True:
                    page, offset = self.client.scroll(
                        self.collection,
                        limit=1024,
                        offset=offset,
                        with_payload=True,
                        with_vectors=True,
                    )
                    points += page
                    if offset is None:
                        break
                self._snapshot = LocalSnapshot(points, DENSE, SPARSE)
            return self._snapshot


def _product(payload: dict[str, object]) -> Product:
    return Product.model_validate({k: v for k, v in payload.items() if k != HASH_KEY})
