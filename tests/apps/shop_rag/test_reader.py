"""Reading catalogs from S3 (moto) and from CATALOG_DIR."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from genai_common.aws import aws_client
from moto import mock_aws
from shop_rag.reader import LocalSource, S3Source, SourceError, read, resolve
from shop_rag.settings import ShopSettings

BUCKET = "genai-test-model-assets"


@pytest.fixture
def settings(tmp_path: Path) -> ShopSettings:
    return ShopSettings(
        history_table="h-table",
        qdrant_path=tmp_path / "q",
        catalog_bucket=BUCKET,
        catalog_dir=tmp_path,
        catalog_max_mb=1,
    )


def test_s3_sources_are_read_from_the_catalog_prefix(settings: ShopSettings) -> None:
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key="catalog/2025/c.jsonl", Body=b'{"a": 1}\n')
        client = aws_client("s3", settings)
        source = resolve(f"s3://{BUCKET}/catalog/2025/c.jsonl", settings)
        assert source == S3Source(BUCKET, "catalog/2025/c.jsonl")
        assert read(source, settings, client) == b'{"a": 1}\n'

        with pytest.raises(SourceError, match="does not exist") as missing:
            read(resolve(f"s3://{BUCKET}/catalog/none.jsonl", settings), settings, client)
        assert missing.value.status == 404

        s3.put_object(Bucket=BUCKET, Key="catalog/big.jsonl", Body=b"x" * (1024 * 1024 + 1))
        with pytest.raises(SourceError, match="larger than CATALOG_MAX_MB") as big:
            read(resolve(f"s3://{BUCKET}/catalog/big.jsonl", settings), settings, client)
        assert big.value.status == 413


def test_local_sources_stay_inside_catalog_dir(settings: ShopSettings, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.jsonl").write_text("{}\n")
    source = resolve("sub/c.jsonl", settings)
    assert source == LocalSource((tmp_path / "sub" / "c.jsonl").resolve(), "sub/c.jsonl")
    assert read(source, settings, None) == b"{}\n"
    for bad in ("sub/../sub/c.jsonl", "./sub/c.jsonl", "sub//c.jsonl", "sub/c.jsonl\x00"):
        with pytest.raises(SourceError):
            resolve(bad, settings)
    (tmp_path / "big.jsonl").write_bytes(b"x" * (1024 * 1024 + 1))
    with pytest.raises(SourceError) as big:
        read(resolve("big.jsonl", settings), settings, None)
    assert big.value.status == 413


def test_sources_are_off_until_configured(tmp_path: Path) -> None:
    bare = ShopSettings(history_table="h-table", qdrant_path=tmp_path)
    with pytest.raises(SourceError, match="set CATALOG_DIR"):
        resolve("c.jsonl", bare)
    with pytest.raises(SourceError, match="set CATALOG_BUCKET"):
        resolve("s3://b/catalog/c.jsonl", bare)
