"""Local mode's recording of AWS requests: the stream's traffic is not replayed at the next start."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from tests.scripts.stand_ins import ROOT


def local_mode() -> ModuleType:
    spec = importlib.util.spec_from_file_location("local_mode", ROOT / "scripts" / "local_mode.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    # Its dataclasses look their module up while they are defined.
    sys.modules["local_mode"] = module
    spec.loader.exec_module(module)
    return module


def row(target: str | None, body: str = "{}") -> str:
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    if target:
        headers["X-Amz-Target"] = target
    return json.dumps(
        {"method": "POST", "url": "http://127.0.0.1:4566/", "headers": headers, "body": body}
    )


def test_stream_requests_are_dropped_and_everything_else_kept_in_order(tmp_path: Path) -> None:
    recording = tmp_path / "aws-recording.jsonl"
    rows = [
        row("DynamoDB_20120810.PutItem", '{"case": 1}'),
        row("Kinesis_20131202.PutRecords"),
        row(None, "<s3 put>"),
        row("Kinesis_20131202.GetRecords"),
        row("DynamoDB_20120810.PutItem", '{"case": 2}'),
    ]
    recording.write_text("".join(f"{r}\n" for r in rows))
    local_mode().drop_stream_traffic(recording)
    assert recording.read_text().splitlines() == [rows[0], rows[2], rows[4]]


def test_no_recording_yet_is_fine(tmp_path: Path) -> None:
    local_mode().drop_stream_traffic(tmp_path / "absent.jsonl")
    assert not (tmp_path / "absent.jsonl").exists()
