"""Batch sentiment: a day of archived reviews as Bedrock batch-inference records, and the job's
output back as processed reviews for OpenSearch.

The prompt asks what the streaming job asks (review_stream.analysis): a one-sentence summary and
the sentiment, positive or negative; here as a JSON object in the reply, since a batch record is
an InvokeModel body in the Anthropic Messages format. The reply is checked against the same
:class:`reviews_domain.model.Analysis` schema as the stream's.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from reviews_domain.model import Analysis, InvalidReview, ProcessedReview, Review, parse_review

# Amazon Bedrock's quota "Minimum number of records per batch inference job": a smaller job is
# rejected, so a quieter day is skipped.
MIN_RECORDS = 100
MAX_TOKENS = 512
SOURCE = "batch"
SYSTEM_PROMPT = (
    "Summarize the review inside the <review> tags in one concise sentence and give its "
    "sentiment, positive or negative. Reply with only a JSON object and nothing else: "
    '{"summary": "<one sentence>", "sentiment": "positive" or "negative"}\n'
    '<example>{"summary": "The reviewer disliked the film, finding it unrealistic, preachy '
    'and very boring to watch.", "sentiment": "negative"}</example>'
)
_RECORD_ID = re.compile(r"^R(\d{10})$")
_GZIP_MAGIC = b"\x1f\x8b"


def record_id(review_id: int) -> str:
    """The batch record id of a review: 11 alphanumeric characters, as Bedrock's docs show."""
    return f"R{review_id:010d}"


def review_id_of(record: str) -> int | None:
    match = _RECORD_ID.match(record)
    return int(match.group(1)) if match else None


def decode_object(body: bytes) -> str:
    """An archive object's text, gunzipped if it is gzip (Firehose's GZIP compression)."""
    if body[:2] == _GZIP_MAGIC:
        body = gzip.decompress(body)
    return body.decode("utf-8", "replace")


def iter_json_values(text: str) -> Iterator[Any]:
    """Every JSON value in ``text``: one per line (JSONL), or back to back with no delimiter
    (Firehose without a newline appended). A stretch that is not JSON yields one
    :class:`InvalidReview` and parsing resumes at the next line."""
    decoder = json.JSONDecoder()
    position, end = 0, len(text)
    while position < end:
        while position < end and text[position].isspace():
            position += 1
        if position >= end:
            return
        try:
            value, position = decoder.raw_decode(text, position)
        except (ValueError, RecursionError):
            newline = text.find("\n", position)
            bad = text[position : newline if newline != -1 else end]
            yield InvalidReview(f"not JSON: {bad[:200]!r}")
            position = end if newline == -1 else newline + 1
            continue
        yield value


@dataclass
class DayOfReviews:
    """The valid reviews of a day, by id (a replayed record counts once), and what was not one."""

    reviews: dict[int, Review] = field(default_factory=dict)
    invalid: int = 0
    duplicates: int = 0

    def add_text(self, text: str) -> None:
        for value in iter_json_values(text):
            if isinstance(value, InvalidReview):
                self.invalid += 1
                continue
            try:
                review = parse_review(json.dumps(value))
            except InvalidReview:
                self.invalid += 1
                continue
            if review.review_id in self.reviews:
                self.duplicates += 1
            self.reviews[review.review_id] = review


def model_input(review: Review) -> dict[str, Any]:
    """The InvokeModel body (Anthropic Messages) asking for one review's analysis."""
    # A review that closes the tag itself must not end the quoted text early.
    text = review.text.replace("</review>", "</ review>")
    return {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": MAX_TOKENS,
        "temperature": 0,
        "system": SYSTEM_PROMPT,
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": f"<review>\n{text}\n</review>"}]}
        ],
    }


def batch_records(reviews: Iterable[Review]) -> list[dict[str, Any]]:
    """One batch input record per review, in review-id order."""
    ordered = sorted(reviews, key=lambda r: r.review_id)
    return [{"recordId": record_id(r.review_id), "modelInput": model_input(r)} for r in ordered]


def to_jsonl(values: Iterable[Any]) -> str:
    return "".join(json.dumps(v, ensure_ascii=False, separators=(",", ":")) + "\n" for v in values)


class Unparseable(ValueError):
    """A model reply that holds no valid analysis."""


def analysis_from_text(text: str) -> Analysis:
    """The first JSON object in a reply that is a valid :class:`Analysis` (code fences and
    words around it allowed), else :class:`Unparseable` saying what was wrong."""
    decoder = json.JSONDecoder()
    problem = "no JSON object in the reply"
    start = text.find("{")
    while start != -1:
        try:
            value, _ = decoder.raw_decode(text, start)
        except (ValueError, RecursionError):
            start = text.find("{", start + 1)
            continue
        if isinstance(value, dict):
            try:
                return Analysis.model_validate(value)
            except ValidationError as exc:
                problem = "; ".join(
                    f"{'.'.join(str(p) for p in e['loc']) or 'reply'}: {e['msg']}"
                    for e in exc.errors()
                )
        start = text.find("{", start + 1)
    raise Unparseable(problem[:500])


def analysis_from_output(model_output: Any) -> Analysis:
    """The analysis in a record's ``modelOutput`` (an Anthropic Messages response)."""
    if not isinstance(model_output, dict):
        raise Unparseable("modelOutput is not a JSON object")
    if model_output.get("stop_reason") == "max_tokens":
        raise Unparseable("the reply was cut off at the token limit")
    blocks = model_output.get("content")
    if not isinstance(blocks, list):
        raise Unparseable("modelOutput has no content")
    text = "".join(
        b["text"] for b in blocks if isinstance(b, dict) and isinstance(b.get("text"), str)
    )
    return analysis_from_text(text)


@dataclass
class BatchOutcome:
    """What a job's output held, against the records that went in."""

    analyses: dict[str, Analysis] = field(default_factory=dict)
    unparseable: dict[str, str] = field(default_factory=dict)
    errored: dict[str, str] = field(default_factory=dict)
    unexpected: int = 0
    malformed_lines: int = 0

    def add_text(self, text: str, expected: set[str]) -> None:
        """Read one ``.jsonl.out`` file: a record is its input plus ``modelOutput`` or ``error``."""
        for line in iter_json_values(text):
            record = line.get("recordId") if isinstance(line, dict) else None
            if not isinstance(record, str):
                self.malformed_lines += 1
                continue
            if record not in expected:
                self.unexpected += 1
                continue
            if "error" in line:
                error = line["error"]
                message = error.get("errorMessage", error) if isinstance(error, dict) else error
                self.errored[record] = str(message)[:500]
                continue
            try:
                self.analyses[record] = analysis_from_output(line.get("modelOutput"))
                self.unparseable.pop(record, None)
            except Unparseable as exc:
                self.unparseable[record] = str(exc)

    def missing(self, expected: set[str]) -> list[str]:
        seen = self.analyses.keys() | self.unparseable.keys() | self.errored.keys()
        return sorted(expected - seen)


def documents(
    outcome: BatchOutcome, sources: dict[str, Review]
) -> list[tuple[str, dict[str, Any]]]:
    """(id, body) of each analysed review for the batch index: the stream's processed-review
    document, marked ``source: batch``; the id is the reviewId, as in the stream's index."""
    result = []
    for record, analysis in sorted(outcome.analyses.items()):
        processed = ProcessedReview.of(sources[record], analysis)
        result.append((processed.doc_id, {**processed.document(), "source": SOURCE}))
    return result
