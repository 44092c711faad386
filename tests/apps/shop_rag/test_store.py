"""The product store: one point per product, three search types, filters, and a collection
that is never recreated."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from genai_common.settings import load_settings
from langchain_core.embeddings import Embeddings
from qdrant_client import QdrantClient
from shop_rag.app import Services, build_services
from shop_rag.query import constraints
from shop_rag.settings import ShopSettings
from shop_rag.store import ProductStore, StoreError, point_id, sparse_document, sparse_query

from tests.apps.shop_rag.conftest import catalog_slice


@pytest.fixture
def services(loaded: Path) -> Iterator[Services]:
    built = build_services(load_settings(ShopSettings))
    try:
        yield built
    finally:
        built.store.client.close()


def test_point_ids_derive_from_product_ids() -> None:
    assert point_id("P00042") == point_id("P00042") != point_id("P00043")
    assert uuid.UUID(point_id("P00042")).version == 5


def test_sparse_vectors_weigh_terms_the_bm25_way() -> None:
    document = sparse_document("Boot boot boot jacket")
    weights = dict(zip(document.indices, document.values, strict=True))
    query = sparse_query("boots and the jacket")
    assert len(query.indices) == 2 and set(query.indices) == set(weights)
    boot, jacket = (
        weights[i] for i in sparse_query("boot").indices + sparse_query("jacket").indices
    )
    assert jacket < boot < 3 * jacket  # repeats add weight, with diminishing returns
    assert sparse_query("the and of").indices == []


@pytest.mark.parametrize("search_type", ["dense", "sparse", "hybrid"])
def test_each_search_type_finds_a_product_by_its_name(services: Services, search_type: str) -> None:
    hits = services.store.search("Trailmark Falcon Men's Waterproof Hiking Boot", search_type, 4)  # type: ignore[arg-type]
    assert hits[0].product.product_id == "P00188"
    assert len(hits) == 4 and hits[0].score >= hits[-1].score


@pytest.mark.parametrize("search_type", ["dense", "sparse", "hybrid"])
def test_filters_admit_only_products_within_the_limits(
    services: Services, search_type: str
) -> None:
    query = "men's hiking boots under $120 in size 46"
    hits = services.store.search(query, search_type, 10, constraints(query).filter())  # type: ignore[arg-type]
    assert hits
    assert all(h.product.price < 120 and "46" in h.product.sizes for h in hits)


def test_a_question_of_stop_words_has_no_keywords(services: Services) -> None:
    assert services.store.search("what is it", "sparse", 4) == []
    assert len(services.store.search("what is it", "hybrid", 4)) == 4


def test_a_collection_of_another_vector_size_is_refused_not_recreated(
    services: Services,
) -> None:
    store = services.store
    other = ProductStore(
        store.client, store.collection, store.embeddings, 1024, store.model, embedded=True
    )
    with pytest.raises(StoreError, match="holds 384-dimension vectors") as caught:
        other.ensure_collection()
    assert caught.value.status == 409
    assert store.count() == len(catalog_slice())  # the collection is as it was


class Recording(Embeddings):
    """Embeds a text as [its length]; records which thread embedded what."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls.append((threading.current_thread().name, texts))
        return [[float(len(t))] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return [float(len(text))]


def test_bedrock_embeddings_run_in_slices_at_once_and_keep_their_order(tmp_path: Path) -> None:
    recording = Recording()
    client = QdrantClient(path=str(tmp_path))
    store = ProductStore(client, "c", recording, 1, "m", embedded=True, concurrency=3)
    texts = ["a" * n for n in range(1, 8)]
    assert store.embed(texts) == [[float(n)] for n in range(1, 8)]
    assert [len(batch) for _, batch in recording.calls] == [3, 3, 1]
    assert all(name.startswith("embed") for name, _ in recording.calls)
    client.close()
