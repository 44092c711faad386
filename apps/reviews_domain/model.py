"""The records of the review stream: a review as produced, its analysis, and the two documents
indexed per record (a processed review, or a dead letter for a record that could not be one)."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from genai_common.safe_json import JsonInputError, loads_bounded
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

RAW_LIMIT = 10_000
# Kinesis takes records of at most 1 MiB: a larger one is not a record of the stream.
MAX_RECORD_BYTES = 1_048_576
# A review is one flat object; the bound leaves room for nested fields a producer may add.
MAX_RECORD_DEPTH = 32
# C0/C1 control characters; tab, newline and carriage return are ordinary in a review's text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# pydantic would also read "1700000000" as epoch seconds; the contract is a calendar date first.
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


class InvalidReview(ValueError):
    """A record that is not a review: the reason names what is wrong with it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _no_control(value: str) -> str:
    if _ANY_CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


def _text_ok(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters other than tab and newline")
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _aware(value: datetime) -> datetime:
    # A producer that omits the offset means UTC; comparing naive and aware times fails later.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _escape_surrogates(value: Any) -> Any:
    """A string with any lone surrogate (which pydantic, and every UTF-8 writer, refuses) written
    as its escape: a dead letter keeps what came, in a form that can be stored."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


PlainLine = Annotated[str, AfterValidator(_no_control)]


class Review(BaseModel):
    """A customer review as the producer writes it to the stream."""

    model_config = ConfigDict(populate_by_name=True, frozen=True, extra="ignore")

    review_id: int = Field(alias="reviewId", ge=0, le=2**31 - 1, strict=True)
    user_id: PlainLine = Field(alias="userId", min_length=1, max_length=128)
    text: Annotated[str, AfterValidator(_text_ok)] = Field(min_length=1, max_length=20_000)
    date_time: Annotated[datetime, AfterValidator(_aware)] = Field(alias="dateTime")

    @field_validator("date_time", mode="before")
    @classmethod
    def _iso_string(cls, value: Any) -> Any:
        # Numbers would be read as epoch seconds: the stream's contract is an ISO 8601 string.
        if isinstance(value, datetime):
            return value
        if not isinstance(value, str) or not _ISO_DATE.match(value):
            raise ValueError("must be an ISO 8601 string")
        return value


class Analysis(BaseModel):
    """What the model returns for one review."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    summary: PlainLine = Field(
        min_length=1, max_length=500, description="The review summarised in one concise sentence."
    )
    sentiment: Literal["positive", "negative"] = Field(
        description="The reviewer's overall sentiment."
    )


class ProcessedReview(BaseModel):
    """A review with its analysis: the document of the processed_reviews index."""

    model_config = ConfigDict(frozen=True)

    review_id: int
    user_id: str
    summary: str
    sentiment: Literal["positive", "negative"]
    date_time: datetime

    @classmethod
    def of(cls, review: Review, analysis: Analysis) -> ProcessedReview:
        return cls(
            review_id=review.review_id,
            user_id=review.user_id,
            summary=analysis.summary,
            sentiment=analysis.sentiment,
            date_time=review.date_time,
        )

    @property
    def doc_id(self) -> str:
        """The review's id: a replayed record overwrites its document instead of adding one."""
        return str(self.review_id)

    def document(self) -> dict[str, Any]:
        return {
            "reviewId": self.review_id,
            "userId": self.user_id,
            "summary": self.summary,
            "sentiment": self.sentiment,
            "dateTime": self.date_time.isoformat(),
        }


class DeadLetter(BaseModel):
    """A record that could not be processed, kept with the reason instead of being dropped:
    its first RAW_LIMIT characters, and the hash of all of it as its id."""

    model_config = ConfigDict(frozen=True)

    raw: Annotated[str, BeforeValidator(_escape_surrogates)] = Field(max_length=RAW_LIMIT)
    reason: Annotated[str, BeforeValidator(_escape_surrogates)]
    review_id: int | None = None
    failed_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    record_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @classmethod
    def of(
        cls, raw: bytes | str, reason: str, review_id: int | None = None, *, salvage: bool = True
    ) -> DeadLetter:
        """The dead letter of ``raw``; ``salvage`` reads its reviewId when none is given (off
        for a record whose processing itself failed: nothing more is parsed out of it)."""
        data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
        text = raw.decode("utf-8", "backslashreplace") if isinstance(raw, bytes) else raw
        if review_id is None and salvage:
            review_id = _salvage_review_id(text)
        return cls(
            raw=text[:RAW_LIMIT],
            reason=reason[:1000],
            review_id=review_id,
            record_sha256=hashlib.sha256(data).hexdigest(),
        )

    @property
    def doc_id(self) -> str:
        """The hash of the whole record, not of the part kept: the same bad record replayed
        is stored once, and two records that differ only after RAW_LIMIT are two letters."""
        return self.record_sha256

    def document(self) -> dict[str, Any]:
        return {
            "raw": self.raw,
            "reason": self.reason,
            "reviewId": self.review_id,
            "failedAt": self.failed_at.isoformat(),
        }


def _salvage_review_id(text: str) -> int | None:
    """The reviewId of a record that is otherwise invalid, so its dead letter can name it."""
    try:
        value = loads_bounded(text, max_bytes=MAX_RECORD_BYTES, max_depth=MAX_RECORD_DEPTH)
    except JsonInputError:
        return None
    review_id = value.get("reviewId") if isinstance(value, dict) else None
    if isinstance(review_id, int) and not isinstance(review_id, bool) and 0 <= review_id < 2**31:
        return review_id
    return None


def parse_review(raw: bytes | str) -> Review:
    """The review in one stream record, or :class:`InvalidReview` saying why it is not one."""
    try:
        value = loads_bounded(raw, max_bytes=MAX_RECORD_BYTES, max_depth=MAX_RECORD_DEPTH)
    except JsonInputError as exc:
        raise InvalidReview(str(exc)[:300]) from None
    if not isinstance(value, dict):
        raise InvalidReview(f"not a JSON object but {type(value).__name__}")
    try:
        return Review.model_validate(value)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'record'}: {error['msg']}"
            for error in exc.errors()
        )
        raise InvalidReview(problems[:1000]) from None
