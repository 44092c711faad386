"""shop_rag's start as local mode runs it: seconds from launch until ``/healthz`` answers 200
(local mode's "up"), until ``/readyz`` does (the embedding model loaded), and for a catalog load
through the API into an empty store: first with no vectors kept, then again into a new store
with the first load's vectors kept (EMBEDDINGS_CACHE_DIR).

    .venv/bin/python benchmarks/shop_rag_start.py [--products 3000] [--runs 3] [--apps DIR]

``--apps`` runs the shop_rag of another tree (e.g. ``git archive <commit> apps | tar -x -C DIR``)
for a before/after comparison; a tree without ``/readyz`` shows "-" there.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "datasets" / "myretail" / "catalog.jsonl"
sys.path.insert(0, str(ROOT / "apps"))

from shop_rag.load_local import load  # noqa: E402 (after the path it is found on)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own server)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def start(apps: Path, data: Path) -> tuple[subprocess.Popen[bytes], str, dict[str, float | None]]:
    """Launch shop_rag on ``data``; its URL and the seconds until each endpoint said 200."""
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(apps),
        "AWS_DEFAULT_REGION": "us-east-1",
        "EMBEDDINGS_PROVIDER": "local",
        "CHAT_PROVIDER": "offline",
        "HISTORY_TABLE": "shop-history",
        "QDRANT_PATH": str(data / "qdrant-shop"),
        "CATALOG_DIR": str(data / "catalogs"),
        "EMBEDDINGS_CACHE_DIR": str(data / "vectors"),
        "SHOP_RAG_HOST": "127.0.0.1",
        "SHOP_RAG_PORT": str(port),
    }
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "shop_rag"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    times: dict[str, float | None] = {"healthz": None, "readyz": None}
    while times["readyz"] is None and process.poll() is None:
        elapsed = time.perf_counter() - started
        if times["healthz"] is None and _answers(f"{url}/healthz") == 200:
            times["healthz"] = elapsed
        if times["healthz"] is not None:
            status = _answers(f"{url}/readyz")
            if status == 404:  # a shop_rag without /readyz: ready when healthy
                break
            if status == 200:
                times["readyz"] = elapsed
        time.sleep(0.05)
    if process.poll() is not None:
        raise RuntimeError(f"shop_rag exited with status {process.returncode}")
    return process, url, times


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=30)


def timed_load(apps: Path, data: Path) -> tuple[float, dict[str, int]]:
    process, url, _ = start(apps, data)
    try:
        started = time.perf_counter()
        summary = load(url, "catalog.jsonl")
        return time.perf_counter() - started, summary
    finally:
        stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--apps", type=Path, default=ROOT / "apps")
    parser.add_argument("--no-load", action="store_true", help="time the start only")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; apps from {args.apps}")
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        (data / "catalogs").mkdir()
        lines = CATALOG.read_text().splitlines()[: args.products]
        (data / "catalogs" / "catalog.jsonl").write_text("\n".join(lines) + "\n")
        figures: dict[str, list[float]] = {"healthz": [], "readyz": []}
        for run in range(args.runs):
            process, _, times = start(args.apps, data)
            stop(process)
            print(f"start {run + 1}: {json.dumps(times)}", flush=True)
            for name, seconds in times.items():
                if seconds is not None:
                    figures[name].append(seconds)
        for name, values in figures.items():
            if values:
                print(
                    f"to {name} 200: min {min(values):.2f} s, median "
                    f"{statistics.median(values):.2f} s, max {max(values):.2f} s"
                )
        if args.no_load:
            return
        seconds, summary = timed_load(args.apps, data)
        print(f"catalog load, no vectors kept: {seconds:.1f} s ({summary})", flush=True)
        (data / "qdrant-shop").rename(data / "qdrant-shop-first")
        seconds, summary = timed_load(args.apps, data)
        print(f"catalog load into a new store, vectors kept: {seconds:.1f} s ({summary})")


if __name__ == "__main__":
    main()
