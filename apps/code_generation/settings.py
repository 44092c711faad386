"""The function's settings: the platform's (model catalog, guardrail, provider) plus its own."""

from __future__ import annotations

from genai_common.settings import PlatformSettings
from pydantic import Field


class CodeGenerationSettings(PlatformSettings):
    # S3's bucket-name rules, so a typo is reported at start, not at the first request.
    code_bucket: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    code_prefix: str = Field(default="generated/", pattern=r"^([A-Za-z0-9!_.*'()-]+/)*$")
    # API Gateway ends an HTTP API integration at 30 s: answering before it lets the caller see
    # why (a 504 with a message) instead of API Gateway's bare 503.
    deadline_seconds: float = Field(default=25.0, gt=0, le=29, allow_inf_nan=False)
    download_url_seconds: int = Field(default=900, ge=1, le=7 * 24 * 3600)
    # The role whose sessions sign the download links (set by Terraform); unset, the function's
    # own credentials sign them.
    signing_role_arn: str | None = Field(
        default=None,
        pattern=r"^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$",
    )
    # Code wants little sampling randomness; CHAT_TEMPERATURE stays the chat apps' setting.
    code_temperature: float = Field(default=0.2, ge=0.0, le=1.0)
