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
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from genai_common.chunking import terms

OFFLINE_LABEL = "[offline stand-in, no model]"
# What brings a model in: local mode starts a local model unless LOCAL_MODEL=none or its weights
# are missing, and sets CHAT_PROVIDER itself, so that setting is the fix only outside it.
REAL_MODEL_HINT = (
    "For real answers under `make local`, leave LOCAL_MODEL unset (or name a model) and fetch its "
    "weights with `.venv/bin/python -m local_model fetch`; elsewhere set CHAT_PROVIDER to bedrock "
    "or openai."
)

_CONTEXT = re.compile(r"<context>(.*?)</context>", re.DOTALL | re.IGNORECASE)
# A numbered passage: "[n] where it comes from" on a line of its own, then its text.
_PASSAGE = re.compile(r"^\[(\d+)\][^\n]*\n(.*?)(?=^\[\d+\]|\Z)", re.DOTALL | re.MULTILINE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# The stand-in's tokens: what it streams one at a time, a word and the space after it.
_TOKEN = re.compile(r"\S+\s*")


def count_tokens(text: str) -> int:
    """The stand-in's token count of ``text`` (the meter charges it like a model's)."""
    return len(_TOKEN.findall(text))


def _usage(input_tokens: int, output_tokens: int) -> UsageMetadata:
    return UsageMetadata(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        total_tokens=input_tokens + output_tokens,
    )


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
            f"{len(user_turns)} user turn(s). {REAL_MODEL_HINT}"
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
        usage = _usage(sum(count_tokens(m.text) for m in messages), count_tokens(answer))
        message = AIMessage(content=answer, usage_metadata=usage)
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        # The prompt's tokens ride on the first chunk, one output token on each: LangChain adds
        # the chunks' usage up, as it does a server's.
        prompt = sum(count_tokens(m.text) for m in messages)
        for index, token in enumerate(_TOKEN.findall(offline_answer(messages))):
            usage = _usage(prompt if index == 0 else 0, 1)
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=token, usage_metadata=usage))
            if run_manager:
                run_manager.on_llm_new_token(token, chunk=chunk)
            yield chunk
