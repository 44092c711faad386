"""The local processor against moto Kinesis: bad records, restarts, replays, outages."""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from review_stream import local_processor, pipeline
from review_stream.analysis import OfflineAnalyzer
from review_stream.local_processor import LocalProcessor, serve_health
from review_stream.store import LocalStore
from reviews_domain.model import Analysis, Review

from tests.apps.review_stream.conftest import STREAM, create_stream, put, record


class Counting:
    """The offline analyzer, counting the reviews it is given."""

    name = OfflineAnalyzer.name

    def __init__(self) -> None:
        self._offline = OfflineAnalyzer()
        self.seen: list[int] = []

    async def analyze(self, review: Review) -> Analysis:
        self.seen.append(review.review_id)
        return await self._offline.analyze(review)


class Unreachable:
    """The moto client, but its first ``failures`` calls fail as an endpoint that is down."""

    def __init__(self, client: Any, failures: int) -> None:
        self._client = client
        self.failures = failures

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)

        def call(**kwargs: Any) -> Any:
            if self.failures:
                self.failures -= 1
                raise EndpointConnectionError(endpoint_url="http://127.0.0.1:4566")
            return method(**kwargs)

        return call


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "reviews.sqlite3")


def processor(
    client: Any, store: LocalStore, analyzer: Any = None, **kwargs: Any
) -> LocalProcessor:
    return LocalProcessor(client, store, STREAM, analyzer or Counting(), **kwargs)


@pytest.fixture
def running() -> Iterator[Callable[[LocalProcessor], threading.Event]]:
    """Starts processors in threads with short polls; stops them at the end of the test."""
    threads: list[tuple[threading.Thread, threading.Event]] = []

    def start(proc: LocalProcessor) -> threading.Event:
        stop = threading.Event()
        thread = threading.Thread(
            target=proc.run, args=(stop,), kwargs={"poll_s": 0.01, "idle_poll_s": 0.05}
        )
        thread.start()
        threads.append((thread, stop))
        return stop

    yield start
    for thread, stop in threads:
        stop.set()
        thread.join(10)
        assert not thread.is_alive()


def eventually(condition: Callable[[], bool], timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_reviews_are_processed_and_bad_records_become_dead_letters(
    kinesis: Any, store: LocalStore
) -> None:
    put(
        kinesis,
        [
            record(1, "I love it. Works great, best purchase ever."),
            record(2, "Terrible. It broke on day one and support was awful."),
            b"{not json",
            b"\xff\xfe not utf-8",
            record(3, "bell \x07 inside"),
            record(4, "x" * 30_000),
            json.dumps({"reviewId": -1, "userId": "u", "text": "t", "dateTime": "x"}).encode(),
            b'{"reviewId": 5, "userId": "u\\ud800", "text": "lone \\ud800", "dateTime": "2026-03-02T08:00:00Z"}',
        ],
    )
    proc = processor(kinesis, store)
    assert proc.poll_once() == 8
    reviews = {r.review_id: r for r in store.latest(10)}
    assert reviews[1].sentiment == "positive" and reviews[1].summary == "I love it."
    assert reviews[2].sentiment == "negative"
    assert store.volume() + store.dead_letter_count() == 8
    reasons = [d.reason for d in store.latest_dead_letters(10)]
    assert any("not valid JSON" in r for r in reasons)
    assert any("not UTF-8" in r for r in reasons)
    assert proc.status.processed + proc.status.dead_letters == 8
    assert store.analyzer_name() == "offline stand-in (VADER, no model)"


def test_a_restart_carries_on_after_the_last_stored_record(kinesis: Any, store: LocalStore) -> None:
    put(kinesis, [record(n) for n in range(1, 4)])
    first = Counting()
    assert processor(kinesis, store, first).poll_once() == 3
    put(kinesis, [record(4), record(5)])

    again = Counting()
    restarted = processor(kinesis, store, again)
    assert restarted.poll_once() == 2
    assert again.seen == [4, 5]
    assert restarted.poll_once() == 0
    assert store.volume() == 5


def test_a_replayed_stream_is_recognised_and_not_reprocessed(
    kinesis: Any, store: LocalStore
) -> None:
    # moto's recording, replayed at local mode's next start, recreates the stream with the
    # same records under the same sequence numbers.
    records = [record(n) for n in range(1, 4)]
    put(kinesis, records)
    assert processor(kinesis, store).poll_once() == 3
    kinesis.delete_stream(StreamName=STREAM)
    create_stream(kinesis)
    put(kinesis, records)
    again = Counting()
    assert processor(kinesis, store, again).poll_once() == 0
    assert again.seen == []


def test_a_recreated_stream_with_other_records_is_read_from_the_start_without_duplicates(
    kinesis: Any, store: LocalStore, caplog: pytest.LogCaptureFixture
) -> None:
    put(kinesis, [record(n) for n in range(1, 6)])
    assert processor(kinesis, store).poll_once() == 5
    kinesis.delete_stream(StreamName=STREAM)
    create_stream(kinesis)
    put(kinesis, [record(1, "Changed my mind. Awful."), record(9)])
    again = Counting()
    with caplog.at_level(logging.WARNING):
        assert processor(kinesis, store, again).poll_once() == 2
    assert again.seen == [1, 9]
    assert "the stream was recreated" in caplog.text
    assert store.volume() == 6
    assert {r.review_id: r.sentiment for r in store.latest(10)}[1] == "negative"


def test_every_shard_is_read(aws: None, store: LocalStore) -> None:
    client = boto3.client("kinesis", region_name="us-east-1")
    create_stream(client, shards=3)
    put(client, [record(n) for n in range(1, 31)])
    proc = processor(client, store, batch_size=4)
    while proc.poll_once():
        pass
    assert store.volume() == 30
    assert len(store.checkpoints(STREAM)) == 3


def test_a_failing_pipeline_keeps_the_batch_as_dead_letters(
    kinesis: Any, store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr(local_processor, "process_records", broken)
    put(kinesis, [record(1), record(2)])
    proc = processor(kinesis, store)
    assert proc.poll_once() == 2
    assert store.dead_letter_count() == 2
    assert {d.reason for d in store.latest_dead_letters()} == {
        "processing failed: RuntimeError: bug"
    }
    assert {d.review_id for d in store.latest_dead_letters()} == {1, 2}
    assert proc.poll_once() == 0


GOOD = [record(n, f"Review {n}. Works great, would buy again.") for n in range(1, 101)]
# Issue 22's record: a review about 2 KB long, nested 1000 levels deep.
DEEP = record(500, extra=None).replace(b"null", b"[" * 1000 + b"]" * 1000)
RAISES = record(501, "POISON: its processing raises, every time.")


def read_with_a_restart(kinesis: Any, store: LocalStore) -> list[LocalProcessor]:
    """Reads the stream in batches of 40 and restarts after two of them (80 of 101 records),
    then once more at the end; returns the processors that ran."""
    first = processor(kinesis, store, batch_size=40)
    assert first.poll_once() + first.poll_once() == 80
    again = processor(kinesis, store, batch_size=40)
    while again.poll_once():
        pass
    last = processor(kinesis, store, batch_size=40)
    assert last.poll_once() == 0
    return [first, again, last]


@pytest.mark.parametrize("poison", [DEEP, RAISES], ids=["nested-1000-deep", "raises-twice"])
def test_a_poison_record_becomes_one_dead_letter_and_the_stream_goes_on(
    kinesis: Any, store: LocalStore, monkeypatch: pytest.MonkeyPatch, poison: bytes
) -> None:
    parsed: list[bytes | str] = []
    parse_review = pipeline.parse_review

    def parse(raw: bytes | str) -> Any:
        if raw == RAISES:
            parsed.append(raw)
            raise RecursionError("maximum recursion depth exceeded")
        return parse_review(raw)

    monkeypatch.setattr(pipeline, "parse_review", parse)
    put(kinesis, [*GOOD[:50], poison, *GOOD[50:]])

    runs = read_with_a_restart(kinesis, store)

    # 100 processed and 1 dead letter: none lost, none stored or processed twice.
    assert store.volume() == 100 and store.dead_letter_count() == 1
    assert sum(run.status.processed for run in runs) == 100
    assert sum(run.status.dead_letters for run in runs) == 1
    assert {r.review_id for r in store.latest(100)} == set(range(1, 101))
    (letter,) = store.latest_dead_letters()
    assert letter.raw == poison.decode()
    if poison == RAISES:
        assert len(parsed) == 2
        assert letter.reason == (
            "processing failed 2 times: RecursionError: maximum recursion depth exceeded"
        )
    else:
        assert "1001 levels deep" in letter.reason


def test_an_unreachable_endpoint_is_retried_and_logged(
    kinesis: Any,
    store: LocalStore,
    running: Callable[[LocalProcessor], threading.Event],
    caplog: pytest.LogCaptureFixture,
) -> None:
    put(kinesis, [record(1), record(2)])
    proc = processor(Unreachable(kinesis, failures=3), store)
    with caplog.at_level(logging.INFO):
        running(proc)
        eventually(lambda: store.volume() == 2)
        eventually(lambda: proc.status.problem is None)
    assert "poll failed (EndpointConnectionError" in caplog.text
    assert "reading stream reviews-test again" in caplog.text


def test_it_waits_for_a_stream_created_after_it_started(
    aws: None,
    store: LocalStore,
    running: Callable[[LocalProcessor], threading.Event],
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = boto3.client("kinesis", region_name="us-east-1")
    proc = processor(client, store)
    with caplog.at_level(logging.WARNING):
        running(proc)
        eventually(lambda: proc.status.problem is not None)
        create_stream(client)
        put(client, [record(1)])
        eventually(lambda: store.volume() == 1)
    assert (
        "Kinesis stream 'reviews-test' does not exist: waiting for it to be created" in caplog.text
    )
    assert caplog.text.count("waiting for it to be created") == 1


def test_healthz_reports_the_status(kinesis: Any, store: LocalStore) -> None:
    put(kinesis, [record(1), b"bad"])
    proc = processor(kinesis, store)
    proc.poll_once()
    server = serve_health(proc, 0)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:
            status = json.load(answer)
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{url}/other", timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert status == {
        "stream": STREAM,
        "processed": 1,
        "dead_letters": 1,
        "polls": 1,
        "problem": None,
    }
