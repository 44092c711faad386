from __future__ import annotations

import pytest
from genai_common.settings import (
    BEDROCK_CATALOG,
    OFFLINE_CATALOG,
    PlatformSettings,
    SettingsError,
    load_settings,
)


def test_defaults_use_bedrock_and_the_current_claude_catalog() -> None:
    settings = load_settings(PlatformSettings)
    assert settings.chat_provider == "bedrock"
    assert settings.catalog() == BEDROCK_CATALOG
    assert all(m.model_id.startswith("us.anthropic.claude-") for m in settings.catalog())


def test_catalog_comes_from_json_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAT_MODELS", '[{"label": "Haiku", "model_id": "us.anthropic.x"}]')
    catalog = load_settings(PlatformSettings).catalog()
    assert [(m.label, m.model_id) for m in catalog] == [("Haiku", "us.anthropic.x")]


def test_offline_provider_has_its_labelled_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAT_PROVIDER", "offline")
    assert load_settings(PlatformSettings).catalog() == OFFLINE_CATALOG


def test_openai_provider_offers_its_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAT_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://localhost:11434/v1")
    monkeypatch.setenv("OPENAI_MODEL", "llama3.1")
    assert [m.model_id for m in load_settings(PlatformSettings).catalog()] == ["llama3.1"]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("CHAT_PROVIDER", "gpt", "CHAT_PROVIDER"),
        ("AWS_REGION", "mars", "AWS_REGION"),
        ("CHAT_TEMPERATURE", "3", "CHAT_TEMPERATURE"),
        ("CHAT_MODELS", "not json", "CHAT_MODELS"),
    ],
)
def test_a_wrong_value_is_named_in_the_error(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=expected):
        load_settings(PlatformSettings)


def test_openai_without_url_says_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAT_PROVIDER", "openai")
    with pytest.raises(SettingsError, match="OPENAI_BASE_URL and OPENAI_MODEL"):
        load_settings(PlatformSettings)


def test_guardrail_needs_both_id_and_version(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings(PlatformSettings).guardrail() is None
    monkeypatch.setenv("GUARDRAIL_ID", "abc123xyz")
    with pytest.raises(SettingsError, match="GUARDRAIL_ID and GUARDRAIL_VERSION"):
        load_settings(PlatformSettings)
    monkeypatch.setenv("GUARDRAIL_VERSION", "DRAFT2")
    with pytest.raises(SettingsError, match="GUARDRAIL_VERSION"):
        load_settings(PlatformSettings)
    monkeypatch.setenv("GUARDRAIL_VERSION", "2")
    assert load_settings(PlatformSettings).guardrail() == {
        "guardrailIdentifier": "abc123xyz",
        "guardrailVersion": "2",
    }


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e9", "0"])
def test_timeouts_must_be_finite_and_bounded(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("AWS_READ_TIMEOUT", value)
    with pytest.raises(SettingsError, match="AWS_READ_TIMEOUT"):
        load_settings(PlatformSettings)


def test_a_bad_catalog_entry_names_the_variable_the_entry_and_the_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CHAT_MODELS", '[{"label": "Haiku", "model_id": "x"}, {"label": "No id"}]')
    with pytest.raises(SettingsError) as raised:
        load_settings(PlatformSettings)
    assert "CHAT_MODELS, entry 2, model_id: Field required" in str(raised.value)
    assert "CHAT_MODELS_MODEL_ID" not in str(raised.value)
