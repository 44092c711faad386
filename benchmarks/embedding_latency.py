"""Local embedding latency: loading all-MiniLM-L6-v2, then one KB question at a time, on an
idle CPU and with every core kept busy by other processes, for each torch thread count.

    .venv/bin/python benchmarks/embedding_latency.py [--queries 40] [--threads 1 2 4]

Local mode runs several processes on a small machine; the KB assistant's EMBEDDINGS_THREADS
is chosen from these figures. Each setting runs in a fresh process, as the KB app would.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

GOLD = Path(__file__).with_name("kb_retrieval_gold.jsonl")


def measure(threads: int | None, queries: int) -> dict[str, float]:
    """Runs in the child: load time, then latency of single-question embeddings."""
    from genai_common.embeddings import LocalMiniLMEmbeddings

    questions = [json.loads(line)["question"] for line in GOLD.read_text().splitlines()]
    model = LocalMiniLMEmbeddings(threads)
    started = time.perf_counter()
    model.load()
    load = time.perf_counter() - started
    model.embed_query(questions[0])  # the first call still sets up kernels
    latencies = []
    for i in range(queries):
        started = time.perf_counter()
        model.embed_query(questions[i % len(questions)])
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    return {
        "load": load,
        "p50": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
    }


def run(threads: int | None, queries: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--queries", str(queries), "--child", str(threads or 0)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.splitlines()[-1])


def busy_processes(count: int) -> list[subprocess.Popen[bytes]]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--threads", type=int, nargs="*", default=[1, 2])
    # The child process that measures one setting: its thread count, 0 for torch's default.
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child or None, args.queries)))
        return

    cores = os.cpu_count() or 1
    settings: list[int | None] = [None, *args.threads]
    print(f"{cores} cores; torch default threads = one per core; {args.queries} questions each")
    print(f"{'threads':>10} {'CPU':>14} {'load':>8} {'query p50':>10} {'query p95':>10}")
    for busy in (0, cores):
        hogs = busy_processes(busy)
        try:
            for threads in settings:
                figures = run(threads, args.queries)
                print(
                    f"{threads or 'default':>10} {f'{busy} busy procs':>14} "
                    f"{figures['load']:>7.1f}s {figures['p50'] * 1000:>8.0f}ms "
                    f"{figures['p95'] * 1000:>8.0f}ms",
                    flush=True,
                )
        finally:
            for hog in hogs:
                hog.kill()
                hog.wait()


if __name__ == "__main__":
    main()
