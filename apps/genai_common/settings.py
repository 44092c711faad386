"""Settings read from the environment and validated once, at start.

Every app builds its settings class on :class:`PlatformSettings` and loads it with
:func:`load_settings`, which turns pydantic's validation report into one message
naming each offending environment variable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, TypeVar

from pydantic import (
    BaseModel,
    Field,
    HttpUrl,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from genai_common.metering.settings import MeteringSettings


class ModelOption(BaseModel):
    """One model a user may pick: a label for people and the identifier the provider takes."""

    label: str = Field(min_length=1)
    model_id: str = Field(min_length=1)
    # The model behind an application inference profile's ARN (Terraform's CHAT_MODELS names one
    # per app): the client shapes its requests for it without looking the profile up.
    foundation_model_id: str | None = None


# Current Anthropic models on Bedrock are served through cross-region inference profiles
# (the "us." prefix); calling the bare model id on demand is refused by the service.
BEDROCK_CATALOG: tuple[ModelOption, ...] = (
    ModelOption(label="Claude Haiku 4.5", model_id="us.anthropic.claude-haiku-4-5-20251001-v1:0"),
    ModelOption(label="Claude Sonnet 4.6", model_id="us.anthropic.claude-sonnet-4-6"),
)
OFFLINE_CATALOG: tuple[ModelOption, ...] = (
    ModelOption(label="Offline stand-in (no model)", model_id="offline"),
)


class PlatformSettings(MeteringSettings):
    """Settings shared by every app; each field maps to the upper-cased environment variable
    (the metering fields, APP_NAME to USER_DAILY_TOKEN_BUDGET, come from MeteringSettings)."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    aws_region: str = Field(default="us-east-1", pattern=r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
    aws_endpoint_url: HttpUrl | None = None
    # Background jobs can wait out throttling; a person watching an empty answer cannot,
    # so pages use the short budget (aws_client(..., interactive=True)).
    aws_max_attempts: int = Field(default=8, ge=1, le=20)
    aws_interactive_max_attempts: int = Field(default=3, ge=1, le=10)
    # Finite: botocore passes the value to the socket, where inf breaks every call.
    aws_connect_timeout: float = Field(default=5.0, gt=0, le=300, allow_inf_nan=False)
    aws_read_timeout: float = Field(default=120.0, gt=0, le=900, allow_inf_nan=False)

    chat_provider: Literal["bedrock", "openai", "offline"] = "bedrock"
    chat_models: tuple[ModelOption, ...] | None = None
    chat_max_tokens: int = Field(default=2048, ge=1, le=64_000)
    chat_temperature: float = Field(default=0.5, ge=0.0, le=1.0)

    openai_base_url: HttpUrl | None = None
    openai_model: str | None = None
    # Local servers (vLLM, Ollama) ignore the key, but the client insists on one.
    openai_api_key: SecretStr = SecretStr("not-needed")

    # A published guardrail version applied to every Bedrock conversation; both or neither.
    guardrail_id: str | None = Field(default=None, pattern=r"^[a-z0-9]{1,64}$|^arn:")
    guardrail_version: str | None = Field(default=None, pattern=r"^([1-9][0-9]{0,7}|DRAFT)$")

    embeddings_provider: Literal["bedrock", "local"] = "bedrock"
    embeddings_model_id: str = "amazon.titan-embed-text-v2:0"
    embeddings_dimensions: int = 1024
    # Vectors of whole catalogs and corpora, kept by content (genai_common.vector_cache) so
    # that an unchanged one is never embedded again; none kept when unset.
    embeddings_cache_dir: Path | None = None
    # Read-only vectors of the shipped sample data (datasets/vectors), read when the cache
    # folder lacks a file: a fresh clone embeds nothing for the catalog and corpus it ships.
    embeddings_seed_dir: Path | None = None

    # A Qdrant server, or an embedded Qdrant kept in a local folder (local mode, tests).
    qdrant_url: HttpUrl | None = None
    qdrant_path: Path | None = None

    @field_validator("embeddings_dimensions")
    @classmethod
    def _titan_v2_dimension(cls, value: int) -> int:
        if value not in (256, 512, 1024):
            raise ValueError("Titan Text Embeddings v2 produces 256, 512 or 1024 dimensions")
        return value

    @model_validator(mode="after")
    def _openai_needs_url_and_model(self) -> PlatformSettings:
        if self.chat_provider == "openai" and (
            self.openai_base_url is None or not self.openai_model
        ):
            raise ValueError(
                "CHAT_PROVIDER=openai needs OPENAI_BASE_URL and OPENAI_MODEL "
                "(e.g. http://localhost:11434/v1 and llama3.1)"
            )
        return self

    @model_validator(mode="after")
    def _guardrail_needs_id_and_version(self) -> PlatformSettings:
        if (self.guardrail_id is None) != (self.guardrail_version is None):
            raise ValueError("GUARDRAIL_ID and GUARDRAIL_VERSION are set together or not at all")
        return self

    def guardrail(self) -> dict[str, str] | None:
        """The guardrail as Bedrock's request fields take it, or None when none is configured."""
        if self.guardrail_id is None or self.guardrail_version is None:
            return None
        return {
            "guardrailIdentifier": self.guardrail_id,
            "guardrailVersion": self.guardrail_version,
        }

    def catalog(self) -> tuple[ModelOption, ...]:
        """The models the user may choose from, for the configured provider."""
        if self.chat_models:
            return self.chat_models
        if self.chat_provider == "offline":
            return OFFLINE_CATALOG
        if self.chat_provider == "openai":
            assert self.openai_model is not None  # guaranteed by the validator
            return (ModelOption(label=self.openai_model, model_id=self.openai_model),)
        return BEDROCK_CATALOG


def _where(loc: tuple[int | str, ...]) -> str:
    """The environment variable an error belongs to, then the place inside its JSON value.

    ``("chat_models", 0, "model_id")`` is ``CHAT_MODELS, entry 1, model_id``: the variable
    is the first element only; the rest is a path in the value the user wrote.
    """
    if not loc:
        return "settings"
    inside = [f"entry {part + 1}" if isinstance(part, int) else part for part in loc[1:]]
    return ", ".join([str(loc[0]).upper(), *inside])


class SettingsError(RuntimeError):
    """Raised when the environment does not hold a valid configuration."""


S = TypeVar("S", bound=BaseSettings)


def load_settings(cls: type[S]) -> S:
    """Build ``cls`` from the environment, or raise :class:`SettingsError` naming each problem."""
    try:
        return cls()
    except ValidationError as exc:
        problems = [
            f"  {_where(error['loc'])}: {error['msg'].removeprefix('Value error, ')}"
            for error in exc.errors()
        ]
        raise SettingsError("Invalid configuration:\n" + "\n".join(problems)) from None
