"""The OpenAI-compatible server: SmolLM2 loaded through the real path and asked through the
OpenAI client the apps use; a fake engine shows that a client that leaves stops generation."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from langchain_openai import ChatOpenAI
from local_model.catalog import SMOLLM2
from local_model.completion import Completion
from local_model.engine import Engine
from local_model.server import Loading, create_app
from openai import NotFoundError, OpenAI

from tests.apps.local_model.conftest import serve


@pytest.fixture(scope="module")
def smollm2(smollm2_weights: Path, smollm2_converted: Path) -> Iterator[str]:
    engine = Engine(smollm2_weights, smollm2_converted)
    with serve(create_app(engine, SMOLLM2.name, max_tokens=24)) as url:
        yield url


def test_a_streamed_answer_through_the_apps_client(smollm2: str) -> None:
    model = ChatOpenAI(
        model=SMOLLM2.name, base_url=smollm2, api_key="none", temperature=0, stream_usage=True
    )
    chunks = list(model.stream("What is the capital of France? Answer in one word."))
    answer = "".join(str(c.content) for c in chunks)
    assert sum(1 for c in chunks if c.content) > 1  # token by token, not one block
    assert "paris" in answer.lower()
    usage = sum(chunks[1:], chunks[0]).usage_metadata
    assert usage and 0 < usage["output_tokens"] <= 24


def test_a_whole_answer_lists_and_limits(smollm2: str) -> None:
    client = OpenAI(base_url=smollm2, api_key="none")
    assert [m.id for m in client.models.list()] == [SMOLLM2.name]
    done = client.chat.completions.create(
        model=SMOLLM2.name,
        messages=[{"role": "user", "content": "Write a long story about a dragon."}],
        max_tokens=500,  # above the server's ceiling of 24
        temperature=0,
    )
    assert done.choices[0].message.content
    assert done.usage and 0 < done.usage.completion_tokens <= 24
    cut = done.usage.completion_tokens == 24
    assert done.choices[0].finish_reason == ("length" if cut else "stop")
    with pytest.raises(NotFoundError):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])


class Endless:
    """Emits a word per call until cancelled; records that it was."""

    def __init__(self) -> None:
        self.stopped = threading.Event()

    def generate(
        self,
        messages: list[dict[str, str]],
        max_tokens: int,
        temperature: float,
        on_text: Callable[[str], None],
        cancelled: threading.Event,
    ) -> Completion:
        count = 0
        while not cancelled.wait(0.01):
            on_text("word ")
            count += 1
        self.stopped.set()
        return Completion(1, count, "stop")


def test_a_client_that_leaves_stops_generation() -> None:
    engine = Endless()
    with serve(create_app(engine, "endless", max_tokens=10**6)) as url:
        body = {"model": "endless", "messages": [{"role": "user", "content": "go"}], "stream": True}
        with httpx.stream("POST", f"{url}/chat/completions", json=body, timeout=10) as response:
            lines = response.iter_lines()
            assert any("word" in line for line in lines)
        assert engine.stopped.wait(timeout=10)


class Ready:
    """An engine that answers "ready" at once."""

    def generate(
        self,
        messages: list[dict[str, str]],
        max_tokens: int,
        temperature: float,
        on_text: Callable[[str], None],
        cancelled: threading.Event,
    ) -> Completion:
        on_text("ready")
        return Completion(prompt_tokens=1, completion_tokens=1, finish_reason="stop")


def test_the_server_answers_while_the_model_loads_and_requests_wait_for_it() -> None:
    built = threading.Event()

    def build() -> Ready:
        built.wait()
        return Ready()

    loading = Loading(build)
    with serve(create_app(loading, "m", max_tokens=8)) as url:
        base = url.removesuffix("/v1")
        assert httpx.get(f"{base}/healthz").json() == {"status": "loading", "model": "m"}
        client = OpenAI(base_url=url, api_key="none")
        answers: list[str | None] = []
        asking = threading.Thread(
            target=lambda: answers.append(
                client.chat.completions.create(
                    model="m", messages=[{"role": "user", "content": "hi"}]
                )
                .choices[0]
                .message.content
            )
        )
        asking.start()
        built.set()
        asking.join(timeout=30)
        assert answers == ["ready"]
        assert httpx.get(f"{base}/healthz").json()["status"] == "ok"


def test_a_model_that_cannot_load_is_reported_and_the_server_stays_up() -> None:
    def build() -> Ready:
        raise OSError("weights unreadable")

    loading = Loading(build)
    assert loading.wait(timeout=30)
    with serve(create_app(loading, "m", max_tokens=8)) as url:
        base = url.removesuffix("/v1")
        health = httpx.get(f"{base}/healthz")
        assert (health.status_code, health.json()["status"]) == (503, "failed")
        answer = httpx.post(
            f"{url}/chat/completions",
            json={"model": "m", "messages": [{"role": "user", "content": "hi"}]},
        )
        assert answer.status_code == 503
        assert "weights unreadable" in answer.json()["error"]["message"]
