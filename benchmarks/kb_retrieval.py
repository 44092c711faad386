"""Retrieval quality of the KB assistant on the gold questions about the sample corpus.

    .venv/bin/python benchmarks/kb_retrieval.py [--k 4] [--depth 10]

Prints hit@1, hit@k and MRR@depth of the local retriever (sample corpus, all-MiniLM-L6-v2,
embedded Qdrant) for each method: each KB_SEARCH_TYPE, semantic (dense vectors), keyword
(sparse BM25 vectors) and hybrid (both, fused by RRF), and the semantic and hybrid searches
reranked by their passages' sentences (KB_RERANK, the default). A question is answered at
rank r when the r-th passage comes from its gold document and holds its evidence phrase; the
questions paraphrase their passages, so word overlap alone does not find them.

hit@1 is printed for the dev and the held-out split of the gold questions apart: the
reranking's variants (sentence windows, the step a candidate loses per place in the first
ranking) were compared on the dev split only; the held-out third (by a hash of the question)
shows whether they carry over.

The follow-up gold set (kb_retrieval_followups.jsonl) holds two-turn conversations whose
second question names its program only through the first ("What are its requirements?");
its hit@1 and hit@k are printed for the follow-up searched as asked and rewritten with the
conversation (offline, and by the chat model when CHAT_PROVIDER is bedrock or openai).

With AWS credentials and
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
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

GOLD = Path(__file__).with_name("kb_retrieval_gold.jsonl")
FOLLOW_UPS = Path(__file__).with_name("kb_retrieval_followups.jsonl")
SEARCH_TYPES = ("semantic", "keyword", "hybrid")
# (KB_SEARCH_TYPE, KB_RERANK) of each method compared; the last is the assistant's default.
METHODS = {
    "semantic": ("semantic", False),
    "keyword": ("keyword", False),
    "hybrid": ("hybrid", False),
    "semantic+rerank": ("semantic", True),
    "hybrid+rerank": ("hybrid", True),
}
SPLITS = ("dev", "held-out")


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def split_of(item: dict[str, Any]) -> str:
    """A fixed third of the questions is held out, chosen by a hash of the question."""
    return "held-out" if zlib.crc32(item["question"].encode()) % 3 == 0 else "dev"


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def answer_rank(passages: list[Document], item: dict[str, Any]) -> int | None:
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


def evaluate(
    search: Callable[[str], list[Document]],
    gold: list[dict[str, Any]],
    k: int,
    question: Callable[[dict[str, Any]], str] = lambda item: item["question"],
) -> Scores:
    """Scores of ``search`` (which returns its passages best first) on ``gold``, each item
    searched for ``question(item)``."""
    ranks, latencies = [], []
    for item in gold:
        started = time.perf_counter()
        passages = search(question(item))
        latencies.append(time.perf_counter() - started)
        ranks.append(answer_rank(passages, item))
    n = len(gold)
    return Scores(
        hit1=sum(r == 1 for r in ranks) / n,
        hitk=sum(r is not None and r <= k for r in ranks) / n,
        mrr=sum(1 / r for r in ranks if r is not None) / n,
        p50_ms=statistics.median(latencies) * 1000,
    )


def print_row(name: str, scores: Scores, *split_hit1: float) -> None:
    splits = "".join(f" {hit1:>8.3f}" for hit1 in split_hit1)  # hit@1 of each split
    print(
        f"  {name:<24} {scores.hit1:>6.3f}{splits} {scores.hitk:>6.3f} {scores.mrr:>6.3f} "
        f"{scores.p50_ms:>7.0f}",
        flush=True,
    )


def follow_up(item: dict[str, Any]) -> str:
    return str(item["turns"][-1])


def rewritten(
    model: Any, search: Callable[[str], list[Document]]
) -> Callable[[dict[str, Any]], str]:
    """The follow-up as the assistant searches for it: rewritten with the earlier turns
    (``model`` None: the offline rewrite), each earlier question answered by the passage
    ``search`` finds first, with that search's sources."""
    from competency_domain.sources import source_of
    from genai_common.conversation import Turn
    from kb_assistant.answer import REWRITER, AnswerTurn

    def question(item: dict[str, Any]) -> str:
        *earlier, last = item["turns"]
        history: list[Turn] = []
        for asked in earlier:
            passages = search(asked)
            sources = tuple(source_of(p) for p in passages)
            answer = passages[0].page_content if passages else ""
            history += [Turn("user", asked), AnswerTurn("assistant", answer, sources)]
        return REWRITER.rewrite(model, history, last)

    return question


def rewrite_models() -> dict[str, Any]:
    """The rewrites compared: offline always, and the chat model when CHAT_PROVIDER names
    one (bedrock or openai)."""
    from genai_common.chat_models import chat_model
    from genai_common.settings import PlatformSettings, load_settings

    models: dict[str, Any] = {"offline rewrite": None}
    settings = load_settings(PlatformSettings)
    if os.environ.get("CHAT_PROVIDER", "offline") != "offline":
        model_id = settings.catalog()[0].model_id
        models[f"{model_id} rewrite"] = chat_model(settings, model_id)
    return models


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
                method: base.model_copy(
                    update={"search_type": search_type, "rerank": rerank}
                ).invoke
                for method, (search_type, rerank) in METHODS.items()
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
    splits = {name: [item for item in gold if split_of(item) == name] for name in SPLITS}
    print(
        f"{len(gold)} gold questions ("
        + ", ".join(f"{name} {len(items)}" for name, items in splits.items())
        + ")"
    )

    def header(first: str) -> str:
        return f"  {first:<24} {'hit@1':>6} {f'hit@{args.k}':>6} {f'MRR@{args.depth}':>6} {'p50 ms':>7}"

    split_header = "".join(f" {name:>8}" for name in SPLITS)
    local_header = header("method").replace(" hit@1", " hit@1" + split_header, 1)

    with local_retrievers(args.depth) as searches:
        print("local retriever (all-MiniLM-L6-v2 + BM25 sparse vectors, embedded Qdrant)")
        print(local_header)
        for method, search in searches.items():
            print_row(
                method,
                evaluate(search, gold, args.k),
                *(evaluate(search, items, args.k).hit1 for items in splits.values()),
            )
        follow_ups = load_gold(FOLLOW_UPS)
        default = searches[list(METHODS)[-1]]
        print(f"{len(follow_ups)} follow-up questions, {list(METHODS)[-1]}")
        print(header("follow-up searched as"))
        print_row("asked", evaluate(default, follow_ups, args.k, follow_up))
        for name, model in rewrite_models().items():
            print_row(name, evaluate(default, follow_ups, args.k, rewritten(model, default)))

    bedrock = bedrock_retrievers(args.depth)
    if not bedrock:
        print("Bedrock knowledge base: skipped (needs AWS credentials and KNOWLEDGE_BASE_ID)")
        return
    print(f"Bedrock knowledge base {os.environ['KNOWLEDGE_BASE_ID']}")
    print(header("KB_SEARCH_TYPE"))
    for search_type, search in bedrock.items():
        print_row(search_type, evaluate(search, gold, args.k))


if __name__ == "__main__":
    main()
