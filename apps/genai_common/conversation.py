"""The conversation an assistant page keeps between reruns, and the messages sent from it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

MAX_PROMPT_CHARS = 8_000

Role = Literal["user", "assistant", "notice"]


@dataclass(frozen=True)
class Turn:
    """One entry of the visible conversation. Notices (errors) are shown, never sent."""

    role: Role
    content: str


def to_messages(turns: Iterable[Turn], system_prompt: str) -> list[BaseMessage]:
    """The whole conversation as model messages.

    Bedrock's Converse API requires strictly alternating user/assistant turns that start
    with the user, so turns of the same role (a prompt whose answer failed, then a retry)
    are merged and notices are dropped.
    """
    merged: list[tuple[Role, str]] = []
    for turn in turns:
        if turn.role == "notice" or not turn.content.strip():
            continue
        if merged and merged[-1][0] == turn.role:
            merged[-1] = (turn.role, f"{merged[-1][1]}\n\n{turn.content}")
        else:
            merged.append((turn.role, turn.content))
    while merged and merged[0][0] != "user":
        merged.pop(0)
    messages: list[BaseMessage] = [SystemMessage(content=system_prompt)]
    for role, content in merged:
        messages.append(
            HumanMessage(content=content) if role == "user" else AIMessage(content=content)
        )
    return messages


def stream_text(model: BaseChatModel, messages: list[BaseMessage]) -> Iterator[str]:
    """The answer's text as it arrives (provider chunks may carry content blocks, not str)."""
    for chunk in model.stream(messages):
        text = chunk.text
        if text:
            yield text


def check_prompt(prompt: str) -> str | None:
    """Why ``prompt`` cannot be sent, or None when it can."""
    if not prompt.strip():
        return "The message is empty."
    if len(prompt) > MAX_PROMPT_CHARS:
        return f"The message is too long ({len(prompt):,} characters; the limit is {MAX_PROMPT_CHARS:,})."
    return None
