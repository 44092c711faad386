"""Search over a snapshot of the embedded collection with array arithmetic.

The embedded Qdrant scores the sparse vectors one product at a time in Python, checks the
filter product by product in both halves of a hybrid query, and admits one caller at a time:
about 100 ms a search, so requests queue behind each other. A snapshot holds the same points
as arrays instead: the dense vectors as one matrix (a query is one matrix-vector product),
the BM25 weights as a sparse matrix with a column per term (a query reads only its terms'
columns), and the payload as columns for the filter (payload_mask.py), evaluated once per
search for both rankings. Searches share a snapshot without a lock: nothing in it changes.

The results are the embedded Qdrant's: the same scores (cosine over the stored unit vectors;
BM25 with the IDF taken over the whole collection, summed in term order and kept as float32),
the same order (its sort, so equal scores come out as they do there), products sharing no
term with the query left out of the sparse ranking, and the same fusion function.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from qdrant_client import models
from qdrant_client.hybrid.fusion import reciprocal_rank_fusion
from scipy import sparse as scipy_sparse
from threadpoolctl import threadpool_limits

from shop_rag.payload_mask import Mask, PayloadMask

Ranking = list[tuple[int, float]]  # (row of the snapshot, score), best first
Point = models.Record | models.PointStruct


class LocalSnapshot:
    """The points of a collection with a dense vector named ``dense`` and a sparse one named
    ``sparse``, searchable without Qdrant."""

    def __init__(self, points: Sequence[Point], dense: str, sparse: str) -> None:
        _one_blas_thread()
        self._points, self._names = list(points), (dense, sparse)
        self.ids = [point.id for point in points]
        self.payloads = [point.payload or {} for point in points]
        self.mask = PayloadMask(self.payloads, self.ids, (dense, sparse))
        vectors = [_named(point, dense) for point in points]
        # float64, as the embedded store multiplies its vectors with a query it keeps as float64;
        # unit length, as it stores them for cosine similarity.
        self._dense = np.array(vectors, dtype=np.float64)
        if len(self._dense):
            norms = np.linalg.norm(self._dense, axis=1, keepdims=True)
            self._dense /= np.where(norms > 0, norms, 1)
        documents = [_named(point, sparse) for point in points]
        self._terms = {
            term: column
            for column, term in enumerate(sorted({i for d in documents for i in d.indices}))
        }
        rows = np.repeat(np.arange(len(documents)), [len(d.indices) for d in documents])
        columns = [self._terms[i] for d in documents for i in d.indices]
        values = [v for d in documents for v in d.values]
        self._weights = scipy_sparse.csc_matrix(
            (np.array(values, dtype=np.float64), (rows, np.array(columns, dtype=np.intp))),
            shape=(len(documents), len(self._terms)),
        )
        self._weights.sort_indices()
        self._document_frequency = np.diff(self._weights.indptr)

    def __len__(self) -> int:
        return len(self.ids)

    def with_points(self, points: Sequence[Point]) -> LocalSnapshot:
        """This snapshot with ``points`` written to it, as an upsert writes them to the store:
        a point replaces the one with its id, in its place, or is added. Cheaper than reading
        the collection again after every batch of a load that searches go on during."""
        written = {point.id: point for point in points}
        merged = [written.pop(point.id, point) for point in self._points]
        return LocalSnapshot([*merged, *written.values()], *self._names)

    def dense_ranking(self, query: Sequence[float], admitted: Mask, depth: int) -> Ranking:
        """The ``depth`` admitted products nearest to ``query`` by cosine similarity."""
        if not len(self):
            return []
        vector = np.array(query, dtype=np.float64)
        norm = np.linalg.norm(vector)
        scores = self._dense @ (vector / norm if norm else vector)
        return _ranked(scores, admitted, depth)

    def sparse_ranking(self, query: models.SparseVector, admitted: Mask, depth: int) -> Ranking:
        """The ``depth`` admitted products sharing a term with ``query``, best by BM25 (the
        query's values times each term's IDF, times the products' term weights)."""
        count = len(self)
        # A term no product holds adds nothing to any score.
        known = sorted(
            (self._terms[i], v)
            for i, v in zip(query.indices, query.values, strict=True)
            if i in self._terms
        )
        if not known:
            return []
        columns = [column for column, _ in known]
        weights = np.array(
            [v * _idf(int(self._document_frequency[column]), count) for column, v in known]
        )
        matched = self._weights[:, columns]
        scores = (matched @ weights).astype(np.float32)
        shares_a_term = np.bincount(matched.indices, minlength=count) > 0
        scores[~shares_a_term] = -np.inf
        return _ranked(scores, admitted & shares_a_term, depth)


def fused(rankings: Sequence[Ranking], limit: int) -> Ranking:
    """Reciprocal rank fusion of ``rankings``: Qdrant's own function, as a hybrid query runs."""
    responses = [
        [models.ScoredPoint(id=row, version=0, score=score) for row, score in ranking]
        for ranking in rankings
    ]
    return [(int(point.id), point.score) for point in reciprocal_rank_fusion(responses, limit)]


@functools.cache
def _one_blas_thread() -> None:
    """Searches run in the request threads, many at once: BLAS's own threads on top only
    contend with them (a product of 3,000 vectors took 20 ms instead of 1.5 ms on two busy
    cores). Process-wide, as BLAS's thread count is."""
    threadpool_limits(limits=1, user_api="blas")


def _ranked(scores: np.ndarray[Any, Any], admitted: Mask, depth: int) -> Ranking:
    # The embedded store's order: its (unstable) sort of every score, best first, then the
    # admitted ones; sorting only the admitted would order equal scores differently.
    order = np.argsort(scores)[::-1]
    best = order[admitted[order]][:depth]
    return [(int(row), float(scores[row])) for row in best]


def _idf(document_frequency: int, documents: int) -> float:
    return math.log((documents - document_frequency + 0.5) / (document_frequency + 0.5) + 1)


def _named(point: Point, name: str) -> Any:
    vectors = point.vector
    if not isinstance(vectors, dict) or name not in vectors:
        raise ValueError(f"point {point.id} has no vector named {name!r}")
    return vectors[name]
