"""OPENAI_MODEL=latest-adapter: the Loyalty tab answers with the model server's newest adapter."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from genai_common.settings import load_settings
from myretail_chat import loyalty
from myretail_chat.loyalty_model import LoyaltyModel
from myretail_chat.settings import MyRetailSettings

from tests.fakes.vllm_server import FakeVllm, serve_vllm

KEY = "loyalty-key"


@pytest.fixture
def vllm() -> Iterator[FakeVllm]:
    with serve_vllm(FakeVllm(KEY)) as fake:
        yield fake


@pytest.fixture
def model(vllm: FakeVllm, monkeypatch: pytest.MonkeyPatch) -> LoyaltyModel:
    for name, value in {
        "SHOP_RAG_URL": "http://shop-rag:8000",
        "CHAT_PROVIDER": "openai",
        "OPENAI_BASE_URL": vllm.url,
        "OPENAI_MODEL": "latest-adapter",
        "OPENAI_API_KEY": KEY,
    }.items():
        monkeypatch.setenv(name, value)
    return LoyaltyModel(load_settings(MyRetailSettings))


def load(vllm: FakeVllm, tmp_path: Path, run: str) -> None:
    folder = tmp_path / run
    folder.mkdir()
    (folder / "adapter_config.json").write_text(json.dumps({"r": 16}))
    assert vllm.load({"lora_name": run, "lora_path": str(folder)})[0] == 200


def ask(model: LoyaltyModel, question: str) -> list[dict[str, str]]:
    return list(loyalty.reply_with(model.current, question, ()))[-1][0]


def test_the_newest_adapter_answers_and_a_new_one_takes_over_without_a_restart(
    vllm: FakeVllm, model: LoyaltyModel, tmp_path: Path
) -> None:
    load(vllm, tmp_path, "loyalty-v1")
    load(vllm, tmp_path, "loyalty-v2")
    assert ask(model, "How do I earn points?")[-1]["content"] == "answered by loyalty-v2"
    load(vllm, tmp_path, "loyalty-v3")
    assert ask(model, "And redeem them?")[-1]["content"] == "answered by loyalty-v3"
    assert vllm.completions == ["loyalty-v2", "loyalty-v3"]


def test_a_server_without_adapters_is_explained_in_the_chat(
    vllm: FakeVllm, model: LoyaltyModel
) -> None:
    chat = ask(model, "How do I earn points?")
    assert chat[0] == {"role": "user", "content": "How do I earn points?"}
    assert (
        "not available right now" in chat[-1]["content"]
        and "serves no adapter" in chat[-1]["content"]
    )
    assert vllm.completions == []


def test_a_named_model_is_used_as_configured(
    vllm: FakeVllm, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    load(vllm, tmp_path, "loyalty-v1")
    load(vllm, tmp_path, "loyalty-v2")
    for name, value in {
        "SHOP_RAG_URL": "http://shop-rag:8000",
        "CHAT_PROVIDER": "openai",
        "OPENAI_BASE_URL": vllm.url,
        "OPENAI_MODEL": "loyalty-v1",
        "OPENAI_API_KEY": KEY,
    }.items():
        monkeypatch.setenv(name, value)
    model = LoyaltyModel(load_settings(MyRetailSettings))
    assert ask(model, "How do I earn points?")[-1]["content"] == "answered by loyalty-v1"
