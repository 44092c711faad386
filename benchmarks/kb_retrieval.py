"""Retrieval quality of the KB assistant on the gold questions about the sample corpus.

    .venv/bin/python benchmarks/kb_retrieval.py [--k 4] [--depth 10]

Prints hit@1, hit@k and MRR@depth of the local retriever (sample corpus, all-MiniLM-L6-v2,
embedded Qdrant) for each KB_SEARCH_TYPE: semantic (dense vectors), keyword (sparse BM25
vectors) and hybrid (both, fused by RRF). A question is answered at rank r when the r-th
passage comes from its gold document and holds its evidence phrase; the questions paraphrase
their passages, so word overlap alone does not find them. With AWS credentials and
KNOWLEDGE_BASE_ID set, it prints the same figures for the Bedrock knowledge base (semantic
and hybrid); publish the sample corpus to it first for a like-for-like comparison
(python -m competency_ingest publish --env dev --corpus apps/competency_ingest/sample_corpus).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from langchain_core.documents import Document

GOLD = Path(__file__).with_name("kb_retrieval_gold.jsonl")
SEARCH_TYPES = ("semantic", "keyword", "hybrid")


def load_gold() -> list[dict[str, str]]:
    return [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def answer_rank(passages: list[Document], item: dict[str, str]) -> int | None:
    """The 1-based rank of the first passage that answers ``item``, if any does."""
    from competency_domain.sources import source_of

    evidence = _normalised(item["evidence"])
    for rank, passage in enumerate(passages, start=1):
        if source_of(passage).document == item["document"] and evidence in _normalised(
            passage.page_content
        ):
            return rank
    return None


@dataclass(frozen=True)
class Scores:
    hit1: float
    hitk: float
    mrr: float
    p50_ms: float


def evaluate(search: Callable[[str], list[Document]], gold: list[dict[str, str]], k: int) -> Scores:
    """Scores of ``search`` (which returns its passages best first) on ``gold``."""
    ranks, latencies = [], []
    for item in gold:
        started = time.perf_counter()
        passages = search(item["question"])
        latencies.append(time.perf_counter() - started)
        ranks.append(answer_rank(passages, item))
    n = len(gold)
    return Scores(
        hit1=sum(r == 1 for r in ranks) / n,
        hitk=sum(r is not None and r <= k for r in ranks) / n,
        mrr=sum(1 / r for r in ranks if r is not None) / n,
        p50_ms=statistics.median(latencies) * 1000,
    )


def print_row(name: str, scores: Scores) -> None:
    print(
        f"  {name:<24} {scores.hit1:>6.3f} {scores.hitk:>6.3f} {scores.mrr:>6.3f} "
        f"{scores.p50_ms:>7.0f}",
        flush=True,
    )


@contextmanager
def local_retrievers(depth: int) -> Iterator[dict[str, Callable[[str], list[Document]]]]:
    """A search per KB_SEARCH_TYPE over a fresh index of the sample corpus."""
    from competency_ingest.local_index import SAMPLE_CORPUS, index_corpus
    from genai_common.settings import load_settings
    from kb_assistant.retrieval import QdrantRetriever, retriever
    from kb_assistant.settings import KbSettings

    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(
            KB_RETRIEVER="local",
            EMBEDDINGS_PROVIDER="local",
            QDRANT_PATH=folder,
            KB_NUMBER_OF_RESULTS=str(depth),
        )
        settings = load_settings(KbSettings)
        started = time.perf_counter()
        passages = index_corpus(settings, SAMPLE_CORPUS, settings.kb_collection)
        print(f"indexed {passages} passages in {time.perf_counter() - started:.1f} s")
        # One client: an embedded store admits a single one.
        base = retriever(settings)
        assert isinstance(base, QdrantRetriever)
        try:
            yield {
                search_type: base.model_copy(update={"search_type": search_type}).invoke
                for search_type in SEARCH_TYPES
            }
        finally:
            base.client.close()


def bedrock_retrievers(depth: int) -> dict[str, Callable[[str], list[Document]]]:
    import boto3

    if not os.environ.get("KNOWLEDGE_BASE_ID") or boto3.Session().get_credentials() is None:
        return {}
    from genai_common.settings import load_settings
    from kb_assistant.retrieval import retriever
    from kb_assistant.settings import KbSettings

    searches = {}
    for search_type in ("semantic", "hybrid"):
        os.environ.update(
            KB_RETRIEVER="bedrock", KB_NUMBER_OF_RESULTS=str(depth), KB_SEARCH_TYPE=search_type
        )
        searches[search_type] = retriever(load_settings(KbSettings)).invoke
    return searches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--k", type=int, default=4)
    parser.add_argument("--depth", type=int, default=10, help="passages per question, for MRR")
    args = parser.parse_args()
    gold = load_gold()
    print(f"{len(gold)} gold questions")
    header = f"  {'KB_SEARCH_TYPE':<24} {'hit@1':>6} {f'hit@{args.k}':>6} {f'MRR@{args.depth}':>6} {'p50 ms':>7}"

    with local_retrievers(args.depth) as searches:
        print("local retriever (all-MiniLM-L6-v2 + BM25 sparse vectors, embedded Qdrant)")
        print(header)
        for search_type, search in searches.items():
            print_row(search_type, evaluate(search, gold, args.k))

    bedrock = bedrock_retrievers(args.depth)
    if not bedrock:
        print("Bedrock knowledge base: skipped (needs AWS credentials and KNOWLEDGE_BASE_ID)")
        return
    print(f"Bedrock knowledge base {os.environ['KNOWLEDGE_BASE_ID']}")
    print(header)
    for search_type, search in bedrock.items():
        print_row(search_type, evaluate(search, gold, args.k))


if __name__ == "__main__":
    main()
