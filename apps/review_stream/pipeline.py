"""One record in, exactly one document out: a processed review or a dead letter.

Shared by the Flink job (one record per async call) and the local processor (a batch at a
time, :func:`process_records`), so both account for every record the same way.

A record whose processing raises (a bug the record triggers, not a refusal) is a poison record:
left to escape, it would stop the local processor and restart the Flink job from its
checkpoint, onto the same record, forever. It is tried once more; failing again, it becomes a
dead letter that names the failure, and the stream goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from reviews_domain.model import DeadLetter, InvalidReview, ProcessedReview, Review, parse_review

from review_stream.analysis import AnalysisFailed, Analyzer

log = logging.getLogger(__name__)

Outcome = ProcessedReview | DeadLetter
# How many times a record whose processing raises is processed before it is a dead letter.
ATTEMPTS = 2


def poisoned(raw: bytes | str, failures: Sequence[BaseException]) -> DeadLetter:
    """The dead letter of a record whose processing raised each of ``failures``. Nothing more is
    parsed out of the record: that may be what fails."""
    described = list(dict.fromkeys(f"{type(e).__name__}: {e}" for e in failures))
    return DeadLetter.of(
        raw, f"processing failed {len(failures)} times: {'; then '.join(described)}", salvage=False
    )


def _parse(raw: bytes | str) -> Review | DeadLetter:
    try:
        return parse_review(raw)
    except InvalidReview as exc:
        return DeadLetter.of(raw, f"invalid record: {exc.reason}")


def check_record(raw: bytes | str) -> Review | DeadLetter:
    """The review in ``raw``, or the dead letter that stands for it (an invalid record, or one
    whose parsing failed twice)."""
    failures: list[Exception] = []
    for _ in range(ATTEMPTS):
        try:
            return _parse(raw)
        except Exception as exc:
            log.exception("parsing a record failed (attempt %d)", len(failures) + 1)
            failures.append(exc)
    return poisoned(raw, failures)


async def process_record(raw: bytes | str, analyzer: Analyzer, *, timeout_s: float) -> Outcome:
    """Parse and analyze one record within ``timeout_s``; any failure becomes its dead letter,
    and so does a record whose processing raised twice."""
    failures: list[Exception] = []
    for _ in range(ATTEMPTS):
        try:
            return await _process(raw, analyzer, timeout_s=timeout_s)
        except Exception as exc:
            log.exception("processing a record failed (attempt %d)", len(failures) + 1)
            failures.append(exc)
    return poisoned(raw, failures)


async def _process(raw: bytes | str, analyzer: Analyzer, *, timeout_s: float) -> Outcome:
    review = _parse(raw)
    if isinstance(review, DeadLetter):
        return review
    try:
        analysis = await asyncio.wait_for(analyzer.analyze(review), timeout_s)
    except AnalysisFailed as exc:
        return DeadLetter.of(raw, f"analysis failed: {exc.reason}", review.review_id)
    except TimeoutError:
        return DeadLetter.of(raw, f"analysis timed out after {timeout_s:g} s", review.review_id)
    except Exception as exc:
        # A failure nobody anticipated is still this record's failure: keep it, say what it was.
        log.exception("analysis of review %s failed unexpectedly", review.review_id)
        return DeadLetter.of(
            raw, f"unexpected error: {type(exc).__name__}: {exc}", review.review_id
        )
    return ProcessedReview.of(review, analysis)


async def process_records(
    raws: Sequence[bytes | str], analyzer: Analyzer, *, capacity: int, timeout_s: float
) -> tuple[list[ProcessedReview], list[DeadLetter]]:
    """Every record of ``raws`` as a processed review or a dead letter, at most ``capacity``
    analyses in flight, each bounded by ``timeout_s``."""
    if capacity < 1:
        raise ValueError("capacity must be at least 1")
    gate = asyncio.Semaphore(capacity)

    async def one(raw: bytes | str) -> Outcome:
        async with gate:
            return await process_record(raw, analyzer, timeout_s=timeout_s)

    outcomes = await asyncio.gather(*(one(raw) for raw in raws))
    processed = [o for o in outcomes if isinstance(o, ProcessedReview)]
    dead = [o for o in outcomes if isinstance(o, DeadLetter)]
    return processed, dead
