"""The embedded store's array search returns what the embedded Qdrant returns, on the shipped
catalog, for questions with and without the filters the query code builds; and any filter
built from Qdrant's models admits exactly the products Qdrant's own check admits.

Dense vectors here come from a cheap deterministic embedding (hashed words), not the model:
both searches read the same stored vectors, so equality does not depend on which model made
them, and the whole catalog loads in seconds.

Many products tie on BM25 score, and both searches put equal scores in the order their sort
leaves them in, which follows where each point is kept. The embedded store keeps points in
the order they were written, which no API shows, and the snapshot keeps them in id order: the
products are written in id order here, so that ties come out alike and every ranking, fused
ones included, can be compared exactly. Dense scores agree to float32 precision (the
embedded store renormalises its stored vectors as it searches).
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Iterator

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings
from qdrant_client import QdrantClient, models
from qdrant_client.local.payload_filters import check_filter
from shop_rag.catalog import Product, parse_catalog
from shop_rag.query import constraints
from shop_rag.store import Hit, ProductStore, point_id
from shop_rag.vocabulary import Vocabulary

from tests.apps.shop_rag.conftest import CATALOG

DIMENSIONS = 64
DEPTH = 20  # the store's fusion depth: each ranking a hybrid search fuses is this deep
QUESTIONS = [
    "black jacket under $100",
    "men's waterproof hiking boots size 44",
    "running shoes for women in stock",
    "red dress",
    "kids' t-shirt under $20",
    "leather bag between $50 and $150",
    "blue jeans size 32",
    "wool socks",
    "sunglasses",
    "a warm coat for winter",
    "cheap backpack",
    "the",
]


@functools.cache
def _direction(word: str) -> np.ndarray:
    return np.random.default_rng(zlib.crc32(word.encode())).normal(size=DIMENSIONS)


class HashedWords(Embeddings):
    """Each word adds a fixed pseudo-random direction: texts that share words are near."""

    def embed_query(self, text: str) -> list[float]:
        return sum((_direction(w) for w in text.lower().split()), np.zeros(DIMENSIONS)).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(text) for text in texts]


@pytest.fixture(scope="module")
def catalog() -> list[Product]:
    return parse_catalog(CATALOG.read_bytes(), CATALOG.name)


@pytest.fixture(scope="module")
def stores(catalog: list[Product]) -> Iterator[tuple[ProductStore, ProductStore]]:
    """The array search and, over the same embedded collection, Qdrant's own search (the
    store as it searches a server). In memory: it searches as on disk, and loads faster."""
    client = QdrantClient(location=":memory:")

    def store(embedded: bool) -> ProductStore:
        return ProductStore(
            client, "products", HashedWords(), DIMENSIONS, "hashed", embedded=embedded
        )

    arrays = store(embedded=True)
    arrays.ensure_collection()
    arrays.upsert(sorted(catalog, key=lambda product: point_id(product.product_id)))
    try:
        yield arrays, store(embedded=False)
    finally:
        client.close()


def _same(mine: list[Hit], qdrants: list[Hit]) -> None:
    assert [h.product.product_id for h in mine] == [h.product.product_id for h in qdrants]
    assert [h.score for h in mine] == pytest.approx([h.score for h in qdrants], abs=1e-6)


@pytest.mark.parametrize("question", QUESTIONS)
def test_each_search_ranks_as_qdrant_does_with_and_without_the_questions_filter(
    stores: tuple[ProductStore, ProductStore], catalog: list[Product], question: str
) -> None:
    arrays, qdrant = stores
    built = constraints(question, Vocabulary.of(catalog)).filter()
    for query_filter in [None, built] if built else [None]:
        for search_type in ("dense", "sparse", "hybrid"):
            for limit in (4, DEPTH):
                mine = arrays.search(question, search_type, limit, query_filter)
                _same(mine, qdrant.search(question, search_type, limit, query_filter))
                # Only keywords can find nothing, or a filter that admits nothing.
                assert mine or search_type == "sparse" or query_filter is not None


def _field(key: str, **condition: object) -> models.FieldCondition:
    return models.FieldCondition(key=key, **condition)  # type: ignore[arg-type]


FILTERS = [
    # Exact matches: lists, numbers against numbers of another type, nothing, none of.
    models.Filter(must=[_field("product_id", match=models.MatchAny(any=["P00001", "P02999"]))]),
    models.Filter(should=[_field("stock", match=models.MatchValue(value=0))]),
    models.Filter(must=[_field("price", match=models.MatchValue(value=100))]),
    models.Filter(must=[_field("colors", match=models.MatchExcept(**{"except": ["black"]}))]),
    models.Filter(must=[_field("sizes", match=models.MatchAny(any=[]))]),
    # Text: any order, a phrase, an empty one, on a list field.
    models.Filter(must=[_field("name", match=models.MatchText(text="BOOT hiking"))]),
    models.Filter(must=[_field("name", match=models.MatchPhrase(phrase="hiking boot"))]),
    models.Filter(must=[_field("name", match=models.MatchPhrase(phrase="boot hiking"))]),
    models.Filter(must=[_field("name", match=models.MatchText(text="!!"))]),
    models.Filter(must=[_field("colors", match=models.MatchText(text="navy"))]),
    # Ranges: on numbers, on strings (never), on a missing field.
    models.Filter(must=[_field("rating", range=models.Range(gt=4.5, lte=5))]),
    models.Filter(must=[_field("sizes", range=models.Range(gte=0))]),
    models.Filter(must_not=[_field("no_such_field", range=models.Range(gte=0))]),
    # What the fast paths leave to Qdrant's check: counts, emptiness, nulls.
    models.Filter(must=[_field("colors", values_count=models.ValuesCount(gte=3))]),
    models.Filter(must=[_field("colors", is_empty=False), _field("sizes", is_null=False)]),
    models.Filter(must=[models.FieldCondition(key="colors", match=models.MatchAny(any=["black"]))]),
    models.Filter(
        must=[models.FieldCondition(key="price", range=models.Range(gte=20, lt=60))],
        must_not=[models.FieldCondition(key="name", match=models.MatchPhrase(phrase="men's"))],
    ),
    models.Filter(
        should=[
            models.FieldCondition(key="sizes", match=models.MatchValue(value="M")),
            models.FieldCondition(key="name", match=models.MatchText(text="boot waterproof")),
        ],
        min_should=models.MinShould(
            conditions=[
                models.FieldCondition(key="stock", range=models.Range(gt=0)),
                models.FieldCondition(
                    key="category", match=models.MatchExcept(**{"except": ["Footwear"]})
                ),
                models.FieldCondition(key="colors", match=models.MatchAny(any=["navy", "red"])),
            ],
            min_count=2,
        ),
    ),
    models.Filter(
        must=[
            models.Filter(
                should=[
                    models.FieldCondition(key="price", range=models.Range(lte=15)),
                    models.IsEmptyCondition(is_empty=models.PayloadField(key="no_such_field")),
                ]
            ),
            models.HasIdCondition(has_id=[]),
        ]
    ),
    models.Filter(
        should=[],
        must_not=[models.FieldCondition(key="sizes", match=models.MatchAny(any=["S", "XL"]))],
    ),
]


@pytest.mark.parametrize("query_filter", FILTERS, ids=range(len(FILTERS)))
def test_a_filter_admits_exactly_the_products_qdrants_check_admits(
    stores: tuple[ProductStore, ProductStore], query_filter: models.Filter
) -> None:
    arrays, _ = stores
    snapshot = arrays._current_snapshot()
    admitted = snapshot.mask(query_filter)
    expected = [
        check_filter(query_filter, payload, point, {"dense": True, "sparse": True})
        for payload, point in zip(snapshot.payloads, snapshot.ids, strict=True)
    ]
    assert admitted.tolist() == expected
    assert admitted is not snapshot.mask(query_filter)  # a fresh array each time
    assert (snapshot.mask(query_filter) == admitted).all()  # the kept answers agree


def test_a_write_is_searched_at_once_as_if_the_collection_were_read_again(
    stores: tuple[ProductStore, ProductStore], catalog: list[Product]
) -> None:
    arrays, _ = stores
    arrays.search("warm up", "hybrid", 4)  # a snapshot exists: the write updates it
    renamed = catalog[0].model_copy(update={"name": "Zyzzyva Quokka Parka"})
    arrays.upsert([renamed])
    try:
        updated = arrays.search("zyzzyva quokka parka", "hybrid", DEPTH)
        assert updated[0].product.product_id == renamed.product_id
        arrays._snapshot = None  # read from the store anew
        _same(updated, arrays.search("zyzzyva quokka parka", "hybrid", DEPTH))
    finally:
        arrays.upsert([catalog[0]])


def test_most_questions_build_a_filter_so_that_filtered_searches_are_compared(
    catalog: list[Product],
) -> None:
    vocabulary = Vocabulary.of(catalog)
    filtered = [q for q in QUESTIONS if constraints(q, vocabulary).filter() is not None]
    assert len(filtered) >= len(QUESTIONS) // 2, filtered
