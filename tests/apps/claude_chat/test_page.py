"""The Streamlit page, driven with AppTest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import claude_chat
import pytest
import streamlit as st
from genai_common.conversation import MAX_PROMPT_CHARS
from streamlit.testing.v1 import AppTest

from tests.fakes.bedrock_runtime import FakeBedrockRuntime

PAGE = str(Path(claude_chat.__file__).with_name("page.py"))


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def fake(fake_bedrock: FakeBedrockRuntime) -> FakeBedrockRuntime:
    return fake_bedrock


def page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=30).run()


def send(app: AppTest, text: str) -> AppTest:
    app.chat_input[0].set_value(text).run()
    return app


def assistant_texts(app: AppTest) -> list[str]:
    return [m.markdown[0].value for m in app.chat_message if m.name == "assistant" and m.markdown]


def test_offline_conversation_keeps_history_and_resets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAT_PROVIDER", "offline")
    app = page()
    assert app.title[0].value == "Chat (offline stand-in, no model)"
    assert app.sidebar.selectbox[0].options == ["Offline stand-in (no model)"]
    send(app, "Hello there")
    send(app, "Tell me more")
    replies = assistant_texts(app)
    assert len(replies) == 2
    assert '"Tell me more"' in replies[1] and "2 user turn(s)" in replies[1]
    app.sidebar.button[0].click().run()
    assert len(app.chat_message) == 0
    send(app, "Fresh start")
    assert "1 user turn(s)" in assistant_texts(app)[0]


def test_bedrock_answer_streams_from_the_chosen_model(fake: FakeBedrockRuntime) -> None:
    fake.stream("Hello", ", I am", " Claude.")
    app = page()
    assert app.sidebar.selectbox[0].options == ["Claude Haiku 4.5", "Claude Sonnet 4.6"]
    app.sidebar.selectbox[0].select("Claude Sonnet 4.6").run()
    send(app, "Who are you?")
    assert assistant_texts(app) == ["Hello, I am Claude."]
    assert fake.requests[0]["messages"] == [{"role": "user", "content": [{"text": "Who are you?"}]}]


def test_model_not_enabled_is_explained_and_the_chat_goes_on(fake: FakeBedrockRuntime) -> None:
    fake.error(
        403,
        "AccessDeniedException",
        "You don't have access to the model with the specified model ID.",
    )
    fake.stream("Now it works.")
    app = page()
    send(app, "First try")
    assert any("not enabled" in e.value for e in app.error)
    send(app, "Second try")
    assert assistant_texts(app) == ["Now it works."]
    # The failed prompt was kept and sent again with the new one, merged into one user turn.
    assert fake.requests[1]["messages"] == [
        {"role": "user", "content": [{"text": "First try\n\nSecond try"}]}
    ]


def test_throttling_mid_answer_keeps_the_partial_text(fake: FakeBedrockRuntime) -> None:
    fake.stream("The answer", error=("throttlingException", "Too many requests"))
    app = page()
    send(app, "Question")
    assert any("throttling" in e.value for e in app.error)
    assert assistant_texts(app) == ["The answer"]


def test_invalid_settings_are_shown_instead_of_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAT_PROVIDER", "openai")
    app = page()
    assert not app.exception
    assert "OPENAI_BASE_URL" in app.error[0].value


def test_an_empty_or_huge_prompt_is_refused_politely(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAT_PROVIDER", "offline")
    app = page()
    # The browser stops typing at the limit instead of discarding a message once sent.
    assert app.chat_input[0].proto.max_chars == MAX_PROMPT_CHARS
    send(app, "   ")
    assert "empty" in app.warning[0].value
    assert assistant_texts(app) == []
