"""The ingest command against moto (SSM parameters of the bedrock stack, S3)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from competency_ingest.__main__ import main
from competency_ingest.local_index import SAMPLE_CORPUS
from moto import mock_aws

BUCKET = "genai-dev-kb-documents-123456789012"


@pytest.fixture
def aws() -> Iterator[Any]:
    with mock_aws():
        yield


def publish_stack_parameters() -> None:
    ssm = boto3.client("ssm", region_name="us-east-1")
    for name, value in {
        "knowledge-base-id": "KBID123456",
        "data-source-id": "DSID123456",
        "documents-bucket": BUCKET,
        "documents-prefix": "documents/",
    }.items():
        ssm.put_parameter(Name=f"/genai/dev/bedrock/{name}", Value=value, Type="String")


def test_publish_uploads_a_corpus_to_the_stacks_bucket(
    aws: None, capsys: pytest.CaptureFixture[str]
) -> None:
    publish_stack_parameters()
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
    argv = ["publish", "--env", "dev", "--corpus", str(SAMPLE_CORPUS), "--no-sync"]
    assert main(argv) == 0
    assert f"s3://{BUCKET}/documents/: uploaded 16, unchanged 0" in capsys.readouterr().out
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "uploaded 0, unchanged 16" in out and "no ingestion job started" in out


def test_sync_before_the_stack_is_applied_says_so(
    aws: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sync", "--env", "staging"]) == 1
    err = capsys.readouterr().err
    assert "/genai/staging/bedrock/ lacks knowledge-base-id" in err
    assert "scripts/tf staging bedrock apply" in err


def test_bad_usage_exits_2() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["sync", "--env", "qa"])
    assert exit_info.value.code == 2


def test_index_local_needs_a_store(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index-local"]) == 2
    assert "QDRANT_PATH" in capsys.readouterr().err
