"""The results stores: SQLite upserts and queries, and OpenSearchStore's signed requests
against a local HTTP stub (no network)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from review_stream.indexes import DEAD_LETTER_INDEX, INDEX
from review_stream.store import (
    Checkpoint,
    LocalStore,
    OpenSearchStore,
    SentimentCount,
    StoreUnavailable,
)
from reviews_domain.model import RAW_LIMIT, DeadLetter, ProcessedReview

from tests.fakes.json_server import serve_json

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def processed(
    review_id: int, sentiment: str = "positive", minute: int = 0, summary: str = "Good."
) -> ProcessedReview:
    return ProcessedReview(
        review_id=review_id,
        user_id=f"user-{review_id}",
        summary=summary,
        sentiment=sentiment,
        date_time=T0 + timedelta(minutes=minute, seconds=review_id % 60),
    )


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "data" / "reviews.sqlite3")


def test_a_replayed_review_overwrites_instead_of_duplicating(store: LocalStore) -> None:
    store.upsert([processed(1, summary="First take."), processed(2)])
    store.upsert([processed(1, "negative", summary="Second take.")])
    assert store.volume() == 2
    latest = {r.review_id: r for r in store.latest(10)}
    assert latest[1].summary == "Second take." and latest[1].sentiment == "negative"


def test_a_replayed_dead_letter_is_stored_once(store: LocalStore) -> None:
    letter = DeadLetter.of(b"{not json", "invalid record: not JSON")
    store.add_dead_letters([letter])
    store.add_dead_letters([DeadLetter.of(b"{not json", "invalid record: not JSON")])
    store.add_dead_letters([DeadLetter.of(b"[]", "invalid record: not a JSON object")])
    assert store.dead_letter_count() == 2
    assert {d.raw for d in store.latest_dead_letters(10)} == {"{not json", "[]"}
    assert letter.doc_id in {d.doc_id for d in store.latest_dead_letters(10)}


def test_records_that_share_the_kept_prefix_are_two_dead_letters(store: LocalStore) -> None:
    prefix = b"x" * RAW_LIMIT
    store.add_dead_letters([DeadLetter.of(prefix + b"1", "invalid")])
    store.add_dead_letters([DeadLetter.of(prefix + b"2", "invalid")])
    assert store.dead_letter_count() == 2


def test_sentiment_over_time_counts_per_minute_up_to_the_newest_review(store: LocalStore) -> None:
    store.upsert(
        [
            processed(1, "positive", minute=0),
            processed(2, "negative", minute=0),
            processed(3, "positive", minute=0),
            processed(4, "positive", minute=2),
            processed(5, "negative", minute=5),
        ]
    )
    assert store.sentiment_over_time("minute", 60) == [
        SentimentCount(T0, "negative", 1),
        SentimentCount(T0, "positive", 2),
        SentimentCount(T0 + timedelta(minutes=2), "positive", 1),
        SentimentCount(T0 + timedelta(minutes=5), "negative", 1),
    ]
    # Four buckets up to the newest: minutes 2..5.
    assert [c.start for c in store.sentiment_over_time("minute", 4)] == [
        T0 + timedelta(minutes=2),
        T0 + timedelta(minutes=5),
    ]
    assert store.sentiment_over_time("hour", 1) == [
        SentimentCount(T0, "negative", 2),
        SentimentCount(T0, "positive", 3),
    ]


def test_latest_is_newest_first(store: LocalStore) -> None:
    store.upsert([processed(n, minute=n) for n in range(1, 8)])
    assert [r.review_id for r in store.latest(3)] == [7, 6, 5]


def test_an_empty_store_answers_with_zeros(store: LocalStore) -> None:
    assert store.volume() == 0 and store.dead_letter_count() == 0
    assert store.sentiment_over_time() == [] and store.latest() == []
    assert store.latest_dead_letters() == [] and store.analyzer_name() is None


def test_hostile_text_is_stored_and_read_back(store: LocalStore) -> None:
    summary = "Quote ' \" ; DROP TABLE processed_reviews; -- \x07 " + "é" * 400
    store.upsert([processed(1, summary=summary), processed(2, summary="lone \ud800 surrogate")])
    letter = DeadLetter.of("x" * 50_000 + "\x00", "invalid record: text: too long")
    store.add_dead_letters([letter])
    texts = {r.review_id: r.summary for r in store.latest(5)}
    assert texts[1] == summary
    assert texts[2] == "lone \\ud800 surrogate"
    assert len(store.latest_dead_letters(1)[0].raw) == 10_000


def test_results_and_their_shard_position_are_written_together(store: LocalStore) -> None:
    checkpoint = Checkpoint("shardId-000000000000", "42", "ab" * 32)
    store.write(
        [processed(1)],
        [DeadLetter.of(b"bad", "invalid")],
        stream="reviews",
        checkpoint=checkpoint,
        analyzer="offline stand-in (VADER, no model)",
    )
    assert store.checkpoints("reviews") == {"shardId-000000000000": checkpoint}
    assert store.checkpoints("other") == {}
    assert store.analyzer_name() == "offline stand-in (VADER, no model)"
    # A failing write stores nothing, not the results without their position or the reverse.
    with pytest.raises(AttributeError):
        store.write(
            [processed(2), "not a review"],  # type: ignore[list-item]
            [],
            stream="reviews",
            checkpoint=Checkpoint("shardId-000000000000", "43", "cd" * 32),
        )
    assert store.volume() == 1 and store.checkpoints("reviews") == {
        "shardId-000000000000": checkpoint
    }


def test_a_store_that_cannot_be_opened_says_so(tmp_path: Path) -> None:
    (tmp_path / "dir.sqlite3").mkdir()
    with pytest.raises(StoreUnavailable, match="cannot be used: unable to open"):
        LocalStore(tmp_path / "dir.sqlite3")
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreUnavailable, match=r"garbage\.sqlite3 cannot be used"):
        LocalStore(garbage)


class Stub:
    """An OpenSearch Serverless stand-in that records each request and answers from a table."""

    def __init__(self, answers: dict[str, tuple[int, dict[str, Any]]] | None = None) -> None:
        self.requests: list[tuple[str, str, Message, bytes]] = []
        self.answers = answers or {}

    def __call__(
        self, method: str, path: str, headers: Message, body: bytes
    ) -> tuple[int, dict[str, Any]]:
        self.requests.append((method, path, headers, body))
        route = path.split("?")[0]
        if route in self.answers:
            return self.answers[route]
        if route == "/_bulk":
            lines = [json.loads(line) for line in body.decode().splitlines() if line]
            items = [{"index": {**line["index"], "status": 201}} for line in lines[::2]]
            return 200, {"took": 1, "errors": False, "items": items}
        return 404, {"error": {"type": "index_not_found_exception"}, "status": 404}

    def bodies(self, route: str) -> list[Any]:
        return [json.loads(b) for _, p, _, b in self.requests if p.split("?")[0] == route]


def open_search(url: str) -> OpenSearchStore:
    return OpenSearchStore.connect(url, "us-east-1", timeout=5)


def test_upserts_are_signed_bulk_index_actions_keyed_by_doc_id() -> None:
    stub = Stub()
    with serve_json(stub) as url:
        store = open_search(url)
        store.upsert([processed(7, "negative")])
        letter = DeadLetter.of(b"{not json", "invalid record: not JSON")
        store.add_dead_letters([letter])
        store.upsert([])
    assert [(m, p.split("?")[0]) for m, p, _, _ in stub.requests] == [
        ("POST", "/_bulk"),
        ("POST", "/_bulk"),
    ]
    _, _, headers, body = stub.requests[0]
    assert "/us-east-1/aoss/aws4_request" in headers["Authorization"]
    assert headers["x-amz-content-sha256"]
    action, source = (json.loads(line) for line in body.decode().splitlines())
    assert action == {"index": {"_index": INDEX, "_id": "7"}}
    assert source == processed(7, "negative").document()
    action, source = (json.loads(line) for line in stub.requests[1][3].decode().splitlines())
    assert action == {"index": {"_index": DEAD_LETTER_INDEX, "_id": letter.doc_id}}
    assert source["raw"] == "{not json" and source["reason"] == "invalid record: not JSON"


def test_queries_read_counts_histograms_and_latest_documents() -> None:
    doc = processed(3).document()
    dead = DeadLetter.of(b"[]", "invalid record: not a JSON object")
    letter = dead.document()
    newest_ms = (T0 + timedelta(minutes=5)).timestamp() * 1000
    histogram = {
        "buckets": [
            {
                "key": T0.timestamp() * 1000,
                "sentiment": {"buckets": [{"key": "positive", "doc_count": 4}]},
            },
            {
                "key": newest_ms,
                "sentiment": {
                    "buckets": [
                        {"key": "negative", "doc_count": 2},
                        {"key": "positive", "doc_count": 1},
                    ]
                },
            },
        ]
    }

    stub = Stub()

    def answer(method: str, path: str, headers: Message, body: bytes) -> tuple[int, dict[str, Any]]:
        stub(method, path, headers, body)
        request = json.loads(body or b"{}")
        if path.startswith(f"/{DEAD_LETTER_INDEX}/_search"):
            hits = [{"_id": dead.doc_id, "_source": letter}] if request.get("size") else []
            return 200, {"hits": {"total": {"value": 9}, "hits": hits}}
        aggs = request.get("aggs", {})
        if "newest" in aggs:
            return 200, {"hits": {"hits": []}, "aggregations": {"newest": {"value": newest_ms}}}
        if "over_time" in aggs:
            return 200, {"hits": {"hits": []}, "aggregations": {"over_time": histogram}}
        hits = [{"_id": "3", "_source": doc}] if request.get("size") else []
        return 200, {"hits": {"total": {"value": 12, "relation": "eq"}, "hits": hits}}

    with serve_json(answer) as url:
        store = open_search(url)
        assert store.volume() == 12
        assert store.dead_letter_count() == 9
        assert store.latest(5) == [processed(3)]
        (stored,) = store.latest_dead_letters(1)
        assert stored.reason == "invalid record: not a JSON object"
        assert stored.doc_id == dead.doc_id
        assert store.sentiment_over_time("minute", 60) == [
            SentimentCount(T0, "positive", 4),
            SentimentCount(T0 + timedelta(minutes=5), "negative", 2),
            SentimentCount(T0 + timedelta(minutes=5), "positive", 1),
        ]
        assert store.analyzer_name() is None

    searches = stub.bodies(f"/{INDEX}/_search")
    assert searches[0] == {"size": 0, "track_total_hits": True, "query": {"match_all": {}}}
    assert searches[1] == {"size": 5, "sort": [{"dateTime": "desc"}, {"reviewId": "desc"}]}
    assert searches[2] == {"size": 0, "aggs": {"newest": {"max": {"field": "dateTime"}}}}
    window = searches[3]
    assert window["query"] == {
        "range": {"dateTime": {"gte": (T0 + timedelta(minutes=5 - 59)).isoformat()}}
    }
    assert window["aggs"]["over_time"]["date_histogram"] == {
        "field": "dateTime",
        "fixed_interval": "60s",
        "min_doc_count": 1,
    }
    assert window["aggs"]["over_time"]["aggs"]["sentiment"]["terms"]["field"] == "sentiment"
    assert stub.bodies(f"/{DEAD_LETTER_INDEX}/_search")[1]["sort"] == [{"failedAt": "desc"}]


def test_missing_indexes_read_as_empty() -> None:
    with serve_json(Stub()) as url:
        store = open_search(url)
        assert store.volume() == 0 and store.dead_letter_count() == 0
        assert store.latest() == [] and store.sentiment_over_time() == []


def test_refusals_and_unreachable_endpoints_are_explained() -> None:
    denied = Stub({f"/{INDEX}/_search": (403, {"status": 403, "message": "Forbidden"})})
    with serve_json(denied) as url, pytest.raises(StoreUnavailable, match="data access policy"):
        open_search(url).volume()
    rejected = Stub(
        {
            "/_bulk": (
                200,
                {
                    "errors": True,
                    "items": [{"index": {"_id": "1", "status": 400, "error": {"type": "mapper"}}}],
                },
            )
        }
    )
    with serve_json(rejected) as url, pytest.raises(StoreUnavailable, match="rejected 1 of 1"):
        open_search(url).upsert([processed(1)])
    with serve_json(Stub()) as url:
        closed = url
    with pytest.raises(StoreUnavailable, match="cannot be reached"):
        open_search(closed).volume()
    with pytest.raises(StoreUnavailable, match="not a URL"):
        open_search("collection-without-scheme")
