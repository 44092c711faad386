"""process_records: bounded concurrency, per-record timeout, and every record accounted for."""

from __future__ import annotations

import asyncio
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from review_stream import pipeline
from review_stream.analysis import AnalysisFailed
from review_stream.pipeline import process_records
from reviews_domain.model import Analysis, DeadLetter, Review


def raw(review_id: int, text: str = "Works well.") -> str:
    return json.dumps(
        {"reviewId": review_id, "userId": "u", "text": text, "dateTime": "2026-03-02T08:00:00Z"}
    )


class ScriptedAnalyzer:
    """Answers by the review's text: "slow" sleeps past any timeout, "fail" and "crash" raise."""

    name = "scripted"

    def __init__(self, latency_s: float = 0.0) -> None:
        self.latency_s = latency_s
        self.in_flight = 0
        self.peak = 0

    async def analyze(self, review: Review) -> Analysis:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(10 if review.text == "slow" else self.latency_s)
            if review.text == "fail":
                raise AnalysisFailed("the model refused")
            if review.text == "crash":
                raise KeyError("bug")
            return Analysis(summary=review.text[:50], sentiment="positive")
        finally:
            self.in_flight -= 1


def test_each_record_ends_in_exactly_one_list_with_its_reason() -> None:
    raws = [raw(1), "garbage", raw(2, "fail"), raw(3, "slow"), raw(4, "crash"), raw(5).encode()]
    processed, dead = asyncio.run(
        process_records(raws, ScriptedAnalyzer(), capacity=4, timeout_s=0.2)
    )
    assert [p.review_id for p in processed] == [1, 5]
    reasons = {d.review_id: d.reason for d in dead}
    assert reasons[None].startswith("invalid record: not valid JSON")
    assert reasons[2] == "analysis failed: the model refused"
    assert reasons[3] == "analysis timed out after 0.2 s"
    assert reasons[4] == "unexpected error: KeyError: 'bug'"


def test_concurrency_never_exceeds_the_capacity() -> None:
    analyzer = ScriptedAnalyzer(latency_s=0.01)
    processed, dead = asyncio.run(
        process_records([raw(i) for i in range(50)], analyzer, capacity=7, timeout_s=5)
    )
    assert len(processed) == 50 and not dead
    assert analyzer.peak == 7


def test_the_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError, match="capacity"):
        asyncio.run(process_records([raw(1)], ScriptedAnalyzer(), capacity=0, timeout_s=1))


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.builds(raw, st.integers(0, 1000), st.sampled_from(["ok", "fail", "crash"])),
            st.text(max_size=30),
            st.binary(max_size=30),
        ),
        max_size=30,
    )
)
def test_no_record_is_lost_or_counted_twice(raws: list[str | bytes]) -> None:
    processed, dead = asyncio.run(
        process_records(raws, ScriptedAnalyzer(), capacity=3, timeout_s=1)
    )
    # Only the well-formed "ok" reviews can be processed: 30 random characters are never a review.
    ok = [r for r in raws if isinstance(r, str) and '"text": "ok"' in r]
    others = [
        r.decode("utf-8", "backslashreplace") if isinstance(r, bytes) else r
        for r in raws
        if r not in ok
    ]
    assert sorted(raw(p.review_id, "ok") for p in processed) == sorted(ok)
    assert sorted(d.raw for d in dead) == sorted(others)


def test_a_record_whose_parsing_raises_is_tried_twice_then_a_dead_letter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    attempts: list[str] = []

    def parse(value: bytes | str) -> Review:
        attempts.append(f"{len(attempts) + 1}")
        raise MemoryError(f"attempt {len(attempts)}")

    monkeypatch.setattr(pipeline, "parse_review", parse)
    letter = pipeline.check_record(raw(7))
    assert isinstance(letter, DeadLetter)
    assert (
        letter.reason
        == "processing failed 2 times: MemoryError: attempt 1; then MemoryError: attempt 2"
    )
    assert letter.review_id is None and letter.raw == raw(7)
    assert len(attempts) == pipeline.ATTEMPTS == 2
    # The same for a whole record's processing, which the analyzer never sees.
    analyzer = ScriptedAnalyzer()
    (outcome,) = asyncio.run(process_records([raw(8)], analyzer, capacity=1, timeout_s=1))[1]
    assert outcome.reason.startswith("processing failed 2 times: MemoryError")
    assert analyzer.peak == 0
