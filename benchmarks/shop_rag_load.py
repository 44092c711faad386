"""/load_data throughput against the raw throughput of the embedding model on the same texts.

    .venv/bin/python benchmarks/shop_rag_load.py [--products 1000] [--batch-size 64] [--rounds 2]

Each round embeds the products' texts with the model alone (embed_documents, in batches of
--batch-size, in a worker thread like the API's), then loads the same products through the API (POST /load_data into a fresh
embedded Qdrant: read, validate, hash, look up stored hashes, embed, BM25, upsert), then
loads them again (every product unchanged). The two measured runs alternate their order
between rounds, so that a busy neighbour on a shared machine slows both alike. Prints
products/s of each and the ratio of the load to the raw embedding (target >= 0.85).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from shop_rag_common import CATALOG, create_history_table, local_environment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        lines = CATALOG.read_text().splitlines()[: args.products]
        (folder / "catalog.jsonl").write_text("\n".join(lines) + "\n")
        local_environment(folder / "unused")
        os.environ["CATALOG_DIR"] = str(folder)

        from fastapi.testclient import TestClient
        from genai_common.embeddings import embeddings
        from genai_common.settings import load_settings
        from moto import mock_aws
        from shop_rag.app import create_app
        from shop_rag.catalog import parse_catalog
        from shop_rag.settings import ShopSettings

        texts = [p.text() for p in parse_catalog("\n".join(lines).encode(), "catalog")]
        model = embeddings(load_settings(ShopSettings))
        model.embed_query("warm up")

        def embed_all() -> float:
            started = time.perf_counter()
            for i in range(0, len(texts), args.batch_size):
                model.embed_documents(texts[i : i + args.batch_size])
            return len(texts) / (time.perf_counter() - started)

        def raw() -> float:
            # In a worker thread, where the API embeds too: on a busy machine torch runs
            # nearly twice as fast there as in the main thread, which would flatter the API.
            with ThreadPoolExecutor(1) as pool:
                return pool.submit(embed_all).result()

        def through_api(round_number: int) -> tuple[float, float]:
            os.environ["QDRANT_PATH"] = str(folder / f"qdrant-{round_number}")
            request = {"source": "catalog.jsonl", "batch_size": args.batch_size}
            with TestClient(create_app()) as client:
                started = time.perf_counter()
                first = client.post("/load_data", json=request).json()
                load_rate = first["read"] / (time.perf_counter() - started)
                assert first["upserted"] == len(texts), first
                started = time.perf_counter()
                again = client.post("/load_data", json=request).json()
                reload_rate = again["read"] / (time.perf_counter() - started)
                assert again["unchanged"] == len(texts), again
            return load_rate, reload_rate

        print(f"{len(texts)} products, batches of {args.batch_size}")
        print(
            f"  {'round':<6} {'raw embed/s':>12} {'/load_data/s':>13} {'ratio':>6} {'reload/s':>9}"
        )
        ratios = []
        with mock_aws():
            create_history_table()
            for number in range(1, args.rounds + 1):
                if number % 2:
                    embed_rate = raw()
                    load_rate, reload_rate = through_api(number)
                else:
                    load_rate, reload_rate = through_api(number)
                    embed_rate = raw()
                ratios.append(load_rate / embed_rate)
                print(
                    f"  {number:<6} {embed_rate:>12.1f} {load_rate:>13.1f} {ratios[-1]:>6.2f} "
                    f"{reload_rate:>9.0f}",
                    flush=True,
                )
        print(f"median ratio /load_data : raw embedding = {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
