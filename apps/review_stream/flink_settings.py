"""The Flink job's settings: Managed Service for Apache Flink's application properties.

The service writes them to /etc/flink/application_properties.json as a list of property
groups; the job reads the group ``ReviewStream``. Tests and local runs point
``REVIEW_STREAM_PROPERTIES`` at a file of the same shape.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError

PROPERTIES_FILE = Path("/etc/flink/application_properties.json")
PROPERTY_GROUP = "ReviewStream"


class JobSettingsError(RuntimeError):
    """The application properties are missing or invalid; the message names each problem."""


class JobSettings(BaseModel):
    """Property group ``ReviewStream`` (every value is a string in the service's API)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    stream_arn: str = Field(
        alias="STREAM_ARN",
        pattern=r"^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream/[\w.-]{1,128}$",
    )
    aws_region: str = Field(alias="AWS_REGION", pattern=r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
    model_id: str = Field(alias="MODEL_ID", min_length=1, max_length=2048)
    opensearch_endpoint: HttpUrl = Field(alias="OPENSEARCH_ENDPOINT")
    # The seed's figures: 1000 calls in flight per subtask, 25 s for a long review.
    capacity: int = Field(default=1000, alias="CAPACITY", ge=1, le=10_000)
    timeout_seconds: float = Field(
        default=25.0, alias="TIMEOUT_SECONDS", gt=0, le=900, allow_inf_nan=False
    )
    max_attempts: int = Field(default=6, alias="MAX_ATTEMPTS", ge=1, le=20)
    # Who the job's model calls are metered as (genai_common.metering): the job is no declared
    # app, so it names itself; the streaming stack sets the environment. Metrics only: a stream
    # has no one to refuse a token budget to.
    app_name: str = Field(
        default="review-stream", alias="APP_NAME", pattern=r"^[a-z0-9][a-z0-9-]{0,63}$"
    )
    platform_environment: str = Field(
        default="local", alias="PLATFORM_ENVIRONMENT", pattern=r"^[a-z][a-z0-9]{1,15}$"
    )
    # From the oldest record kept: a new application does not miss what was produced before it.
    initial_position: Literal["TRIM_HORIZON", "LATEST"] = Field(
        default="TRIM_HORIZON", alias="INITIAL_POSITION"
    )


def load_job_settings(path: Path | None = None) -> JobSettings:
    """The settings from ``path``, ``REVIEW_STREAM_PROPERTIES`` or the service's file."""
    if path is None:
        path = Path(os.environ.get("REVIEW_STREAM_PROPERTIES") or PROPERTIES_FILE)
    try:
        groups = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise JobSettingsError(f"cannot read the application properties {path}: {exc}") from None
    properties = (
        next(
            (
                g.get("PropertyMap", {})
                for g in groups
                if isinstance(g, dict) and g.get("PropertyGroupId") == PROPERTY_GROUP
            ),
            None,
        )
        if isinstance(groups, list)
        else None
    )
    if properties is None:
        raise JobSettingsError(f"{path} has no property group {PROPERTY_GROUP}")
    try:
        return JobSettings.model_validate(properties)
    except ValidationError as exc:
        problems = "\n".join(
            f"  {PROPERTY_GROUP}.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in exc.errors()
        )
        raise JobSettingsError(f"Invalid application properties in {path}:\n{problems}") from None
