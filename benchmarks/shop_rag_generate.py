"""/generate latency at 1, 8 and 32 concurrent clients with the offline model, against the
raw retrieval call alone at the same concurrency.

    .venv/bin/python benchmarks/shop_rag_generate.py [--requests 16] [--store DIR]

Serves the API with uvicorn in this process (embedded Qdrant holding the sample catalog,
local embeddings, the offline chat model, DynamoDB from moto in-process; --store keeps the
index between runs). Each client holds a session and asks the gold set's questions in turn,
follow-ups with their session, over HTTP (httpx). The baseline calls the API's retrieval
(query embedding + Qdrant search with its filters) directly from as many threads, on the
queries the API searched. The overhead of /generate is everything else: HTTP, validation,
reading and writing the history, the rewrite, the prompt and the (offline) answer.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from shop_rag_common import create_history_table, load_gold, local_environment

CONCURRENCY = (1, 8, 32)


def conversations(gold: list[dict]) -> list[list[str]]:
    """The gold set as conversations: each session's turns, each single question alone."""
    chats = [[t["question"] for t in g["turns"]] for g in gold if "session" in g]
    singles = [[g["question"]] for g in gold if "question" in g]
    # Interleaved, so every client's share mixes follow-ups and fresh questions.
    mixed = []
    for index in range(max(len(chats), len(singles))):
        mixed += [c[index] for c in (chats, singles) if index < len(c)]
    return mixed


def percentiles(latencies: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return statistics.median(latencies) * 1000, cuts[94] * 1000


async def run_clients(
    url: str, clients: int, requests: int, chats: list[list[str]]
) -> tuple[list[float], list[str]]:
    """Per-request latencies of ``clients`` concurrent clients, and the queries searched."""
    import httpx

    latencies: list[float] = []
    queries: list[str] = []

    async def client(number: int, http: httpx.AsyncClient) -> None:
        sent, chat_index = 0, number
        while sent < requests:
            session = None
            for prompt in chats[chat_index % len(chats)]:
                if sent == requests:
                    break
                body = {"prompt": prompt, **({"session_id": session} if session else {})}
                started = time.perf_counter()
                response = await http.post(f"{url}/generate", json=body)
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()
                session = response.json()["session_id"]
                queries.append(response.json()["search_query"])
                sent += 1
            chat_index += clients

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=300, limits=limits) as http:
        await asyncio.gather(*(client(n, http) for n in range(clients)))
    return latencies, queries


def run_retrievals(retrieve, queries: list[str], workers: int) -> list[float]:  # type: ignore[no-untyped-def]
    def timed(query: str) -> float:
        started = time.perf_counter()
        retrieve(query)
        return time.perf_counter() - started

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(timed, queries))


class Serialised:
    """A boto3 client whose calls run one at a time. moto's in-process DynamoDB is not safe
    for concurrent transactions (it copies a table that another thread is writing); DynamoDB
    itself is, so this stands in for its concurrency, not for a limit of the API."""

    def __init__(self, client: object) -> None:
        self._client = client
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> object:
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args: object, **kwargs: object) -> object:
            with self._lock:
                return attribute(*args, **kwargs)

        return call


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=16, help="requests per client")
    parser.add_argument("--store", type=Path, help="keep the embedded index here between runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        local_environment(args.store or Path(scratch) / "qdrant")
        import httpx
        import uvicorn
        from moto import mock_aws
        from shop_rag.app import Services, create_app

        with mock_aws():
            create_history_table()
            app = create_app()
            port = free_port()
            server = uvicorn.Server(
                uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
            )
            thread = threading.Thread(target=server.run, daemon=True)
            thread.start()
            while not server.started:
                time.sleep(0.1)
            url = f"http://127.0.0.1:{port}"
            try:
                started = time.perf_counter()
                loaded = httpx.post(
                    f"{url}/load_data", json={"source": "catalog.jsonl"}, timeout=3600
                ).json()
                print(
                    f"catalog: {loaded['products']} products ({loaded['upserted']} embedded now, "
                    f"{time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
                services: Services = app.state.services
                history = services.assistant.history
                history.client = Serialised(history.client)
                chats = conversations(load_gold())
                asyncio.run(run_clients(url, 2, 4, chats))  # warm up
                print(f"{args.requests} requests per client, offline model, search type hybrid")
                print(
                    f"  {'clients':>7} | {'/generate p50':>13} {'p95':>7} | {'retrieval p50':>13} "
                    f"{'p95':>7} | {'overhead p50':>12} {'p95':>7} | {'req/s':>6}"
                )
                for clients in CONCURRENCY:
                    started = time.perf_counter()
                    latencies, queries = asyncio.run(
                        run_clients(url, clients, args.requests, chats)
                    )
                    rate = len(latencies) / (time.perf_counter() - started)
                    retrievals = run_retrievals(services.assistant.retrieve, queries, clients)
                    g50, g95 = percentiles(latencies)
                    r50, r95 = percentiles(retrievals)
                    print(
                        f"  {clients:>7} | {g50:>10.0f} ms {g95:>4.0f} ms | {r50:>10.0f} ms "
                        f"{r95:>4.0f} ms | {g50 - r50:>9.0f} ms {g95 - r95:>4.0f} ms | {rate:>6.1f}",
                        flush=True,
                    )
                print(
                    "overhead: /generate's percentile minus retrieval's; the two are separate runs, "
                    "so at p95 the difference is noisy (even negative) with few requests: raise "
                    "--requests for a steadier figure"
                )
            finally:
                server.should_exit = True
                thread.join()


if __name__ == "__main__":
    main()
