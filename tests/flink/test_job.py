"""The Flink job on PyFlink's local mini-cluster: a bounded source instead of Kinesis, the real
async operators, a Bedrock client answered in-process (latency, throttling) and the real bulk
writer against an OpenSearch endpoint on localhost."""

from __future__ import annotations

import functools
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from review_stream import flink_job
from review_stream.flink_settings import JobSettings
from review_stream.indexes import DEAD_LETTER_INDEX, INDEX
from reviews_domain.model import DeadLetter

from tests.flink.fake_bedrock import _fraction, fake_bedrock_client
from tests.flink.fake_opensearch import BulkStore, fake_opensearch

SAMPLE = Path(__file__).resolve().parents[2] / "datasets" / "reviews" / "reviews.jsonl"
RECORDS = 1000
THROTTLE_RATE = 0.3
MAX_ATTEMPTS = 4
MALFORMED = [
    "not json at all",
    '{"reviewId": 7, "userId": "u1", "text": "cut off',
    "[1, 2, 3]",
    '{"reviewId": 8, "userId": "u1", "dateTime": "2026-03-02T08:00:00Z"}',
    '{"reviewId": -4, "userId": "u1", "text": "fine", "dateTime": "2026-03-02T08:00:00Z"}',
    '{"reviewId": true, "userId": "u1", "text": "fine", "dateTime": "2026-03-02T08:00:00Z"}',
    '{"reviewId": 9, "userId": "u1", "text": "fine", "dateTime": "yesterday"}',
    '{"reviewId": 10, "userId": "u\\u0000x", "text": "fine", "dateTime": "2026-03-02T08:00:00Z"}',
    '{"reviewId": 11, "userId": "u1", "text": "   ", "dateTime": "2026-03-02T08:00:00Z"}',
    '{"reviewId": 12, "userId": "u1", "text": "fine", "dateTime": 1772438400}',
]


def stream_input() -> tuple[list[str], dict[int, str]]:
    """RECORDS records, 1 % of them malformed, the rest reviews with unique texts."""
    sample = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    valid = RECORDS - len(MALFORMED)
    reviews = {}
    for n in range(valid):
        row = sample[n % len(sample)]
        review_id = 100_000 + n
        reviews[review_id] = json.dumps(
            {
                "reviewId": review_id,
                "userId": row["userId"],
                "text": f"{row['text']} (order {n})",
                "dateTime": row["dateTime"],
            }
        )
    raws = list(reviews.values())
    step = len(raws) // len(MALFORMED)
    for k, bad in enumerate(MALFORMED):
        raws.insert(k * step + 3, bad)
    return raws, reviews


def exhausted(raw: str) -> bool:
    """Whether the fake throttles every attempt at this review (the same hash it decides by)."""
    import hashlib

    text = json.loads(raw)["text"].replace("</review>", "</ review>")
    key = hashlib.sha256(f"<review>\n{text}\n</review>".encode()).hexdigest()
    return all(_fraction(key, n) < THROTTLE_RATE for n in range(1, MAX_ATTEMPTS + 1))


def settings(endpoint: str, *, timeout_s: float = 20.0, capacity: int = 64) -> JobSettings:
    return JobSettings.model_validate(
        {
            "STREAM_ARN": "arn:aws:kinesis:us-east-1:123456789012:stream/reviews",
            "AWS_REGION": "us-east-1",
            "MODEL_ID": "us.anthropic.claude-haiku-4-5-20251001-v1:0",
            "OPENSEARCH_ENDPOINT": endpoint,
            "CAPACITY": str(capacity),
            "TIMEOUT_SECONDS": str(timeout_s),
            "MAX_ATTEMPTS": str(MAX_ATTEMPTS),
        }
    )


def run(
    env: Any,
    raws: list[str],
    job_settings: JobSettings,
    sink_timeout_s: float = flink_job.SINK_TIMEOUT_S,
    **fake: float,
) -> list[str]:
    from pyflink.common import Types

    records = env.from_collection(raws, Types.STRING())
    bedrock = functools.partial(fake_bedrock_client, **fake)
    stored = flink_job.build(records, job_settings, bedrock=bedrock, sink_timeout_s=sink_timeout_s)
    return list(stored.execute_and_collect())


def snapshot(store: BulkStore) -> dict[tuple[str, str], str]:
    """The stored documents, without the time a dead letter was written (a replay renews it)."""
    return {
        key: json.dumps({k: v for k, v in doc.items() if k != "failedAt"}, sort_keys=True)
        for key, doc in store.documents.items()
    }


def test_every_record_is_stored_once_and_a_replay_overwrites(flink_env: Any) -> None:
    raws, reviews = stream_input()
    with fake_opensearch(pushback_rate=0.1) as (endpoint, store):
        job_settings = settings(endpoint)
        first = run(flink_env, raws, job_settings, latency_s=0.01, throttle_rate=THROTTLE_RATE)
        after_first = snapshot(store)
        writes_first = store.writes
        second = run(flink_env, raws, job_settings, latency_s=0.01, throttle_rate=THROTTLE_RATE)

    # Every record was acknowledged once per run, as exactly one stored document.
    assert len(first) == len(second) == RECORDS
    assert Counter(first).most_common(1)[0][1] == 1
    assert sorted(first) == sorted(second)

    processed = store.index(INDEX)
    dead = store.index(DEAD_LETTER_INDEX)
    assert len(processed) + len(dead) == RECORDS, "a record was lost or stored twice"

    # Processed reviews are keyed by reviewId; the documents are what the analysis said.
    gave_up = {rid for rid, raw in reviews.items() if exhausted(raw)}
    assert set(map(int, processed)) == set(reviews) - gave_up
    for doc_id, doc in processed.items():
        assert doc["reviewId"] == int(doc_id)
        assert doc["sentiment"] in ("positive", "negative")
        assert doc["summary"] and doc["userId"] and doc["dateTime"].startswith("2026-03-")

    # Dead letters: every malformed record, and the reviews throttled on every attempt.
    by_raw = {doc["raw"]: doc for doc in dead.values()}
    assert set(by_raw) == set(MALFORMED) | {reviews[rid] for rid in gave_up}
    for raw in MALFORMED:
        assert by_raw[raw]["reason"].startswith("invalid record: ")
        assert DeadLetter.of(raw, "").doc_id in dead
    for rid in gave_up:
        letter = by_raw[reviews[rid]]
        assert letter["reviewId"] == rid
        assert (
            f"still failing after {MAX_ATTEMPTS} attempts: ThrottlingException" in letter["reason"]
        )

    # The replay wrote every document again, over the same ids: nothing was added.
    assert store.writes == 2 * writes_first
    assert snapshot(store) == after_first
    assert store.pushbacks > 0, "the writer's retry of pushed-back documents was not exercised"


def test_a_review_the_model_answers_too_late_or_wrongly_is_a_dead_letter(flink_env: Any) -> None:
    raws, reviews = stream_input()
    sample = raws[:20]
    with fake_opensearch() as (endpoint, store):
        stored = run(
            flink_env,
            sample,
            settings(endpoint, timeout_s=0.3, capacity=8),
            latency_s=1.0,
            throttle_rate=0.0,
        )
    assert len(stored) == len(sample)
    assert store.count(INDEX) == 0
    reasons = Counter(
        doc["reason"].split(":")[0] for doc in store.index(DEAD_LETTER_INDEX).values()
    )
    valid = sum(raw in reviews.values() for raw in sample)
    assert reasons == Counter(
        {"analysis timed out after 0.3 s": valid, "invalid record": len(sample) - valid}
    )


@pytest.mark.parametrize("bad_output_rate", [1.0])
def test_invalid_tool_output_becomes_a_dead_letter(flink_env: Any, bad_output_rate: float) -> None:
    raws, reviews = stream_input()
    sample = [raw for raw in raws if raw in reviews.values()][:10]
    with fake_opensearch() as (endpoint, store):
        stored = run(
            flink_env,
            sample,
            settings(endpoint),
            latency_s=0.0,
            throttle_rate=0.0,
            bad_output_rate=bad_output_rate,
        )
    assert len(stored) == len(sample) == store.count(DEAD_LETTER_INDEX)
    for doc in store.index(DEAD_LETTER_INDEX).values():
        assert doc["reason"].startswith("analysis failed: invalid record_review_analysis input")


# Issue 22's record: a review about 2 KB long, nested 1000 levels deep. It made the dead-letter
# code raise RecursionError, which fails the job, and a restart meets it again.
POISON = (
    json.dumps(
        {"reviewId": 999_999, "userId": "u1", "text": "fine", "dateTime": "2026-03-02T08:00:00Z"}
    )[:-1]
    + ', "extra": '
    + "[" * 1000
    + "]" * 1000
    + "}"
)


def test_a_poison_record_is_one_dead_letter_and_the_job_goes_on(flink_env: Any) -> None:
    raws, reviews = stream_input()
    good = [raw for raw in raws if raw in reviews.values()][:100]
    records = [*good[:50], POISON, *good[50:]]
    with fake_opensearch() as (endpoint, store):
        first = run(flink_env, records, settings(endpoint), latency_s=0.0, throttle_rate=0.0)
        after_first = snapshot(store)
        # The job from its start again, as after a restart with nothing checkpointed.
        again = run(flink_env, records, settings(endpoint), latency_s=0.0, throttle_rate=0.0)

    assert len(first) == len(again) == 101 and sorted(first) == sorted(again)
    assert store.count(INDEX) == 100 and store.count(DEAD_LETTER_INDEX) == 1
    assert set(map(int, store.index(INDEX))) == {json.loads(raw)["reviewId"] for raw in good}
    (letter,) = store.index(DEAD_LETTER_INDEX).values()
    assert letter["raw"] == POISON and "nested 1001 levels deep" in letter["reason"]
    assert snapshot(store) == after_first


def test_a_write_slower_than_the_sink_timeout_is_written_again_not_a_failure(
    flink_env: Any,
) -> None:
    raws, reviews = stream_input()
    sample = raws[:20]
    # Every bulk request takes 1 s: each write outlives the 0.3 s timeout.
    with fake_opensearch(delay_s=1.0) as (endpoint, store):
        stored = run(
            flink_env,
            sample,
            settings(endpoint),
            sink_timeout_s=0.3,
            latency_s=0.0,
            throttle_rate=0.0,
        )
    assert sorted(stored) == sorted(set(stored)) and len(stored) == len(sample)
    assert store.count(INDEX) + store.count(DEAD_LETTER_INDEX) == len(sample)
    assert store.count(INDEX) == sum(raw in reviews.values() for raw in sample)
    # Written by the first attempt and again by the timeout's: overwrites, not new documents.
    assert store.writes > len(sample)


class Recorded:
    def __init__(self) -> None:
        self.count = 0

    def inc(self, n: int = 1) -> None:
        self.count += n


class Metrics:
    """A metric group that records the counters registered in it, by their group path."""

    def __init__(self, path: str = "") -> None:
        self.path = path
        self.counters: dict[str, Recorded] = {}

    def add_group(self, name: str) -> Metrics:
        group = Metrics(f"{self.path}{name}.")
        group.counters = self.counters
        return group

    def counter(self, name: str) -> Recorded:
        assert f"{self.path}{name}" not in self.counters, f"{name} registered twice"
        self.counters[f"{self.path}{name}"] = counter = Recorded()
        return counter


def test_dead_letters_are_counted_by_one_operator_once_stored() -> None:
    metrics = Metrics()
    context = type("Context", (), {"get_metrics_group": lambda self: metrics})()
    job_settings = settings("http://127.0.0.1:9")
    operators = [
        flink_job.ParseRecords(),
        flink_job.RouteOutcomes(),
        flink_job.WriteDocuments(job_settings, lambda _: None),
        flink_job.CountStored(),
    ]
    for operator in operators:
        operator.open(context)
    operators[2].close()
    assert [name for name in metrics.counters if name.endswith("deadLetters")] == [
        "kinesisanalytics.deadLetters"
    ]
    count = operators[3]
    keys = [f"{DEAD_LETTER_INDEX}/ab12", f"{INDEX}/7", f"{DEAD_LETTER_INDEX}/cd34"]
    assert [key for value in keys for key in count.process_element(value, None)] == keys
    assert metrics.counters["kinesisanalytics.deadLetters"].count == 2
    assert metrics.counters["kinesisanalytics.storedReviews"].count == 1
