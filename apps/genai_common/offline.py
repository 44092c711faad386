"""The ``offline`` chat model: a labelled, deterministic stand-in for local mode and tests.

It runs no model. Given passages inside ``<context>`` tags it answers with the sentences
that share the most words with the question, citing numbered passages by their ``[n]`` (an
``[n] source`` line heads each one and is not quoted); without context it acknowledges the
prompt and says how many user turns it received, so a caller can see the whole
conversation arrived. Its answers always start with :data:`OFFLINE_LABEL`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from genai_common.chunking import terms

OFFLINE_LABEL = "[offline stand-in, no model]"

_CONTEXT = re.compile(r"<context>(.*?)</context>", re.DOTALL | re.IGNORECASE)
# A numbered passage: "[n] where it comes from" on a line of its own, then its text.
_PASSAGE = re.compile(r"^\[(\d+)\][^\n]*\n(.*?)(?=^\[\d+\]|\Z)", re.DOTALL | re.MULTILINE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _words(text: str) -> set[str]:
    return set(terms(text))


def _passages(context: str) -> list[tuple[str, str]]:
    """(citation, text) of each numbered passage; unnumbered context is one passage."""
    numbered = [(f"[{n}] ", text) for n, text in _PASSAGE.findall(context)]
    return numbered or [("", context)]


def offline_answer(messages: list[BaseMessage], max_sentences: int = 2) -> str:
    """The deterministic answer for ``messages``."""
    user_turns = [m for m in messages if isinstance(m, HumanMessage)]
    if not user_turns:
        return f"{OFFLINE_LABEL} There is no question to answer."
    question = _CONTEXT.sub("", user_turns[-1].text).strip()
    contexts = [c for m in messages for c in _CONTEXT.findall(m.text)]
    if not contexts:
        return (
            f'{OFFLINE_LABEL} You said: "{question}". This conversation has '
            f"{len(user_turns)} user turn(s). Set CHAT_PROVIDER to bedrock or openai "
            "for real answers."
        )
    asked = _words(question)
    # Overlapping passages repeat sentences: each is quoted once, from its first passage.
    first: dict[str, str] = {}
    for context in contexts:
        for citation, text in _passages(context.strip("\n")):
            for sentence in filter(None, map(str.strip, _SENTENCE.split(text))):
                first.setdefault(sentence, citation)
    sentences = [(citation, sentence) for sentence, citation in first.items()]
    scores = [len(asked & _words(s)) for _, s in sentences]
    top = max(scores, default=0)
    if not top:
        return f"{OFFLINE_LABEL} I don't know: the context says nothing about that."
    # Sentences nearly as relevant as the best one, in their original order, each run of
    # sentences from one passage cited once.
    ranked = sorted(range(len(sentences)), key=lambda i: -scores[i])[:max_sentences]
    chosen = sorted(i for i in ranked if scores[i] >= 0.6 * top)
    quoted, cited = [], None
    for i in chosen:
        citation, sentence = sentences[i]
        quoted.append(sentence if citation == cited else citation + sentence)
        cited = citation
    return f"{OFFLINE_LABEL} " + " ".join(quoted)


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
