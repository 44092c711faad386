"""Limits read from questions, and the offline stand-in's rewrite of follow-ups."""

from __future__ import annotations

import time

import pytest
from qdrant_client import models
from shop_rag.query import Constraints, constraints, key_terms, offline_rewrite


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "waterproof hiking boots under $120 in size 44",
            Constraints(max_price=120, max_inclusive=False, size="44"),
        ),
        (
            "a jacket below 80 dollars, size xl, in stock",
            Constraints(max_price=80, max_inclusive=False, size="XL", in_stock=True),
        ),
        ("tents up to $300", Constraints(max_price=300)),
        ("boots between $50 and $100", Constraints(min_price=50, max_price=100)),
        ("boots $100-$50", Constraints(min_price=50, max_price=100)),
        (
            "speakers over $30 but no more than $90",
            Constraints(min_price=30, min_inclusive=False, max_price=90),
        ),
        ("mats from $20", Constraints(min_price=20)),
        ("sneakers for kids under 10", Constraints()),
        ("a size 10.5 sandal", Constraints(size="10.5")),
        ("backpack, size one size", Constraints(size="One Size")),
    ],
)
def test_limits_are_read_from_the_question(question: str, expected: Constraints) -> None:
    assert constraints(question) == expected


def test_the_first_statement_of_a_limit_wins() -> None:
    found = constraints("Under $80? hiking boots size 44 under $120 size 46")
    assert (found.max_price, found.size) == (80, "44")


def test_limits_become_a_qdrant_filter() -> None:
    assert Constraints().filter() is None
    found = constraints("under $120 in size 44 in stock").filter()
    assert found == models.Filter(
        must=[
            models.FieldCondition(key="price", range=models.Range(lt=120)),
            models.FieldCondition(key="sizes", match=models.MatchValue(value="44")),
            models.FieldCondition(key="stock", range=models.Range(gt=0)),
        ]
    )


def test_colours_an_audience_and_a_kind_join_the_filter() -> None:
    limits = Constraints(
        colors=("black", "rose gold"),
        audience="Men's",
        other_audiences=("Kids'", "Women's"),
        kind="rain jacket",
        max_price=100,
        max_inclusive=False,
    )
    assert limits.filter(within=["P2", "P1"]) == models.Filter(
        must=[
            models.FieldCondition(key="product_id", match=models.MatchAny(any=["P2", "P1"])),
            models.FieldCondition(key="colors", match=models.MatchAny(any=["black", "rose gold"])),
            models.FieldCondition(key="name", match=models.MatchPhrase(phrase="rain jacket")),
            models.FieldCondition(key="price", range=models.Range(lt=100)),
        ],
        # The audience admits products for everyone: it excludes the other audiences'.
        must_not=[
            models.FieldCondition(key="name", match=models.MatchPhrase(phrase="Kids'")),
            models.FieldCondition(key="name", match=models.MatchPhrase(phrase="Women's")),
        ],
    )
    assert limits.describe() == "Men's, black or rose gold, rain jacket, under $100"
    assert Constraints(size="M", min_price=20, in_stock=True).describe() == (
        "size M, from $20, in stock"
    )
    assert not Constraints() and Constraints(size="M")


def test_key_terms_keep_limits_whole_and_drop_filler() -> None:
    assert key_terms("Show me men's waterproof hiking boots under $120, size 44, please!") == (
        "under $120 size 44 men's waterproof hiking boots"
    )


def test_the_offline_rewrite_puts_the_follow_up_first_then_the_latest_history() -> None:
    rewritten = offline_rewrite(
        "Which of these cost less than $90?",
        ["I need rain jackets for women under $200", "Any from Tidewater?"],
    )
    assert rewritten == (
        "Which of these cost less than $90? Tidewater under $200 rain jackets women"
    )
    assert constraints(rewritten).max_price == 90
    assert offline_rewrite("tents", []) == "tents"


def _cost(text: str) -> float:
    """The best of three timings of everything a question's text goes through, in this thread's
    CPU time: the time a busy machine runs other processes is not the question's."""
    timings = []
    for _ in range(3):
        started = time.thread_time()
        constraints(text)
        offline_rewrite(text, [text])
        timings.append(time.thread_time() - started)
    return min(timings)


@pytest.mark.parametrize(
    "run",
    ["1" * 12_000, "1." * 6_000, "$ " * 6_000, "$" * 12_000, " " * 12_000, "1 to " * 2_400],
    ids=["digits", "decimals", "dollar-space", "dollars", "spaces", "ranges"],
)
def test_a_long_run_costs_no_more_than_a_normal_question_of_its_length(run: str) -> None:
    # Measured against a normal question of the same length, not a clock: a quadratic
    # pattern took 23.6 s on 12,000 digits against 0.3 s for ordinary text.
    normal = ("Waterproof hiking boots for men under $120 in size 44, in stock? " * 200)[: len(run)]
    assert _cost(run) < 10 * _cost(normal) + 0.01
