"""One record in, exactly one document out: a processed review or a dead letter.

Shared by the Flink job (one record per async call) and the local processor (a batch at a
time, :func:`process_records`), so both account for every record the same way.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from review_stream.analysis import AnalysisFailed, Analyzer
from review_stream.model import DeadLetter, InvalidReview, ProcessedReview, parse_review

log = logging.getLogger(__name__)

Outcome = ProcessedReview | DeadLetter


async def process_record(raw: bytes | str, analyzer: Analyzer, *, timeout_s: float) -> Outcome:
    """Parse and analyze one record within ``timeout_s``; any failure becomes its dead letter."""
    try:
        review = parse_review(raw)
    except InvalidReview as exc:
        return DeadLetter.of(raw, f"invalid record: {exc.reason}")
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
