"""The producer against moto Kinesis: what it sends, throttling, failures, Ctrl-C, hostile lines."""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import given
from hypothesis import strategies as st
from review_stream.__main__ import main
from review_stream.producer import (
    MAX_RECORD_BYTES,
    Outgoing,
    ProduceOptions,
    Producer,
    produce,
    to_record,
)

from tests.apps.review_stream.conftest import STREAM, review, stream_records
from tests.fakes.json_server import serve_json


class Sleeps:
    """Records the waits instead of waiting; can stop the run like Ctrl-C after some calls."""

    def __init__(self, interrupt_after: int | None = None) -> None:
        self.waits: list[float] = []
        self.interrupt_after = interrupt_after

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self.interrupt_after is not None and len(self.waits) >= self.interrupt_after:
            raise KeyboardInterrupt


class Flaky:
    """The moto client, but PutRecords is throttled once, then partly fails once, as Kinesis does."""

    def __init__(self, client: Any, *, always_fail: bool = False) -> None:
        self._client = client
        self.calls: list[int] = []
        self.always_fail = always_fail

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def put_records(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(len(kwargs["Records"]))
        if len(self.calls) == 1:
            raise ClientError(
                {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow"}},
                "PutRecords",
            )
        if self.always_fail:
            rejected = {"ErrorCode": "InternalFailure", "ErrorMessage": "Internal service failure"}
            return {
                "FailedRecordCount": len(kwargs["Records"]),
                "Records": [rejected] * len(kwargs["Records"]),
            }
        if len(self.calls) == 2:
            # The first record goes through; the others are rejected, as in a partial failure.
            first = self._client.put_records(
                StreamName=kwargs["StreamName"], Records=kwargs["Records"][:1]
            )
            rejected = {
                "ErrorCode": "ProvisionedThroughputExceededException",
                "ErrorMessage": "Rate exceeded for shard",
            }
            return {
                "FailedRecordCount": len(kwargs["Records"]) - 1,
                "Records": first["Records"] + [rejected] * (len(kwargs["Records"]) - 1),
            }
        return self._client.put_records(**kwargs)


def options(path: Path, **overrides: Any) -> ProduceOptions:
    return ProduceOptions(**{"stream": STREAM, "rate": 1000.0, "file": path, **overrides})


def run(opts: ProduceOptions, client: Any, sleep: Sleeps | None = None) -> tuple[int, str]:
    out = io.StringIO()
    status = produce(opts, client, region="us-east-1", sleep=sleep or Sleeps(), out=out)
    return status, out.getvalue()


def sent_reviews(kinesis: Any) -> list[dict[str, Any]]:
    return [json.loads(r["Data"]) for r in stream_records(kinesis)]


def test_sends_each_review_without_its_label_stamped_with_the_time_it_is_sent(
    kinesis: Any, reviews_file: Path
) -> None:
    before = datetime.now(UTC)
    status, out = run(options(reviews_file), kinesis)
    assert status == 0
    assert "Sent 3 review(s) to reviews-test." in out
    records = stream_records(kinesis)
    assert [r["PartitionKey"] for r in records] == ["user-1", "user-2", "user-3"]
    sent = [json.loads(r["Data"]) for r in records]
    assert [r["reviewId"] for r in sent] == [1, 2, 3]
    assert all("label" not in r for r in sent)
    assert sent[1]["text"] == "Broke after a week. Terrible, awful quality."
    for r in sent:
        assert before <= datetime.fromisoformat(r["dateTime"]) <= datetime.now(UTC)


def test_keep_dates_sends_the_files_own_dates(kinesis: Any, reviews_file: Path) -> None:
    assert run(options(reviews_file, keep_dates=True), kinesis)[0] == 0
    assert {r["dateTime"] for r in sent_reviews(kinesis)} == {"2026-03-02T08:02:03Z"}


def test_count_and_loop_replay_the_file_up_to_the_count(kinesis: Any, reviews_file: Path) -> None:
    status, out = run(options(reviews_file, loop=True, count=7), kinesis)
    assert status == 0 and "Sent 7 review(s)" in out
    assert [r["reviewId"] for r in sent_reviews(kinesis)] == [1, 2, 3, 1, 2, 3, 1]


def test_rate_paces_the_calls(kinesis: Any, reviews_file: Path) -> None:
    sleep = Sleeps()
    producer = Producer(kinesis, STREAM, region="us-east-1", sleep=sleep, clock=lambda: 0.0)
    records = [Outgoing(b"{}", "k", n) for n in range(20)]
    assert producer.run(records, 10.0, lambda n: None, print) == 20
    # Batches of two (10/s in about five calls a second), each followed by a wait for its slot.
    assert sleep.waits == pytest.approx([0.2 * n for n in range(1, 11)])


def test_throttled_calls_and_rejected_records_are_sent_again(
    kinesis: Any, reviews_file: Path
) -> None:
    flaky = Flaky(kinesis)
    sleep = Sleeps()
    status, out = run(options(reviews_file), flaky, sleep)
    assert status == 0 and "Sent 3 review(s)" in out
    assert flaky.calls == [3, 3, 2]
    assert sorted(r["reviewId"] for r in sent_reviews(kinesis)) == [1, 2, 3]
    assert len([w for w in sleep.waits if w > 0]) >= 2


def test_records_still_failing_stop_the_run_with_the_lines_named(
    kinesis: Any, reviews_file: Path
) -> None:
    status, out = run(options(reviews_file), Flaky(kinesis, always_fail=True))
    assert status == 1
    assert "3 record(s) (lines 1, 2, 3) still failed after 10 attempts (InternalFailure)" in out
    assert "0 were sent" in out


def test_a_missing_stream_is_a_clear_error(kinesis: Any, reviews_file: Path) -> None:
    status, out = run(options(reviews_file, stream="nope"), kinesis)
    assert status == 2
    assert "Kinesis stream 'nope' does not exist in us-east-1" in out
    assert "--stream" in out


def test_a_missing_or_empty_file_is_a_clear_error(kinesis: Any, tmp_path: Path) -> None:
    status, out = run(options(tmp_path / "absent.jsonl"), kinesis)
    assert status == 2 and "Cannot read the reviews file" in out and "--file" in out
    (tmp_path / "blank.jsonl").write_text("\n  \n")
    status, out = run(options(tmp_path / "blank.jsonl"), kinesis)
    assert status == 2 and "holds no reviews" in out


def test_ctrl_c_stops_cleanly_with_the_number_sent(kinesis: Any, tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(json.dumps(review(n)) for n in range(100)))
    status, out = run(options(path, rate=10.0), kinesis, Sleeps(interrupt_after=3))
    assert status == 130
    assert "Stopped: 6 review(s) sent to reviews-test." in out
    assert "Traceback" not in out
    assert len(stream_records(kinesis)) == 6


def test_hostile_lines_are_sent_for_the_pipeline_to_judge_or_reported(
    kinesis: Any, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.jsonl"
    huge = json.dumps(review(9, "x" * (MAX_RECORD_BYTES + 10)))
    lines = [
        b"{not json",
        json.dumps(review(4, "bell\x07 and nul\x00")).encode(),
        b"[1, 2, 3]",
        b"\xff\xfe invalid utf-8",
        huge.encode(),
        json.dumps(review(5, "fine", userId="u" * 300)).encode(),
        b'{"reviewId": 6, "userId": "\\ud800", "text": "lone surrogate"}',
    ]
    path.write_bytes(b"\n".join(lines))
    status, out = run(options(path), kinesis)
    assert status == 0
    assert "Line 5 is" in out and "over Kinesis's 1 MiB record limit: skipped" in out
    assert "Sent 6 review(s)" in out
    data = [r["Data"] for r in stream_records(kinesis)]
    assert data[0] == b"{not json"
    assert json.loads(data[1])["text"] == "bell\x07 and nul\x00"
    assert data[3] == b"\xff\xfe invalid utf-8"
    assert data[5] == lines[6]


@given(st.binary(min_size=1, max_size=2000).filter(bytes.strip))
def test_any_line_becomes_a_record_with_a_valid_partition_key(line: bytes) -> None:
    outgoing = to_record(line, 1, datetime.now(UTC) - timedelta(seconds=1))
    assert 1 <= len(outgoing.partition_key.encode()) <= 256
    assert outgoing.data


def test_cli_rejects_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["produce", "--rate", "0"],
        ["produce", "--rate", "fast"],
        ["produce", "--count", "-1"],
    ):
        with pytest.raises(SystemExit) as stopped:
            main(argv)
        assert stopped.value.code == 2
    assert "must be above 0" in capsys.readouterr().err


def test_cli_produces_to_the_named_stream(
    kinesis: Any, reviews_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["produce", "--rate", "500", "--stream", STREAM, "--file", str(reviews_file)]
    assert main([*argv, "--count", "2"]) == 0
    assert "Sent 2 review(s)" in capsys.readouterr().err
    assert main([*argv[:-4], "--stream", "absent", "--file", str(reviews_file)]) == 2
    assert "does not exist" in capsys.readouterr().err


class Interrupted:
    """A client on which the first call is interrupted, as Ctrl-C during a retry wait does."""

    def describe_stream_summary(self, **kwargs: Any) -> Any:
        raise KeyboardInterrupt


def test_ctrl_c_before_sending_stops_cleanly(reviews_file: Path) -> None:
    status, out = run(options(reviews_file), Interrupted())
    assert status == 130 and "Stopped: 0 review(s) sent" in out


def test_an_unreachable_endpoint_is_a_clear_error(reviews_file: Path) -> None:
    with serve_json(lambda *_: (200, {})) as url:
        closed = url
    client = boto3.client(
        "kinesis",
        region_name="us-east-1",
        endpoint_url=closed,
        config=Config(retries={"total_max_attempts": 1}),
    )
    status, out = run(options(reviews_file), client)
    assert status == 2 and "Kinesis cannot be reached: Could not connect" in out


def test_cli_reaches_local_mode_from_a_terminal_without_aws_settings(
    reviews_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    try:
        host, port = server.get_host_and_port()
        monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
        # Whatever the terminal holds stays out of requests to the local server.
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            monkeypatch.setenv(name, "from-the-terminal")
        monkeypatch.setenv("LOCAL_AWS_PORT", str(port))
        local = boto3.client(
            "kinesis",
            endpoint_url=f"http://{host}:{port}",
            region_name="us-east-1",
            **{"aws_access_key_id": "local", "aws_secret_access_key": "local"},
        )
        local.create_stream(StreamName=STREAM, ShardCount=1)
        argv = ["produce", "--local", "--rate", "500", "--count", "3", "--file", str(reviews_file)]
        assert main([*argv, "--stream", STREAM]) == 0
        assert "Sent 3 review(s)" in capsys.readouterr().err
        assert len(stream_records(local)) == 3
        assert os.environ["AWS_ACCESS_KEY_ID"] == "local"
        assert "AWS_SESSION_TOKEN" not in os.environ
    finally:
        server.stop()
