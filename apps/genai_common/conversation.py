"""The conversation an assistant page keeps between reruns, and the messages sent from it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from typing import Literal, Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

MAX_PROMPT_CHARS = 8_000
# A rewrite is one line; a model that answers instead of rewriting is cut short.
MAX_QUERY_CHARS = 1000
# Enough of an earlier answer to know what it was about.
_ANSWER_EXCERPT = 600

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


class Said(Protocol):
    """A turn of a conversation as any app keeps it."""

    @property
    def role(self) -> str: ...

    @property
    def content(self) -> str: ...


def offline_rewrite(
    question: str, previous_questions: Sequence[str], key_terms: Callable[[str], str]
) -> str:
    """The rewrite of a follow-up when no model runs: the follow-up, then the ``key_terms`` of
    the earlier questions, latest first. The follow-up comes first so that what it states
    wins over what the history stated."""
    context = [key_terms(q) for q in reversed(previous_questions)]
    return " ".join([question.strip(), *filter(None, context)])


@dataclass(frozen=True)
class FollowUpRewriter:
    """Turns a follow-up ("what are its requirements?") into a question that retrieval can
    answer without the conversation: the chat model's rewrite, or without a model (the
    offline stand-in) the follow-up with the earlier questions' key terms and the ``topic``
    of the latest answer, if the app can tell it (what "it" most likely refers to)."""

    prompt: str
    key_terms: Callable[[str], str]
    user: str = "User"
    topic: Callable[[Said], str | None] = lambda answer: None

    def messages(self, history: Sequence[Said], question: str) -> list[BaseMessage]:
        """The request: the conversation as a transcript in one message, so that the model
        treats it as material to condense rather than a conversation to continue."""
        lines = []
        for turn in history:
            if turn.role == "user":
                lines.append(f"{self.user}: {turn.content}")
            elif turn.role == "assistant":
                lines.append(f"Assistant: {turn.content[:_ANSWER_EXCERPT]}")
        transcript = "\n".join(lines)
        return [
            SystemMessage(content=self.prompt),
            HumanMessage(
                content=f"Conversation:\n{transcript}\n\nLatest message: {question}\n\nSearch query:"
            ),
        ]

    def rewrite(self, model: BaseChatModel | None, history: Sequence[Said], question: str) -> str:
        """``question`` standing alone (unchanged without history); ``model`` None rewrites
        offline. A failed model call raises."""
        if not any(turn.role == "user" for turn in history):
            return question
        if model is not None:
            rewritten = _first_line(stream_text(model, self.messages(history, question)))
            # A follow-up that refers back ("its requirements") and comes back as it was, or not
            # at all, has not been resolved (a small local model often just repeats it): the
            # offline rewrite below adds what it refers to. Anything else the model wrote stands.
            unresolved = _words(rewritten) in (frozenset(), _words(question))
            if not unresolved or not _words(question) & REFERRING:
                return rewritten or question
        earlier = [turn.content for turn in history if turn.role == "user"]
        answers = [turn for turn in history if turn.role == "assistant"]
        topic = self.topic(answers[-1]) if answers else None
        rewritten = offline_rewrite(question, earlier, self.key_terms)
        return f"{rewritten} {topic}" if topic else rewritten


# Words by which a follow-up points back at the conversation.
REFERRING = frozenset(
    [
        "it",
        "its",
        "it's",
        "they",
        "them",
        "their",
        "theirs",
        "those",
        "these",
        "that",
        "this",
        "there",
        "one",
        "ones",
        "he",
        "she",
        "his",
        "her",
    ]
)


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9']+", text.lower()))


def _first_line(pieces: Iterator[str]) -> str:
    """The first non-empty line of a streamed answer, at most MAX_QUERY_CHARS. The stream is
    closed as soon as that line ends, so the model stops generating what would be thrown away
    (a small local model's rambling after the query costs seconds a token)."""
    text = ""
    with closing(pieces):
        for piece in pieces:
            text += piece
            started = text.lstrip()
            if "\n" in started or len(started) > MAX_QUERY_CHARS:
                break
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:MAX_QUERY_CHARS] if lines else ""
