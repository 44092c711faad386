"""Retrieval quality of the KB assistant on the gold questions about the sample corpus.

    .venv/bin/python benchmarks/kb_retrieval.py [--k 4]

Prints hit@1 and hit@k of the local retriever (sample corpus, all-MiniLM-L6-v2, embedded
Qdrant): a hit is a question whose answering document is among the documents of the top
passages. With AWS credentials and KNOWLEDGE_BASE_ID set, it prints the same figures for the
Bedrock knowledge base; publish the sample corpus to it first for a like-for-like comparison
(python -m competency_ingest publish --env dev --corpus apps/competency_ingest/sample_corpus).
Program-level figures count a passage from the right program as a hit.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from langchain_core.documents import Document

GOLD = Path(__file__).with_name("kb_retrieval_gold.jsonl")


def load_gold() -> list[dict[str, str]]:
    return [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]


def evaluate(
    name: str, search: Callable[[str], list[Document]], gold: list[dict[str, str]], k: int
) -> None:
    from kb_assistant.sources import source_of

    hits1 = hitsk = program_hitsk = 0
    latencies = []
    for item in gold:
        started = time.perf_counter()
        found = [source_of(d) for d in search(item["question"])[:k]]
        latencies.append(time.perf_counter() - started)
        documents = [s.document for s in found]
        program = item["document"].split("--")[0]
        hits1 += bool(documents) and documents[0] == item["document"]
        hitsk += item["document"] in documents
        program_hitsk += any(d.split("--")[0] == program for d in documents)
    n = len(gold)
    print(f"{name}: {n} questions, k={k}")
    print(
        f"  hit@1 {hits1 / n:.3f}   hit@{k} {hitsk / n:.3f}   program hit@{k} {program_hitsk / n:.3f}"
    )
    print(
        f"  query latency p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )


def local(gold: list[dict[str, str]], k: int) -> None:
    from competency_ingest.local_index import SAMPLE_CORPUS, index_corpus
    from genai_common.settings import load_settings
    from kb_assistant.retrieval import retriever
    from kb_assistant.settings import KbSettings

    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(
            KB_RETRIEVER="local",
            EMBEDDINGS_PROVIDER="local",
            QDRANT_PATH=folder,
            KB_NUMBER_OF_RESULTS=str(k),
        )
        settings = load_settings(KbSettings)
        started = time.perf_counter()
        passages = index_corpus(settings, SAMPLE_CORPUS, settings.kb_collection)
        print(f"indexed {passages} passages in {time.perf_counter() - started:.1f} s")
        r = retriever(settings)
        evaluate("local retriever (MiniLM + Qdrant)", r.invoke, gold, k)
        r.client.close()  # type: ignore[attr-defined]


def bedrock(gold: list[dict[str, str]], k: int) -> None:
    import boto3

    if not os.environ.get("KNOWLEDGE_BASE_ID") or boto3.Session().get_credentials() is None:
        print("Bedrock knowledge base: skipped (needs AWS credentials and KNOWLEDGE_BASE_ID)")
        return
    from genai_common.settings import load_settings
    from kb_assistant.retrieval import retriever
    from kb_assistant.settings import KbSettings

    os.environ.update(KB_RETRIEVER="bedrock", KB_NUMBER_OF_RESULTS=str(k))
    r = retriever(load_settings(KbSettings))
    evaluate(f"Bedrock knowledge base {os.environ['KNOWLEDGE_BASE_ID']}", r.invoke, gold, k)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--k", type=int, default=4)
    args = parser.parse_args()
    gold = load_gold()
    local(gold, args.k)
    bedrock(gold, args.k)


if __name__ == "__main__":
    main()
