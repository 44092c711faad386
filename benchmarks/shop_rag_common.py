"""What the shop_rag benchmarks share: the API's services on an embedded Qdrant holding the
sample catalog, with local embeddings and the offline chat model, and the gold set."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "datasets" / "myretail" / "catalog.jsonl"
GOLD = Path(__file__).with_name("shop_rag_gold.jsonl")
HISTORY_TABLE = "shop-rag-benchmark"


def local_environment(store: Path) -> None:
    """The API's settings for local mode, with its store at ``store``.

    No credentials: the callers run under moto's mock_aws, which supplies its own.
    """
    os.environ.update(
        EMBEDDINGS_PROVIDER="local",
        CHAT_PROVIDER="offline",
        QDRANT_PATH=str(store),
        HISTORY_TABLE=HISTORY_TABLE,
        CATALOG_DIR=str(CATALOG.parent),
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
    )
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "QDRANT_URL", "CHAT_MODELS"):
        os.environ.pop(name, None)


def create_history_table() -> None:
    import boto3

    boto3.client("dynamodb").create_table(
        TableName=HISTORY_TABLE,
        KeySchema=[
            {"AttributeName": "sessionId", "KeyType": "HASH"},
            {"AttributeName": "turn", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "sessionId", "AttributeType": "S"},
            {"AttributeName": "turn", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )


def index_catalog(services: object) -> None:
    """Load the whole sample catalog (products already stored unchanged are skipped, so a
    kept ``--store`` is indexed once)."""
    from shop_rag.app import Services
    from shop_rag.catalog import parse_catalog
    from shop_rag.loader import load

    assert isinstance(services, Services)
    products = parse_catalog(CATALOG.read_bytes(), CATALOG.name)
    services.store.ensure_collection()
    started = time.perf_counter()
    for progress in load(services.store, products, 64, services.embeddings_model):
        last = progress
    print(
        f"catalog: {last.read} products, {last.upserted} embedded, {last.unchanged} unchanged "
        f"({time.perf_counter() - started:.0f} s)",
        flush=True,
    )


def load_gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]
