"""Shared fixtures: a moto Kinesis stream, a small reviews file, and ways to build records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

STREAM = "reviews-test"


def review(review_id: int, text: str = "I love it. Works great.", **extra: Any) -> dict[str, Any]:
    return {
        "reviewId": review_id,
        "userId": f"user-{review_id % 7}",
        "text": text,
        "dateTime": "2026-03-02T08:02:03Z",
        **extra,
    }


def record(review_id: int, text: str = "I love it. Works great.", **extra: Any) -> bytes:
    return json.dumps(review(review_id, text, **extra)).encode()


def create_stream(client: Any, name: str = STREAM, shards: int = 1) -> None:
    client.create_stream(StreamName=name, ShardCount=shards)
    client.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 0})


def put(client: Any, records: list[bytes], name: str = STREAM) -> None:
    answer = client.put_records(
        StreamName=name,
        Records=[{"Data": data, "PartitionKey": str(i)} for i, data in enumerate(records)],
    )
    assert answer["FailedRecordCount"] == 0


def stream_records(client: Any, name: str = STREAM) -> list[dict[str, Any]]:
    """Every record of every shard, oldest first per shard."""
    found: list[dict[str, Any]] = []
    for shard in client.list_shards(StreamName=name)["Shards"]:
        iterator = client.get_shard_iterator(
            StreamName=name, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        found += client.get_records(ShardIterator=iterator, Limit=10_000)["Records"]
    return found


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def kinesis(aws: None) -> Any:
    """A moto Kinesis client with the stream STREAM (one shard) created."""
    client = boto3.client("kinesis", region_name="us-east-1")
    create_stream(client)
    return client


@pytest.fixture
def reviews_file(tmp_path: Path) -> Path:
    """Three reviews with their labels, as in datasets/reviews/reviews.jsonl."""
    path = tmp_path / "reviews.jsonl"
    lines = [
        {**review(1, "Really happy with this chair. Great armrests."), "label": "positive"},
        {**review(2, "Broke after a week. Terrible, awful quality."), "label": "negative"},
        {**review(3, "Excellent grinder for the price."), "label": "positive"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n")
    return path
