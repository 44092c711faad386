"""The local models of local mode: load time and generation speed on this machine.

    .venv/bin/python benchmarks/local_model_speed.py [--model NAME ...] [--tokens 128] [--runs 3]

For each model (default: every one in the catalog), through the code the server runs
(apps/local_model): fetch or find the checked weights, load them twice (the engine the server
starts with: first from the GGUF file, which keeps a converted copy in a scratch directory, then
from that copy, as every later start loads), then generate ``--tokens`` tokens greedily for a
fixed question, ``--runs`` times after one warm-up run. Prints both load times, then the median
over the runs of the time to first token, tokens/s and an answer's CPU seconds (decoded on the
catalog entry's decode_threads, where it sets them), and the process's peak resident memory.
Figures depend on what else the CPU is doing: say so beside them.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from local_model.catalog import MODELS
from local_model.engine import Engine
from local_model.weights import DEFAULT_CACHE, ensure_weights

ROOT = Path(__file__).resolve().parents[1]
QUESTION = [{"role": "user", "content": "Explain in a few sentences what a vector database is."}]


def _run(engine: Engine, tokens: int) -> tuple[float, float, int, float]:
    """(seconds to the first text, tokens/s after it, tokens generated, CPU seconds of every
    thread) of one answer."""
    cpu = time.process_time()
    started = time.monotonic()
    first: list[float] = []
    done = engine.generate(
        QUESTION,
        tokens,
        0.0,
        lambda _: first.append(time.monotonic()),
        threading.Event(),
    )
    ended = time.monotonic()
    first_at = first[0] if first else ended
    rate = (done.completion_tokens - 1) / (ended - first_at) if ended > first_at else 0.0
    return first_at - started, rate, done.completion_tokens, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", action="append", choices=list(MODELS))
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(
        "model                GGUF load s  copy load s  first token s  tokens/s  tokens  CPU s"
        "  peak RSS MB"
    )
    for name in args.model or list(MODELS):
        weights = ensure_weights(MODELS[name], ROOT / DEFAULT_CACHE, print)
        with tempfile.TemporaryDirectory(dir=weights.parent) as scratch:
            copy = Path(scratch) / "copy"
            started = time.monotonic()
            Engine(weights, copy, MODELS[name].decode_threads)
            first_load = time.monotonic() - started
            started = time.monotonic()
            engine = Engine(weights, copy, MODELS[name].decode_threads)
            load = time.monotonic() - started
        _run(engine, 8)  # warm-up: first-call allocations are not generation speed
        runs = [_run(engine, args.tokens) for _ in range(args.runs)]
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{name:<20} {first_load:11.1f} {load:12.1f} {statistics.median(r[0] for r in runs):14.2f}"
            f" {statistics.median(r[1] for r in runs):9.1f} {runs[-1][2]:7d}"
            f" {statistics.median(r[3] for r in runs):6.1f} {rss:12.0f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
