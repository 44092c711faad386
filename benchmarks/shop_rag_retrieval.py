"""Retrieval quality of the shopping RAG API on its gold set, per SHOP_SEARCH_TYPE.

    .venv/bin/python benchmarks/shop_rag_retrieval.py [--depth 10] [--store DIR]

Indexes the sample catalog (3,000 products, all-MiniLM-L6-v2 + BM25 sparse vectors, embedded
Qdrant; --store keeps the index for the next run) and prints hit@1, hit@4 and MRR@depth of
dense, sparse (BM25) and hybrid (RRF) search. A question is answered at rank r when the r-th
product is one of its gold products. Follow-ups are searched as the API searches them:
rewritten with the session's earlier questions (the offline stand-in's rewrite, as in local
mode; a chat model's rewrite is usually better). Rows:

- all: the single questions and every turn of the sessions;
- follow-ups: the sessions' later turns only; "without history" searches them as asked,
  to show what the history contributes;
- "no filters": the same searches without the price/size/stock filters read from questions.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shop_rag_common import index_catalog, load_gold, local_environment

SEARCH_TYPES = ("dense", "sparse", "hybrid")


@dataclass(frozen=True)
class Asked:
    query: str  # what is searched: the question, or the rewritten follow-up
    as_asked: str
    answers: frozenset[str]
    follow_up: bool


def questions(gold: list[dict]) -> list[Asked]:
    from shop_rag.query import offline_rewrite

    asked = [
        Asked(g["question"], g["question"], frozenset(g["product_ids"]), False)
        for g in gold
        if "question" in g
    ]
    for session in (g for g in gold if "session" in g):
        earlier: list[str] = []
        for turn in session["turns"]:
            query = offline_rewrite(turn["question"], earlier) if earlier else turn["question"]
            asked.append(
                Asked(query, turn["question"], frozenset(turn["product_ids"]), bool(earlier))
            )
            earlier.append(turn["question"])
    return asked


@dataclass(frozen=True)
class Scores:
    hit1: float
    hit4: float
    mrr: float


def evaluate(
    search: Callable[[str], list[str]], items: list[Asked], as_asked: bool = False
) -> Scores:
    ranks = []
    for item in items:
        found = search(item.as_asked if as_asked else item.query)
        ranks.append(next((r for r, pid in enumerate(found, 1) if pid in item.answers), None))
    n = len(items)
    return Scores(
        hit1=sum(r == 1 for r in ranks) / n,
        hit4=sum(r is not None and r <= 4 for r in ranks) / n,
        mrr=sum(1 / r for r in ranks if r is not None) / n,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--depth", type=int, default=10, help="products per question, for MRR")
    parser.add_argument("--store", type=Path, help="keep the embedded index here between runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        local_environment(args.store or Path(scratch) / "qdrant")
        from genai_common.settings import load_settings
        from shop_rag.app import build_services
        from shop_rag.query import constraints
        from shop_rag.settings import ShopSettings

        services = build_services(load_settings(ShopSettings))
        try:
            index_catalog(services)
            store = services.store
            items = questions(load_gold())
            follow_ups = [i for i in items if i.follow_up]
            print(f"{len(items)} questions, {len(follow_ups)} of them follow-ups")
            print(
                f"  {'search':<8} {'questions':<28} {'hit@1':>6} {'hit@4':>6} {f'MRR@{args.depth}':>6}"
            )

            def searcher(search_type: str, filtered: bool) -> Callable[[str], list[str]]:
                def search(query: str) -> list[str]:
                    limits = constraints(query).filter() if filtered else None
                    hits = store.search(query, search_type, args.depth, limits)  # type: ignore[arg-type]
                    return [h.product.product_id for h in hits]

                return search

            rows = (
                ("all", items, True, False),
                ("all, no filters", items, False, False),
                ("follow-ups", follow_ups, True, False),
                ("follow-ups without history", follow_ups, True, True),
            )
            for search_type in SEARCH_TYPES:
                for label, subset, filtered, as_asked in rows:
                    s = evaluate(searcher(search_type, filtered), subset, as_asked)
                    print(
                        f"  {search_type:<8} {label:<28} {s.hit1:>6.3f} {s.hit4:>6.3f} {s.mrr:>6.3f}",
                        flush=True,
                    )
        finally:
            services.store.client.close()


if __name__ == "__main__":
    main()
