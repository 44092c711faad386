"""Settings of the review-sentiment producer, local processor and dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from genai_common.settings import PlatformSettings
from pydantic import Field, HttpUrl, model_validator

# The repository's sample: reviews with known labels (datasets/reviews/reviews.jsonl).
SAMPLE_REVIEWS = Path(__file__).resolve().parents[2] / "datasets" / "reviews" / "reviews.jsonl"


class ReviewSettings(PlatformSettings):
    """Environment: everything in PlatformSettings, plus

    ``REVIEW_STREAM_NAME`` (the Kinesis stream), ``REVIEW_STORE`` (``local``: the SQLite file
    ``REVIEW_DB``; ``opensearch``: the collection at ``OPENSEARCH_ENDPOINT``),
    ``REVIEW_REFRESH_SECONDS`` (the dashboard's refresh), and the local processor's
    ``REVIEW_POLL_SECONDS``, ``REVIEW_IDLE_POLL_SECONDS``, ``REVIEW_BATCH_SIZE``,
    ``REVIEW_CAPACITY``, ``REVIEW_TIMEOUT_SECONDS`` and ``REVIEW_PROCESSOR_PORT`` (its /healthz).
    """

    review_stream_name: str = Field(
        default="reviews", min_length=1, max_length=128, pattern=r"^[a-zA-Z0-9_.-]+$"
    )
    review_store: Literal["local", "opensearch"] = "local"
    review_db: Path = Path(".local/reviews.sqlite3")
    opensearch_endpoint: HttpUrl | None = None
    review_refresh_seconds: float = Field(default=5.0, ge=1, le=300, allow_inf_nan=False)

    review_poll_seconds: float = Field(default=1.0, gt=0, le=60, allow_inf_nan=False)
    # Every poll of an idle stream is a request; moto's recorder keeps each one, so idle
    # polls slow down to this.
    review_idle_poll_seconds: float = Field(default=5.0, gt=0, le=300, allow_inf_nan=False)
    # GetRecords returns at most 10,000 records per call.
    review_batch_size: int = Field(default=500, ge=1, le=10_000)
    review_capacity: int = Field(default=100, ge=1, le=1_000)
    review_timeout_seconds: float = Field(default=25.0, gt=0, le=300, allow_inf_nan=False)
    review_processor_port: int | None = Field(default=None, ge=1, le=65_535)

    @model_validator(mode="after")
    def _opensearch_needs_endpoint(self) -> ReviewSettings:
        if self.review_store == "opensearch" and self.opensearch_endpoint is None:
            raise ValueError(
                "REVIEW_STORE=opensearch needs OPENSEARCH_ENDPOINT "
                "(the collection endpoint, https://<id>.<region>.aoss.amazonaws.com)"
            )
        return self
