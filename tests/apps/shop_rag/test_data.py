"""The sample data: reproducible to the byte, and consistent with what it claims."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from shop_rag.catalog import parse_catalog
from shop_rag.query import constraints

from tests.apps.shop_rag.conftest import CATALOG, ROOT

GENERATED = (
    "datasets/myretail/catalog.jsonl",
    "datasets/myretail/loyalty_train.jsonl",
    "datasets/myretail/loyalty_validation.jsonl",
    "benchmarks/shop_rag_gold.jsonl",
)


def generate(root: Path) -> None:
    script = ROOT / "scripts" / "generate-myretail-data"
    subprocess.run(
        [sys.executable, str(script), "--root", str(root)], check=True, capture_output=True
    )


def test_the_generator_reproduces_the_checked_in_files_byte_for_byte(tmp_path: Path) -> None:
    generate(tmp_path / "a")
    generate(tmp_path / "b")
    for name in GENERATED:
        first = (tmp_path / "a" / name).read_bytes()
        assert first == (tmp_path / "b" / name).read_bytes(), name
        assert first == (ROOT / name).read_bytes(), (
            f"{name} is stale: run scripts/generate-myretail-data"
        )


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def catalog() -> dict[str, dict]:
    products = parse_catalog(CATALOG.read_bytes(), "catalog.jsonl")
    return {p.product_id: p.model_dump() for p in products}


def test_the_catalog_holds_a_few_thousand_valid_products(catalog: dict[str, dict]) -> None:
    assert len(catalog) == 3000
    assert len({p["category"] for p in catalog.values()}) == 6
    assert sum(p["stock"] == 0 for p in catalog.values()) > 100


def test_gold_answers_exist_and_satisfy_the_limits_their_questions_state(
    catalog: dict[str, dict],
) -> None:
    """The API filters by the limits it reads from a question: a gold answer outside them
    could never be retrieved."""
    gold = read_jsonl(ROOT / "benchmarks" / "shop_rag_gold.jsonl")
    singles = [g for g in gold if "question" in g]
    sessions = [g for g in gold if "session" in g]
    assert len(singles) >= 40 and len(sessions) >= 10
    assert all(1 <= len(g["product_ids"]) <= 3 for g in singles)
    asked = [(g["question"], g["product_ids"]) for g in singles]
    for session in sessions:
        assert len(session["turns"]) >= 2
        asked += [(t["question"], t["product_ids"]) for t in session["turns"]]
    for question, ids in asked:
        limits = constraints(question)
        for product in map(catalog.__getitem__, ids):
            assert limits.max_price is None or product["price"] < limits.max_price, question
            assert limits.size is None or limits.size in product["sizes"], question
            assert not limits.in_stock or product["stock"] > 0, question


def test_loyalty_pairs_are_chat_messages_split_200_to_40() -> None:
    folder = ROOT / "datasets" / "myretail"
    train = read_jsonl(folder / "loyalty_train.jsonl")
    validation = read_jsonl(folder / "loyalty_validation.jsonl")
    assert (len(train), len(validation)) == (200, 40)
    for pair in train + validation:
        assert [m["role"] for m in pair["messages"]] == ["user", "assistant"]
        assert all(m["content"].strip() for m in pair["messages"])
    questions = {p["messages"][0]["content"] for p in train}
    assert not questions & {p["messages"][0]["content"] for p in validation}
    # Every fact held out for validation is also taught in training.
    answers = {p["messages"][1]["content"] for p in train}
    assert all(p["messages"][1]["content"] in answers for p in validation)
