"""Parsing stream records: what is a review, what is refused and why, and the documents."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from review_stream.pipeline import check_record
from reviews_domain.model import (
    MAX_RECORD_DEPTH,
    RAW_LIMIT,
    Analysis,
    DeadLetter,
    InvalidReview,
    ProcessedReview,
    Review,
    parse_review,
)

from tests.apps.review_stream.strategies import records

VALID = {
    "reviewId": 42,
    "userId": "user-0007",
    "text": "Great kettle.\nBoils fast.",
    "dateTime": "2026-03-02T08:00:00Z",
}


def record(**changes: object) -> str:
    return json.dumps({**VALID, **changes})


def test_a_valid_record_is_a_review() -> None:
    review = parse_review(record().encode())
    assert review == Review(
        reviewId=42,
        userId="user-0007",
        text="Great kettle.\nBoils fast.",
        dateTime=datetime(2026, 3, 2, 8, tzinfo=UTC),
    )


def test_a_naive_time_is_utc_and_unknown_fields_are_ignored() -> None:
    review = parse_review(record(dateTime="2026-03-02T08:00:00", label="positive"))
    assert review.date_time == datetime(2026, 3, 2, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe{}", "not UTF-8"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not a JSON object but list"),
        ("null", "not a JSON object but NoneType"),
        (record(reviewId=-1), "reviewId"),
        (record(reviewId=True), "reviewId"),
        (record(reviewId="42"), "reviewId"),
        (record(reviewId=2**31), "reviewId"),
        (record(userId=""), "userId"),
        (record(userId="a\nb"), "userId"),
        (record(userId="x" * 129), "userId"),
        (record(text=""), "text"),
        (record(text="  \n "), "text"),
        (record(text="bell \x07"), "text"),
        (record(text="x" * 20_001), "text"),
        (record(dateTime="yesterday"), "dateTime"),
        (record(dateTime="1772438400"), "dateTime"),
        (record(dateTime=1772438400), "dateTime"),
        (json.dumps({k: v for k, v in VALID.items() if k != "text"}), "text: Field required"),
        ("[" * 100_000, "100000 levels deep"),
        (record(text="lone \ud800"), "text: Input should be a valid string"),
        (record(userId="u\udfff"), "userId: Input should be a valid string"),
        (record(reviewId=1e999), "not valid JSON"),
        ('{"reviewId": ' + "9" * 5000 + "}", "not valid JSON"),
    ],
)
def test_malformed_records_are_refused_with_the_reason(raw: bytes | str, reason: str) -> None:
    with pytest.raises(InvalidReview) as caught:
        parse_review(raw)
    assert reason in caught.value.reason


@given(st.one_of(st.binary(max_size=2000), st.text(max_size=2000)))
def test_any_input_is_a_review_or_refused(raw: bytes | str) -> None:
    try:
        review = parse_review(raw)
    except InvalidReview as exc:
        assert exc.reason
    else:
        assert review.review_id >= 0


hostile_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "reviewId": hostile_values | st.integers(-5, 2**32),
            "userId": hostile_values,
            "text": hostile_values,
            "dateTime": hostile_values | st.datetimes().map(datetime.isoformat),
        },
    )
)
def test_records_with_hostile_fields_never_escape_as_other_errors(value: dict[str, object]) -> None:
    raw = json.dumps(value)
    try:
        review = parse_review(raw)
    except InvalidReview as exc:
        # A dead letter can always be made from the refused record.
        letter = DeadLetter.of(raw, exc.reason)
        assert letter.raw == raw[:RAW_LIMIT]
    else:
        assert review.date_time.tzinfo is not None
        assert review.text.strip() and review.user_id


def deeply_nested(depth: int = 1000) -> str:
    """The record of issue 22: about 2 KB of JSON nested ``depth`` levels inside a review."""
    return record(extra=None).replace("null", "[" * depth + "]" * depth)


def test_a_deeply_nested_record_is_refused_and_becomes_a_dead_letter() -> None:
    raw = deeply_nested()
    assert 2_000 <= len(raw) <= 2_200
    with pytest.raises(InvalidReview, match=f"1001 levels deep .at most {MAX_RECORD_DEPTH}"):
        parse_review(raw)
    letter = DeadLetter.of(raw, "invalid record")
    # Its reviewId is not read out of a document that is too deep to parse.
    assert letter.raw == raw and letter.review_id is None
    checked = check_record(raw.encode())
    assert isinstance(checked, DeadLetter) and checked.doc_id == letter.doc_id
    assert checked.reason.startswith("invalid record: nested 1001 levels deep")


def test_nesting_within_the_bound_is_still_a_review() -> None:
    review = parse_review(deeply_nested(MAX_RECORD_DEPTH - 1))
    assert review.review_id == 42


@settings(max_examples=200, derandomize=True, deadline=None)
@given(records)
def test_the_decoder_refuses_any_record_with_a_reason_and_a_dead_letter(raw: bytes | str) -> None:
    try:
        review = parse_review(raw)
    except InvalidReview as exc:
        assert exc.reason
    else:
        assert review.date_time.tzinfo is not None
        review.text.encode("utf-8")  # storable by every writer
    letter = DeadLetter.of(raw, "invalid")
    assert letter.doc_id == DeadLetter.of(raw, "again").doc_id
    assert bool(letter.raw) == bool(raw) and len(letter.raw) <= 6 * RAW_LIMIT
    json.dumps(letter.document(), ensure_ascii=False).encode("utf-8")
    assert isinstance(check_record(raw), Review | DeadLetter)


def test_dead_letter_ids_tell_records_apart_beyond_the_kept_prefix() -> None:
    prefix = record(text="x" * RAW_LIMIT)[:RAW_LIMIT]
    first, second = prefix + "A", prefix + "B"
    one, other = DeadLetter.of(first, "invalid"), DeadLetter.of(second, "invalid")
    assert one.raw == other.raw == prefix
    assert one.doc_id != other.doc_id
    # The same record, replayed or read as bytes rather than text, keeps its id.
    assert DeadLetter.of(first.encode(), "later").doc_id == one.doc_id


def test_a_dead_letter_keeps_a_lone_surrogate_as_its_escape() -> None:
    letter = DeadLetter.of("bad \udc80 here", "reason with \ud800")
    assert letter.raw == "bad \\udc80 here" and letter.reason == "reason with \\ud800"
    json.dumps(letter.document(), ensure_ascii=False).encode("utf-8")


def test_the_processed_document_is_keyed_by_review_id() -> None:
    review = parse_review(record())
    processed = ProcessedReview.of(review, Analysis(summary="Fast kettle.", sentiment="positive"))
    assert processed.doc_id == "42"
    assert processed.document() == {
        "reviewId": 42,
        "userId": "user-0007",
        "summary": "Fast kettle.",
        "sentiment": "positive",
        "dateTime": "2026-03-02T08:00:00+00:00",
    }


def test_a_dead_letter_keeps_the_record_and_its_id_is_stable() -> None:
    raw = b'{"reviewId": 5, "text": "\xff broken"}'
    first = DeadLetter.of(raw, "invalid record: not UTF-8")
    again = DeadLetter.of(raw, "invalid record: not UTF-8")
    assert first.doc_id == again.doc_id != DeadLetter.of(b"other", "x").doc_id
    assert first.review_id is None  # the bytes are not JSON, so no id can be read from them
    assert DeadLetter.of(record(text=""), "invalid").review_id == 42
    assert DeadLetter.of("x" * (RAW_LIMIT + 5), "long").raw == "x" * RAW_LIMIT
    document = first.document()
    assert set(document) == {"raw", "reason", "reviewId", "failedAt"}
    assert "\\xff" in document["raw"]


@pytest.mark.parametrize(
    "analysis",
    [
        {"summary": "ok", "sentiment": "neutral"},
        {"summary": "", "sentiment": "positive"},
        {"summary": "two\nlines", "sentiment": "positive"},
        {"summary": "x" * 501, "sentiment": "positive"},
        {"summary": "ok", "sentiment": "positive", "extra": 1},
    ],
)
def test_an_analysis_is_one_plain_sentence_and_a_known_sentiment(
    analysis: dict[str, object],
) -> None:
    with pytest.raises(ValueError):
        Analysis.model_validate(analysis)
