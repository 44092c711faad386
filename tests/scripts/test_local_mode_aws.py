"""Local mode's AWS account in a real moto server: seeded with exactly what the apps declare
(tables with their key schema and TTL, buckets, streams), and what the apps stored replayed
at the next start even when the recording holds a line cut short in the middle."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from genai_common.declarations import load_apps, local_name
from localmode.recording import restore_and_record
from localmode.seed import budget_table, create_resources


class Moto:
    def __init__(self, endpoint: str, recording: Path) -> None:
        self.endpoint = endpoint
        self.recording = recording

    def post(self, path: str) -> None:
        request = urllib.request.Request(f"{self.endpoint}{path}", method="POST")
        with urllib.request.urlopen(request, timeout=30):
            pass

    def fresh_account(self) -> None:
        """An empty account, as a new moto process starts with; nothing recorded meanwhile."""
        self.post("/moto-api/recorder/stop-recording")
        self.post("/moto-api/reset")


@pytest.fixture(scope="module")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Moto]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    recording = tmp_path_factory.mktemp("moto") / "aws-recording.jsonl"
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env={**os.environ, "MOTO_RECORDER_FILEPATH": str(recording)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=2):
                break
        except OSError:
            assert time.monotonic() < deadline, "moto did not start"
            assert server.poll() is None, "moto exited"
            time.sleep(0.1)
    yield Moto(endpoint, recording)
    server.kill()
    server.wait()


@pytest.fixture
def session(moto: Moto, monkeypatch: pytest.MonkeyPatch) -> boto3.Session:
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto.endpoint)
    return boto3.Session(
        aws_access_key_id="local", aws_secret_access_key="local", region_name="us-east-1"
    )


def test_seeding_creates_exactly_the_declared_tables_buckets_and_streams(
    moto: Moto, session: boto3.Session
) -> None:
    moto.fresh_account()
    apps = load_apps()
    create_resources(apps, session)

    dynamodb = session.client("dynamodb")
    declared = [budget_table(), *(item for app in apps for item in app.data.tables.items())]
    tables = {local_name(n): t for n, t in declared}
    assert sorted(dynamodb.list_tables()["TableNames"]) == sorted(tables)
    for name, declared in tables.items():
        described = dynamodb.describe_table(TableName=name)["Table"]
        keys = [(declared.hash_key, "HASH")]
        if declared.range_key:
            keys.append((declared.range_key, "RANGE"))
        assert described["KeySchema"] == [
            {"AttributeName": key.name, "KeyType": kind} for key, kind in keys
        ]
        assert sorted(
            (a["AttributeName"], a["AttributeType"]) for a in described["AttributeDefinitions"]
        ) == sorted((key.name, key.type) for key, _ in keys)
        ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        if declared.ttl:
            assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": declared.ttl}
        else:
            assert ttl["TimeToLiveStatus"] == "DISABLED"

    buckets = {b["Name"] for b in session.client("s3").list_buckets()["Buckets"]}
    assert buckets == {local_name(b) for app in apps for b in app.data.buckets}
    streams = session.client("kinesis").list_streams()["StreamNames"]
    assert sorted(streams) == sorted(local_name(s) for app in apps for s in app.data.streams)
    # What the shopping API writes (a turn with its expiry) fits the table as declared.
    assert "genai-local-shop-chat-history" in tables


def test_a_line_cut_short_in_the_middle_is_skipped_and_everything_around_it_replayed(
    moto: Moto, session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    moto.fresh_account()
    moto.recording.unlink(missing_ok=True)
    create_resources(load_apps(), session)
    restore_and_record(moto.endpoint, moto.recording)  # nothing to replay: starts recording
    dynamodb, s3 = session.client("dynamodb"), session.client("s3")
    table, bucket = local_name("case-sheets"), local_name("case-sheets")

    def put(case: str) -> None:
        dynamodb.put_item(TableName=table, Item={"caseSheetId": {"S": case}})

    put("cs-before")
    s3.put_object(Bucket=bucket, Key="cs-before.xlsx", Body=b"PK workbook")
    put("cs-cut")
    put("cs-after")
    session.client("kinesis").put_record(
        StreamName=local_name("reviews"), Data=b"{}", PartitionKey="p"
    )
    moto.fresh_account()

    lines = moto.recording.read_text().splitlines()
    assert len(lines) == 5
    cut = lines[2][: len(lines[2]) // 2]  # the put of cs-cut, as a crash mid-write leaves it
    moto.recording.write_text("\n".join([*lines[:2], cut, *lines[3:]]) + "\n")
    create_resources(load_apps(), session)
    restore_and_record(moto.endpoint, moto.recording)

    out = capsys.readouterr().out
    assert "aws-recording.jsonl line 3 is not a whole request" in out
    assert "Restoring local AWS data from the last run (3 requests)" in out
    for case in ("cs-before", "cs-after"):
        assert "Item" in dynamodb.get_item(TableName=table, Key={"caseSheetId": {"S": case}})
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"caseSheetId": {"S": "cs-cut"}})
    assert s3.get_object(Bucket=bucket, Key="cs-before.xlsx")["Body"].read() == b"PK workbook"
    backup = moto.recording.with_name(moto.recording.name + ".bak")
    assert cut in backup.read_text()
    # Recording goes on after the replay, into the repaired file.
    put("cs-new")
    last = json.loads(moto.recording.read_text().splitlines()[-1])
    assert b'"cs-new"' in base64.b64decode(last["body"])
