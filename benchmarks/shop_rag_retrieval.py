"""Retrieval quality of the shopping RAG API on its gold set, per SHOP_SEARCH_TYPE.

    .venv/bin/python benchmarks/shop_rag_retrieval.py [--depth 10] [--store DIR] [--constrained 200]

Indexes the sample catalog (3,000 products, all-MiniLM-L6-v2 + BM25 sparse vectors, embedded
Qdrant; --store keeps the index for the next run) and prints hit@1, hit@4 and MRR@depth of
dense, sparse (BM25) and hybrid (RRF) search. A question is answered at rank r when the r-th
product is one of its gold products. Follow-ups are searched as the API searches them:
rewritten with the session's earlier questions (the offline stand-in's rewrite, as in local
mode; a chat model's rewrite is usually better). Rows:

- all: the single questions and every turn of the sessions;
- follow-ups: the sessions' later turns only; "without history" searches them as asked,
  to show what the history contributes;
- "no filters": the same searches without the filters read from questions (price, size,
  stock, and the catalog's colours, audiences and kinds);
- "follow-ups as answered": as the API answers them, where a follow-up about the products
  shown ("Do you have any of them in white?") keeps those of the four shown that meet its
  limits instead of searching again (so the products it finds are at best the four shown).

Then constraint satisfaction on questions generated from the catalog (seeded; see
benchmarks/shop_rag_constrained.py), each stating a kind of product and two to four of a
colour, an audience, a size and a price limit: precision@4 is the share of the products shown
(the first four) that meet every limit stated, success@4 the share of questions with at least
one such product among the four. Rows: with every limit read from the question (the API), and
with the price/size/stock limits only (colour, audience and kind left to the ranking).
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shop_rag_common import CATALOG, index_catalog, load_gold, local_environment

SEARCH_TYPES = ("dense", "sparse", "hybrid")
SHOWN = 4
PRECISION_TARGET = 0.95


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


def _rank(found: list[str], answers: frozenset[str]) -> int | None:
    return next((r for r, pid in enumerate(found, 1) if pid in answers), None)


def evaluate(
    search: Callable[[str], list[str]], items: list[Asked], as_asked: bool = False
) -> Scores:
    return _scores([_rank(search(i.as_asked if as_asked else i.query), i.answers) for i in items])


def as_answered(
    gold: list[dict],
    search: Callable[[str], list[str]],
    narrow: Callable[[str, list], list[str] | None],
) -> Scores:
    """The sessions' follow-ups as the API answers them: ``narrow`` (the products of the
    previous answer that meet the follow-up's limits, or None) first, else a search."""
    from shop_rag.history import StoredTurn
    from shop_rag.query import offline_rewrite

    ranks = []
    for session in (g for g in gold if "session" in g):
        earlier: list[str] = []
        history: list[StoredTurn] = []
        for turn in session["turns"]:
            question = turn["question"]
            narrowed = narrow(question, history) if earlier else None
            if narrowed is not None:
                found = narrowed
            else:
                found = search(offline_rewrite(question, earlier) if earlier else question)
            if earlier:
                ranks.append(_rank(found, frozenset(turn["product_ids"])))
            n = len(history)
            history += [
                StoredTurn(n + 1, "user", question),
                StoredTurn(n + 2, "assistant", "", tuple(found[:SHOWN])),
            ]
            earlier.append(question)
    return _scores(ranks)


def _scores(ranks: list[int | None]) -> Scores:
    n = len(ranks)
    return Scores(
        hit1=sum(r == 1 for r in ranks) / n,
        hit4=sum(r is not None and r <= 4 for r in ranks) / n,
        mrr=sum(1 / r for r in ranks if r is not None) / n,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--depth", type=int, default=10, help="products per question, for MRR")
    parser.add_argument("--store", type=Path, help="keep the embedded index here between runs")
    parser.add_argument(
        "--constrained", type=int, default=200, help="generated constrained questions"
    )
    parser.add_argument("--seed", type=int, default=7, help="of the generated questions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        local_environment(args.store or Path(scratch) / "qdrant")
        from genai_common.settings import load_settings
        from shop_rag.app import build_services
        from shop_rag.query import constraints
        from shop_rag.settings import ShopSettings
        from shop_rag.vocabulary import Vocabulary

        services = build_services(load_settings(ShopSettings))
        try:
            index_catalog(services)
            store = services.store
            # The API's vocabulary is read from the store, as here.
            vocabulary = Vocabulary.of(store.products())
            gold = load_gold()
            items = questions(gold)
            follow_ups = [i for i in items if i.follow_up]
            print(f"{len(items)} questions, {len(follow_ups)} of them follow-ups")
            print(
                f"  {'search':<8} {'questions':<28} {'hit@1':>6} {'hit@4':>6} {f'MRR@{args.depth}':>6}"
            )

            def searcher(search_type: str, filtered: bool) -> Callable[[str], list[str]]:
                def search(query: str) -> list[str]:
                    limits = constraints(query, vocabulary).filter() if filtered else None
                    hits = store.search(query, search_type, args.depth, limits)  # type: ignore[arg-type]
                    return [h.product.product_id for h in hits]

                return search

            def narrow(question: str, history: list) -> list[str] | None:
                narrowed = services.assistant.narrow(question, history)
                return None if narrowed is None else [h.product.product_id for h in narrowed[0]]

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
                s = as_answered(gold, searcher(search_type, True), narrow)
                label = "follow-ups as answered"
                print(
                    f"  {search_type:<8} {label:<28} {s.hit1:>6.3f} {s.hit4:>6.3f} {s.mrr:>6.3f}",
                    flush=True,
                )
            constrained(store, args.constrained, args.seed)
        finally:
            services.store.client.close()


def constrained(store: object, count: int, seed: int) -> None:
    """Print precision@4 and success@4 of each search type on ``count`` generated questions."""
    from shop_rag.catalog import parse_catalog
    from shop_rag.query import constraints
    from shop_rag.store import ProductStore
    from shop_rag.vocabulary import Vocabulary
    from shop_rag_constrained import generate, meets

    assert isinstance(store, ProductStore)
    products = parse_catalog(CATALOG.read_bytes(), CATALOG.name)
    asked = generate(products, count, seed)
    # The API's vocabulary is read from the store, as here.
    vocabulary = Vocabulary.of(store.products())
    audiences = sorted(set(vocabulary.audiences.forms.values()))
    print(f"{count} generated constrained questions (seed {seed}), first {SHOWN} products shown")
    print(f"  {'search':<8} {'limits applied':<28} {'precision@4':>11} {'success@4':>9}")
    for search_type in SEARCH_TYPES:
        for label, words in (("all", vocabulary), ("price, size, stock only", None)):
            shown = met = succeeded = 0
            for item in asked:
                limits = constraints(item.question, words).filter()
                hits = store.search(item.question, search_type, SHOWN, limits)  # type: ignore[arg-type]
                good = sum(meets(h.product, item, audiences) for h in hits)
                shown, met, succeeded = shown + len(hits), met + good, succeeded + (good > 0)
            precision = met / shown if shown else 0.0
            mark = "" if precision >= PRECISION_TARGET else f"  (below {PRECISION_TARGET})"
            print(
                f"  {search_type:<8} {label:<28} {precision:>11.3f} {succeeded / count:>9.3f}{mark}",
                flush=True,
            )


if __name__ == "__main__":
    main()
