"""The assistant's catalog vocabulary and its narrowing of follow-ups, on a store stand-in
that evaluates the filters with Qdrant's own local filter code."""

from __future__ import annotations

from typing import Any, cast

import pytest
from genai_common.offline import OfflineChatModel
from qdrant_client import models
from qdrant_client.local.payload_filters import check_filter
from shop_rag.assistant import ShopAssistant
from shop_rag.catalog import Product
from shop_rag.history import StoredTurn
from shop_rag.store import Hit


def jacket(n: int, audience: str, colors: tuple[str, ...], sizes: tuple[str, ...]) -> Product:
    return Product(
        product_id=f"P{n}",
        name=f"Model{n} {audience} Packable Rain Jacket",
        category="Apparel",
        # Each audience across two brands, as an audience is (not a brand's possessive).
        brand="Acme" if n in (1, 2, 5) else "Zenith",
        price=50.0 + n,
        colors=colors,
        sizes=sizes,
        stock=3,
    )


CATALOG = [
    jacket(1, "Men's", ("black",), ("M", "L")),
    jacket(2, "Women's", ("black",), ("S", "M")),
    jacket(3, "Men's", ("navy",), ("L",)),
    jacket(4, "Women's", ("red",), ("M",)),
    jacket(5, "Men's", ("black", "red"), ("S",)),
]


class Store:
    """Products held in memory; search returns those the filter admits, in catalog order."""

    def __init__(self, products: list[Product]) -> None:
        self.held = list(products)
        self.counted = 0

    def count(self) -> int:
        self.counted += 1
        return len(self.held)

    def products(self) -> list[Product]:
        return list(self.held)

    def search(
        self, query: str, search_type: str, limit: int, query_filter: models.Filter | None
    ) -> list[Hit]:
        admitted = [
            p
            for p in self.held
            if query_filter is None
            or check_filter(query_filter, p.model_dump(mode="json"), p.product_id, {})
        ]
        return [Hit(p, 1.0) for p in admitted[:limit]]


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def assistant(store: Store, clock: Clock | None = None) -> ShopAssistant:
    return ShopAssistant(
        cast(Any, store),
        cast(Any, None),
        OfflineChatModel(),
        "offline",
        offline=True,
        search_type="hybrid",
        top_k=4,
        embeddings_model="local",
        clock=clock or Clock(),
    )


def shown(*product_ids: str) -> list[StoredTurn]:
    return [StoredTurn(1, "user", "rain jackets"), StoredTurn(2, "assistant", "...", product_ids)]


def test_colour_and_audience_are_filters_and_a_follow_up_for_the_other_audience_excludes_the_first() -> (
    None
):
    shop = assistant(Store(CATALOG))
    assert [h.product.product_id for h in shop.retrieve("black men's jackets")] == ["P1", "P5"]
    rewritten = shop.standalone_question("What about for women?", shown("P1", "P5"))
    assert [h.product.product_id for h in shop.retrieve(rewritten)] == ["P2", "P4"]


def test_a_narrowing_follow_up_keeps_the_shown_products_that_meet_it_in_their_order() -> None:
    shop = assistant(Store(CATALOG))
    narrowed = shop.narrow("Do any of them come in size M?", shown("P4", "P3", "P1", "P2"))
    assert narrowed is not None
    hits, lead = narrowed
    assert [h.product.product_id for h in hits] == ["P4", "P1", "P2"]
    assert lead.startswith("3 of the 4 products shown before match size M: ")
    assert all(h.product.name in lead for h in hits)


@pytest.mark.parametrize(
    ("question", "history"),
    [
        ("Rain jackets in size M?", shown("P1", "P2")),  # not about what was shown
        ("Which of them is the cheapest?", shown("P1", "P2")),  # no limit to narrow by
        ("Do any of them come in size M?", shown()),  # nothing was shown
        ("Do any of them come in size M?", []),
    ],
)
def test_other_follow_ups_are_searched_again(question: str, history: list[StoredTurn]) -> None:
    assert assistant(Store(CATALOG)).narrow(question, history) is None


def test_the_vocabulary_is_read_again_after_a_load_changes_the_catalog() -> None:
    store, clock = Store(CATALOG[:2]), Clock()
    shop = assistant(store, clock)
    assert shop.vocabulary().read("red jackets").colors == ()
    store.held = list(CATALOG)
    assert shop.vocabulary().read("red jackets").colors == ()  # checked a moment ago
    clock.now += 60
    assert shop.vocabulary().read("red jackets").colors == ("red",)
    counted = store.counted
    shop.vocabulary()
    assert store.counted == counted  # the count is not asked for on every question
