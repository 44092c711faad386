"""The ``offline`` chat model: a labelled, deterministic stand-in for local mode and tests.

It runs no model. Given passages inside ``<context>`` tags it answers with the sentences
that share the most words with the question; without context it acknowledges the prompt
and says how many user turns it received, so a caller can see the whole conversation
arrived. Its answers always start with :data:`OFFLINE_LABEL`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

OFFLINE_LABEL = "[offline stand-in, no model]"

_CONTEXT = re.compile(r"<context>(.*?)</context>", re.DOTALL | re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "this",
        "to",
        "was",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP_WORDS}


def offline_answer(messages: list[BaseMessage], max_sentences: int = 2) -> str:
    """The deterministic answer for ``messages``."""
    user_turns = [m for m in messages if isinstance(m, HumanMessage)]
    if not user_turns:
        return f"{OFFLINE_LABEL} There is no question to answer."
    question = _CONTEXT.sub("", user_turns[-1].text).strip()
    passages = [p for m in messages for p in _CONTEXT.findall(m.text)]
    if not passages:
        return (
            f'{OFFLINE_LABEL} You said: "{question}". This conversation has '
            f"{len(user_turns)} user turn(s). Set CHAT_PROVIDER to bedrock or openai "
            "for real answers."
        )
    asked = _words(question)
    sentences = [s.strip() for p in passages for s in _SENTENCE.split(p) if s.strip()]
    scores = [len(asked & _words(s)) for s in sentences]
    top = max(scores, default=0)
    if not top:
        return f"{OFFLINE_LABEL} I don't know: the context says nothing about that."
    # Sentences nearly as relevant as the best one, in their original order.
    ranked = sorted(range(len(sentences)), key=lambda i: -scores[i])[:max_sentences]
    chosen = sorted(i for i in ranked if scores[i] >= 0.6 * top)
    return f"{OFFLINE_LABEL} " + " ".join(sentences[i] for i in chosen)


class OfflineChatModel(BaseChatModel):
    """A LangChain chat model that answers with :func:`offline_answer`, streamed word by word."""

    @property
    def _llm_type(self) -> str:
        return "offline"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        answer = offline_answer(messages)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=answer))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        for token in re.findall(r"\S+\s*", offline_answer(messages)):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=token))
            if run_manager:
                run_manager.on_llm_new_token(token, chunk=chunk)
            yield chunk
