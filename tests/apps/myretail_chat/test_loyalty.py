"""The Loyalty program tab's event handlers, called as Gradio calls them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from genai_common.chat_models import chat_model
from genai_common.conversation import MAX_PROMPT_CHARS, Turn
from genai_common.offline import OfflineChatModel
from genai_common.settings import PlatformSettings, load_settings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from myretail_chat import loyalty
from myretail_chat.settings import LOYALTY_SYSTEM_PROMPT
from pydantic import Field

from tests.fakes.bedrock_runtime import FakeBedrockRuntime

HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0"


def final(updates: Iterator[loyalty.Update]) -> loyalty.Update:
    return list(updates)[-1]


class Recording(BaseChatModel):
    """Streams the given pieces, then optionally fails; records what it was sent."""

    pieces: list[str] = Field(default_factory=list)
    failure: Exception | None = None
    sent: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "recording"

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        raise NotImplementedError

    def _stream(
        self, messages: list[BaseMessage], *args: Any, **kwargs: Any
    ) -> Iterator[ChatGenerationChunk]:
        self.sent.append(messages)
        for piece in self.pieces:
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
        if self.failure:
            raise self.failure


def test_the_offline_stand_in_answers_with_the_whole_conversation() -> None:
    model = OfflineChatModel()
    chat, turns, box = final(loyalty.reply(model, "offline", "How do I earn points?", ()))
    assert box == ""
    assert chat[0] == {"role": "user", "content": "How do I earn points?"}
    assert chat[1]["content"].startswith("[offline stand-in, no model]")
    chat, turns, _ = final(loyalty.reply(model, "offline", "And redeem them?", turns))
    assert len(chat) == 4 and "2 user turn(s)" in chat[3]["content"]


def test_the_system_prompt_and_history_are_sent_and_the_answer_streams() -> None:
    model = Recording(pieces=["Gold ", "members ", "earn double."])
    history = (Turn("user", "Hi"), Turn("assistant", "Hello!"), Turn("notice", "a hiccup"))
    updates = list(loyalty.reply(model, "m", "What about Gold?", history))
    assert [u[0][-1]["content"] for u in updates[1:4]] == [
        "Gold ",
        "Gold members ",
        "Gold members earn double.",
    ]
    (sent,) = model.sent
    assert sent[0].content == LOYALTY_SYSTEM_PROMPT
    # The notice is shown but never sent to the model.
    assert [m.content for m in sent[1:]] == ["Hi", "Hello!", "What about Gold?"]
    assert updates[-1][1][-1] == Turn("assistant", "Gold members earn double.")


def test_a_failure_mid_answer_keeps_the_part_and_explains(caplog: pytest.LogCaptureFixture) -> None:
    model = Recording(pieces=["Points "], failure=ConnectionError("reset"))
    chat, turns, _ = final(loyalty.reply(model, "m", "Points?", ()))
    assert [t.role for t in turns] == ["user", "assistant", "notice"]
    assert chat[1]["content"] == "Points "
    assert chat[2]["content"] == (
        "⚠️ The call to model m failed (ConnectionError). Please try again; "
        "the conversation is kept."
    )
    assert "loyalty model call failed" in caplog.text


def test_a_model_that_is_not_enabled_is_explained_and_the_next_question_works(
    fake_bedrock: FakeBedrockRuntime,
) -> None:
    fake_bedrock.error(
        403,
        "AccessDeniedException",
        "You don't have access to the model with the specified model ID.",
    )
    fake_bedrock.stream("Welcome", " to MyElite.")
    model = chat_model(load_settings(PlatformSettings), HAIKU)
    chat, turns, _ = final(loyalty.reply(model, HAIKU, "Hi", ()))
    assert "not enabled" in chat[-1]["content"] and chat[-1]["content"].startswith("⚠️")
    chat, turns, _ = final(loyalty.reply(model, HAIKU, "Hi again", turns))
    assert chat[-1] == {"role": "assistant", "content": "Welcome to MyElite."}
    # Bedrock needs alternating turns: the failed question and the retry are sent as one.
    assert fake_bedrock.requests[1]["messages"] == [
        {"role": "user", "content": [{"text": "Hi\n\nHi again"}]}
    ]


def test_an_empty_answer_is_a_notice() -> None:
    chat, _, _ = final(loyalty.reply(Recording(pieces=[""]), "m", "Hi", ()))
    assert chat[-1]["content"] == "⚠️ " + loyalty.EMPTY_ANSWER


def test_empty_and_too_long_prompts_are_not_sent() -> None:
    model = Recording(pieces=["never"])
    assert list(loyalty.reply(model, "m", " ", ())) == [([], (), " ")]
    prompt = "x" * (MAX_PROMPT_CHARS + 1)
    ((chat, turns, box),) = loyalty.reply(model, "m", prompt, ())
    assert box == prompt and turns[0].role == "notice" and "too long" in chat[0]["content"]
    assert model.sent == []


def test_reset_forgets_the_conversation() -> None:
    assert loyalty.reset() == ([], (), "")
