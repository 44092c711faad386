"""The API in local mode: embedded Qdrant in a temporary folder, local embeddings, the offline
chat model, and DynamoDB from moto.

Embedding is the slow part, so a slice of the sample catalog (every hiking boot, so that
questions about them have near misses, and every 50th other product) is indexed once per
session and copied for each test that needs it (an embedded store admits one client).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from fastapi.testclient import TestClient
from genai_common.settings import load_settings
from moto import mock_aws
from shop_rag.app import build_services, create_app
from shop_rag.catalog import parse_catalog
from shop_rag.loader import load
from shop_rag.settings import ShopSettings

ROOT = Path(__file__).resolve().parents[3]
CATALOG = ROOT / "datasets" / "myretail" / "catalog.jsonl"
TABLE = "shop-history"


def catalog_slice() -> list[dict]:
    records = [json.loads(line) for line in CATALOG.read_text().splitlines()]
    return [r for n, r in enumerate(records) if "Hiking Boot" in r["name"] or n % 50 == 0]


def jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


@pytest.fixture
def shop_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The API's environment; returns CATALOG_DIR, which holds slice.jsonl."""
    catalog_dir = tmp_path / "catalogs"
    catalog_dir.mkdir()
    (catalog_dir / "slice.jsonl").write_text(jsonl(catalog_slice()))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("EMBEDDINGS_PROVIDER", "local")
    monkeypatch.setenv("CHAT_PROVIDER", "offline")
    monkeypatch.setenv("QDRANT_PATH", str(tmp_path / "qdrant"))
    monkeypatch.setenv("HISTORY_TABLE", TABLE)
    monkeypatch.setenv("CATALOG_DIR", str(catalog_dir))
    monkeypatch.setenv("CATALOG_BUCKET", "genai-test-model-assets")
    return catalog_dir


def create_table() -> None:
    boto3.client("dynamodb", region_name="us-east-1").create_table(
        TableName=TABLE,
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


@pytest.fixture
def aws(shop_env: Path) -> Iterator[None]:
    """moto's AWS, with the history table (and nothing else: no Bedrock)."""
    with mock_aws():
        create_table()
        yield


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded Qdrant holding the catalog slice, built once."""
    path = tmp_path_factory.mktemp("built") / "qdrant"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("EMBEDDINGS_PROVIDER", "local")
        env.setenv("CHAT_PROVIDER", "offline")
        env.setenv("QDRANT_PATH", str(path))
        env.setenv("HISTORY_TABLE", TABLE)
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        services = build_services(load_settings(ShopSettings))
        try:
            services.store.ensure_collection()
            products = parse_catalog(jsonl(catalog_slice()).encode(), "slice.jsonl")
            for _ in load(services.store, products, 64, services.embeddings_model):
                pass
        finally:
            services.store.client.close()
    return path


@pytest.fixture
def loaded(built_store: Path, shop_env: Path, tmp_path: Path) -> Path:
    """The environment pointing at a private copy of the built store."""
    copy = tmp_path / "qdrant"
    shutil.copytree(built_store, copy)
    return copy


@pytest.fixture
def client(aws: None) -> Iterator[TestClient]:
    """The API on an empty store."""
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture
def shop(loaded: Path, aws: None) -> Iterator[TestClient]:
    """The API on a store holding the catalog slice."""
    with TestClient(create_app()) as test_client:
        yield test_client
