"""The function's settings, read from the environment and checked once, at cold start.

Hand-checked rather than with pydantic-settings (genai_common.settings): the Lambda zip carries
no pydantic, whose import alone is most of a cold start. The variables and their rules are the
platform's (PlatformSettings, MeteringSettings) for the ones the function reads, plus its own;
a wrong value is a :class:`SettingsError` that names every offending variable.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

N = TypeVar("N", int, float)

_REGION = re.compile(r"[a-z]{2}(-gov)?-[a-z]+-\d")
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*")
# S3's bucket-name rules, so a typo is reported at start, not at the first request.
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_PREFIX = re.compile(r"([A-Za-z0-9!_.*'()-]+/)*")
_ROLE_ARN = re.compile(r"arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}")
_GUARDRAIL_ID = re.compile(r"[a-z0-9]{1,64}|arn:.*")
_GUARDRAIL_VERSION = re.compile(r"[1-9][0-9]{0,7}|DRAFT")
_APP_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_ENVIRONMENT = re.compile(r"[a-z][a-z0-9]{1,15}")
_TABLE = re.compile(r"[A-Za-z0-9_.-]{3,255}")
PROVIDERS = ("bedrock", "openai", "offline")


class SettingsError(RuntimeError):
    """The environment does not hold a valid configuration; the message names each problem."""


@dataclass(frozen=True)
class ModelOption:
    """One model a caller may pick: a label for people and the identifier the provider takes;
    ``foundation_model_id`` is the model behind an application inference profile's ARN."""

    label: str
    model_id: str
    foundation_model_id: str | None = None


@dataclass(frozen=True)
class CodeGenerationSettings:
    code_bucket: str
    code_prefix: str = "generated/"
    # API Gateway ends an HTTP API integration at 30 s: answering before it lets the caller see
    # why (a 504 with a message) instead of API Gateway's bare 503.
    deadline_seconds: float = 25.0
    download_url_seconds: int = 900
    # The role whose sessions sign the download links (set by Terraform); unset, the function's
    # own credentials sign them.
    signing_role_arn: str | None = None
    # Code wants little sampling randomness; CHAT_TEMPERATURE stays the chat apps' setting.
    code_temperature: float = 0.2
    chat_provider: str = "bedrock"
    # Terraform sets the deployed catalog; unset, the provider's default (catalog()).
    chat_models: tuple[ModelOption, ...] | None = None
    chat_max_tokens: int = 2048
    openai_base_url: str | None = None
    openai_model: str | None = None
    guardrail_id: str | None = None
    guardrail_version: str | None = None
    aws_region: str = "us-east-1"
    aws_endpoint_url: str | None = None
    aws_max_attempts: int = 8
    aws_interactive_max_attempts: int = 3
    aws_connect_timeout: float = 5.0
    aws_read_timeout: float = 120.0
    # Who the meter charges (genai_common.metering): the platform's metering variables.
    app_name: str = "unattributed"
    platform_environment: str = "local"
    token_budget_table: str | None = None
    app_daily_token_budget: int | None = None
    user_daily_token_budget: int | None = None

    def guardrail(self) -> dict[str, str] | None:
        """The guardrail as Bedrock's request fields take it, or None when none is configured."""
        if self.guardrail_id is None or self.guardrail_version is None:
            return None
        return {
            "guardrailIdentifier": self.guardrail_id,
            "guardrailVersion": self.guardrail_version,
        }

    def catalog(self) -> tuple[ModelOption, ...]:
        """The models a caller may choose from, for the configured provider."""
        if self.chat_models:
            return self.chat_models
        if self.chat_provider == "openai":
            assert self.openai_model is not None  # guaranteed when the settings were read
            return (ModelOption(self.openai_model, self.openai_model),)
        # The platform's default catalogs; never reached in the deployed function, whose
        # CHAT_MODELS Terraform sets, so the zip needs no pydantic for them.
        from genai_common.settings import BEDROCK_CATALOG, OFFLINE_CATALOG

        defaults = OFFLINE_CATALOG if self.chat_provider == "offline" else BEDROCK_CATALOG
        return tuple(ModelOption(o.label, o.model_id, o.foundation_model_id) for o in defaults)


class _Reader:
    """Reads variables from ``environ``, collecting every problem instead of stopping at one."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.problems: list[str] = []

    def raw(self, name: str) -> str | None:
        # Unset and empty are alike: Terraform writes an optional setting as "" or leaves it out.
        return self.environ.get(name.upper()) or None

    def text(self, name: str, pattern: re.Pattern[str], what: str) -> str | None:
        value = self.raw(name)
        if value is not None and not pattern.fullmatch(value):
            self.problems.append(f"{name.upper()}: {value[:80]!r} is not {what}")
            return None
        return value

    def number(self, name: str, kind: Callable[[str], N], low: N, high: N, *, above: bool) -> N:
        """A number in [low, high], or in (low, high] when ``above``; the default when unset."""
        value = self.raw(name)
        default = CodeGenerationSettings.__dataclass_fields__[name].default
        if value is None:
            return default  # type: ignore[no-any-return]
        try:
            number = kind(value.strip())
        except ValueError:
            number = None
        fits = number is not None and math.isfinite(number)
        fits = fits and (number > low if above else number >= low) and number <= high
        if not fits:
            bound = "greater than" if above else "at least"
            noun = "a whole number" if kind is int else "a number"
            self.problems.append(
                f"{name.upper()}: must be {noun} {bound} {low:g} and at most {high:g}, "
                f"not {value[:40]!r}"
            )
            return default  # type: ignore[no-any-return]
        assert number is not None
        return number

    def optional_int(self, name: str, low: int) -> int | None:
        value = self.raw(name)
        if value is None:
            return None
        if not (value.isascii() and value.strip().isdigit() and int(value) >= low):
            self.problems.append(f"{name.upper()}: must be a whole number of at least {low}")
            return None
        return int(value)

    def catalog(self, name: str) -> tuple[ModelOption, ...] | None:
        value = self.raw(name)
        if value is None:
            return None
        try:
            entries = json.loads(value)
        except ValueError as error:
            self.problems.append(f"{name.upper()}: is not valid JSON ({error})")
            return None
        if not isinstance(entries, list):
            self.problems.append(f"{name.upper()}: must be a JSON list of models")
            return None
        options = []
        for number, entry in enumerate(entries, 1):
            fields = ("label", "model_id", "foundation_model_id")
            usable = isinstance(entry, dict) and set(entry) <= set(fields)
            usable = usable and all(isinstance(entry.get(f), str) and entry[f] for f in fields[:2])
            usable = usable and isinstance(entry.get("foundation_model_id"), str | None)
            if not usable:
                self.problems.append(
                    f"{name.upper()}, entry {number}: must be an object with a label and a "
                    "model_id (and optionally a foundation_model_id)"
                )
                continue
            options.append(ModelOption(**entry))
        return tuple(options)


def load_settings(environ: Mapping[str, str] = os.environ) -> CodeGenerationSettings:
    """The settings in ``environ``, or :class:`SettingsError` naming every wrong variable."""
    read = _Reader(environ)
    provider = read.raw("chat_provider") or "bedrock"
    if provider not in PROVIDERS:
        read.problems.append(f"CHAT_PROVIDER: must be one of {', '.join(PROVIDERS)}")
    bucket = read.text("code_bucket", _BUCKET, "an S3 bucket name")
    if read.raw("code_bucket") is None:
        read.problems.append("CODE_BUCKET: is not set (the bucket the generated code is kept in)")
    settings = CodeGenerationSettings(
        code_bucket=bucket or "",
        code_prefix=read.text("code_prefix", _PREFIX, "a key prefix ending in /") or "generated/",
        deadline_seconds=read.number("deadline_seconds", float, 0.0, 29.0, above=True),
        download_url_seconds=read.number(
            "download_url_seconds", int, 1, 7 * 24 * 3600, above=False
        ),
        signing_role_arn=read.text("signing_role_arn", _ROLE_ARN, "an IAM role ARN"),
        code_temperature=read.number("code_temperature", float, 0.0, 1.0, above=False),
        chat_provider=provider,
        chat_models=read.catalog("chat_models"),
        chat_max_tokens=read.number("chat_max_tokens", int, 1, 64_000, above=False),
        openai_base_url=read.text("openai_base_url", _URL, "an http(s) URL"),
        openai_model=read.raw("openai_model"),
        guardrail_id=read.text("guardrail_id", _GUARDRAIL_ID, "a guardrail id or ARN"),
        guardrail_version=read.text("guardrail_version", _GUARDRAIL_VERSION, "a version or DRAFT"),
        aws_region=read.text("aws_region", _REGION, "an AWS Region") or "us-east-1",
        aws_endpoint_url=read.text("aws_endpoint_url", _URL, "an http(s) URL"),
        aws_max_attempts=read.number("aws_max_attempts", int, 1, 20, above=False),
        aws_interactive_max_attempts=read.number(
            "aws_interactive_max_attempts", int, 1, 10, above=False
        ),
        aws_connect_timeout=read.number("aws_connect_timeout", float, 0.0, 300.0, above=True),
        aws_read_timeout=read.number("aws_read_timeout", float, 0.0, 900.0, above=True),
        app_name=read.text("app_name", _APP_NAME, "an app name") or "unattributed",
        platform_environment=read.text("platform_environment", _ENVIRONMENT, "an environment")
        or "local",
        token_budget_table=read.text("token_budget_table", _TABLE, "a DynamoDB table name"),
        app_daily_token_budget=read.optional_int("app_daily_token_budget", 1),
        user_daily_token_budget=read.optional_int("user_daily_token_budget", 1),
    )
    if provider == "openai" and (settings.openai_base_url is None or not settings.openai_model):
        read.problems.append(
            "CHAT_PROVIDER=openai needs OPENAI_BASE_URL and OPENAI_MODEL "
            "(e.g. http://localhost:11434/v1 and llama3.1)"
        )
    if (settings.guardrail_id is None) != (settings.guardrail_version is None):
        read.problems.append("GUARDRAIL_ID and GUARDRAIL_VERSION are set together or not at all")
    if read.problems:
        raise SettingsError("Invalid configuration:\n" + "\n".join(f"  {p}" for p in read.problems))
    return settings
