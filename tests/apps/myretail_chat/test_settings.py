"""The chatbot's settings: what is required and what the title says answers."""

from __future__ import annotations

import json

import pytest
from genai_common.settings import SettingsError, load_settings
from myretail_chat.settings import MyRetailSettings


@pytest.fixture(autouse=True)
def _shop_rag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_RAG_URL", "http://shop-rag:8000")


def test_shop_rag_url_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOP_RAG_URL")
    with pytest.raises(SettingsError, match="SHOP_RAG_URL: Field required"):
        load_settings(MyRetailSettings)


def test_defaults_follow_the_contract() -> None:
    settings = load_settings(MyRetailSettings)
    assert (settings.myretail_chat_host, settings.myretail_chat_port) == ("0.0.0.0", 7860)
    assert str(settings.shop_rag_url) == "http://shop-rag:8000/"


@pytest.mark.parametrize(
    ("environment", "title", "model_id"),
    [
        (
            {"CHAT_PROVIDER": "offline"},
            "MyRetail chatbot (Loyalty program: offline stand-in, no model)",
            "offline",
        ),
        (
            {
                "CHAT_PROVIDER": "openai",
                "OPENAI_BASE_URL": "http://vllm:8000/v1",
                "OPENAI_MODEL": "myelite-llama3",
            },
            "MyRetail chatbot (Loyalty program: myelite-llama3)",
            "myelite-llama3",
        ),
        (
            {},
            "MyRetail chatbot (Loyalty program: Claude Haiku 4.5)",
            "us.anthropic.claude-haiku-4-5-20251001-v1:0",
        ),
        (
            {
                "CHAT_MODELS": json.dumps(
                    [{"label": "Nova Lite", "model_id": "us.amazon.nova-lite-v1:0"}]
                )
            },
            "MyRetail chatbot (Loyalty program: Nova Lite)",
            "us.amazon.nova-lite-v1:0",
        ),
    ],
)
def test_the_title_names_what_answers_the_loyalty_tab(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], title: str, model_id: str
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings = load_settings(MyRetailSettings)
    assert settings.title() == title
    assert settings.loyalty_model().model_id == model_id


@pytest.mark.parametrize(
    ("name", "value"),
    [("SHOP_RAG_READ_TIMEOUT", "inf"), ("MYRETAIL_CHAT_PORT", "0"), ("SHOP_RAG_URL", "shop-rag")],
)
def test_bad_values_are_named(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        load_settings(MyRetailSettings)
