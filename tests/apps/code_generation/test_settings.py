"""The function's settings from the environment: defaults, the deployed catalog, and every wrong
variable named at once."""

from __future__ import annotations

import json

import pytest
from code_generation.settings import ModelOption, SettingsError, load_settings
from genai_common.aws import client_config

BUCKET = {"CODE_BUCKET": "genai-dev-generated-code-123456789012"}


def test_defaults_and_the_deployed_catalog() -> None:
    profile = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc"
    models = [
        {"label": "Claude Sonnet 4.6", "model_id": profile, "foundation_model_id": "anthropic.x"}
    ]
    settings = load_settings(
        {**BUCKET, "CHAT_MODELS": json.dumps(models), "DEADLINE_SECONDS": "20"}
    )
    assert settings.deadline_seconds == 20.0 and settings.download_url_seconds == 900
    assert settings.catalog() == (ModelOption("Claude Sonnet 4.6", profile, "anthropic.x"),)
    assert settings.guardrail() is None and settings.token_budget_table is None
    # The platform's client policy reads these settings as it reads PlatformSettings.
    config = client_config(settings, interactive=True)
    assert config.retries == {"mode": "adaptive", "total_max_attempts": 3}


def test_without_a_catalog_the_providers_default_is_offered() -> None:
    offline = load_settings({**BUCKET, "CHAT_PROVIDER": "offline"})
    assert [o.model_id for o in offline.catalog()] == ["offline"]
    local = {"OPENAI_BASE_URL": "http://localhost:11434/v1", "OPENAI_MODEL": "llama3.1"}
    openai = load_settings({**BUCKET, "CHAT_PROVIDER": "openai", **local})
    assert openai.catalog() == (ModelOption("llama3.1", "llama3.1"),)


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({}, ["CODE_BUCKET"]),
        ({**BUCKET, "DEADLINE_SECONDS": "45"}, ["DEADLINE_SECONDS"]),
        (
            {**BUCKET, "DEADLINE_SECONDS": "nan", "CODE_TEMPERATURE": "2"},
            ["DEADLINE_SECONDS", "CODE_TEMPERATURE"],
        ),
        (
            {"CODE_BUCKET": "Not_A_Bucket", "CODE_PREFIX": "no-slash"},
            ["CODE_BUCKET", "CODE_PREFIX"],
        ),
        ({**BUCKET, "CHAT_MODELS": '[{"label": ""}]'}, ["CHAT_MODELS, entry 1"]),
        ({**BUCKET, "CHAT_MODELS": "{"}, ["CHAT_MODELS"]),
        ({**BUCKET, "GUARDRAIL_ID": "gr0abcdef123"}, ["GUARDRAIL_ID and GUARDRAIL_VERSION"]),
        ({**BUCKET, "CHAT_PROVIDER": "openai"}, ["CHAT_PROVIDER=openai needs OPENAI_BASE_URL"]),
        ({**BUCKET, "SIGNING_ROLE_ARN": "role"}, ["SIGNING_ROLE_ARN"]),
        ({**BUCKET, "USER_DAILY_TOKEN_BUDGET": "0"}, ["USER_DAILY_TOKEN_BUDGET"]),
        ({**BUCKET, "AWS_MAX_ATTEMPTS": "1.5"}, ["AWS_MAX_ATTEMPTS"]),
    ],
)
def test_every_wrong_variable_is_named(environ: dict[str, str], named: list[str]) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(environ)
    lines = str(raised.value).splitlines()[1:]
    assert len(lines) == len(named), lines
    for line, name in zip(lines, named, strict=True):
        assert line.strip().startswith(name), line
