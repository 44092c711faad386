"""Local mode's recording of AWS requests, checked before it is replayed: cut-short or foreign
lines are reported and left out, reads and the stream's traffic are not replayed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from localmode.recording import check, repair


def row(target: str | None, body: str = "{}", method: str = "POST") -> str:
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    if target:
        headers["X-Amz-Target"] = target
    return json.dumps(
        {"method": method, "url": "http://127.0.0.1:4566/", "headers": headers, "body": body}
    )


def test_stream_requests_and_reads_are_dropped_and_everything_else_kept_in_order(
    tmp_path: Path,
) -> None:
    recording = tmp_path / "aws-recording.jsonl"
    rows = [
        row("DynamoDB_20120810.PutItem", '{"case": 1}'),
        row("Kinesis_20131202.PutRecords"),
        row(None, "<s3 put>", method="PUT"),
        row(None, "", method="HEAD"),
        row("Kinesis_20131202.GetRecords"),
        row(None, "", method="GET"),
        row("DynamoDB_20120810.PutItem", '{"case": 2}'),
    ]
    recording.write_text("".join(f"{r}\n" for r in rows))
    assert repair(recording) == 3
    assert recording.read_text().splitlines() == [rows[0], rows[2], rows[6]]
    assert not recording.with_name(recording.name + ".bak").exists()


@pytest.mark.parametrize(
    "bad",
    [
        row("DynamoDB_20120810.PutItem")[:40],  # cut short mid-write
        "not json at all",
        "[1, 2, 3]",
        json.dumps({"method": "POST", "url": "http://x/", "headers": None, "body": ""}),
        json.dumps(
            {
                "method": "PUT",
                "url": "http://x/",
                "headers": {},
                "body": "%%%",
                "body_encoded": True,
            }
        ),
        '{"method": "PUT", "url": "\\ud800 \xff"',
    ],
)
def test_a_line_that_is_not_a_whole_request_is_reported_and_left_out(
    tmp_path: Path, bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    recording = tmp_path / "aws-recording.jsonl"
    good = [row("DynamoDB_20120810.PutItem", f'{{"case": {n}}}') for n in range(3)]
    original = f"{good[0]}\n{good[1]}\n{bad}\n{good[2]}\n".encode()
    recording.write_bytes(original)
    assert check(recording).bad_lines == [3]
    assert repair(recording) == 3
    assert recording.read_text().splitlines() == good
    out = capsys.readouterr().out
    assert "aws-recording.jsonl line 3 is not a whole request" in out
    assert recording.with_name(recording.name + ".bak").read_bytes() == original


def test_a_last_line_cut_short_does_not_spoil_the_next_append(tmp_path: Path) -> None:
    recording = tmp_path / "aws-recording.jsonl"
    whole = row("DynamoDB_20120810.PutItem")
    recording.write_text(f"{whole}\n{whole[:25]}")
    repair(recording)
    with recording.open("a") as appending:  # as moto's recorder appends
        appending.write(whole + "\n")
    assert check(recording).bad_lines == []
    assert len(check(recording).kept) == 2


def test_no_recording_yet_is_fine(tmp_path: Path) -> None:
    assert repair(tmp_path / "absent.jsonl") == 0
    assert not (tmp_path / "absent.jsonl").exists()
