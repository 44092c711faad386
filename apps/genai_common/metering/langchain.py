"""The meter as a LangChain callback: every chat model :func:`chat_model` builds carries one, so
each call, streamed or not, is checked before it starts and charged when it ends.

Code that streams a model across threads (a Gradio generator), where a context variable does
not follow, names the caller and the listener per call with :func:`for_session` instead of
:func:`~genai_common.metering.metering_scope`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGeneration, LLMResult
from langchain_core.runnables import Runnable

from genai_common.metering.meter import Meter, Usage, current_user

# The run metadata key naming the caller, when it is not set by metering_scope.
USER_METADATA = "metering_user"


def llm_usage(result: LLMResult) -> Usage:
    """The tokens a chat model reported for ``result`` (its messages' usage_metadata, which
    Bedrock Converse, OpenAI-compatible servers and the offline stand-in all fill in)."""
    inputs = outputs = 0
    for generations in result.generations:
        for generation in generations:
            if isinstance(generation, ChatGeneration):
                usage = getattr(generation.message, "usage_metadata", None) or {}
                inputs += usage.get("input_tokens", 0)
                outputs += usage.get("output_tokens", 0)
    return Usage(inputs, outputs)


class MeteringCallback(BaseCallbackHandler):
    """Checks the budgets on a chat model's start, charges its usage at its end."""

    # A budget refusal must stop the call: LangChain otherwise logs a handler's error and goes on.
    raise_error = True

    def __init__(self, meter: Meter, model: str) -> None:
        self._meter, self._model = meter, model
        self._started: dict[UUID, tuple[float, str | None]] = {}

    def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: list[list[BaseMessage]],
        *,
        run_id: UUID,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        user = (metadata or {}).get(USER_METADATA) or current_user()
        self._meter.check(self._model, user)
        self._started[run_id] = (time.perf_counter(), user)

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        started, user = self._started.pop(run_id, (time.perf_counter(), current_user()))
        latency_ms = (time.perf_counter() - started) * 1000
        self._meter.charge(self._model, user, llm_usage(response), latency_ms)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        _, user = self._started.pop(run_id, (0.0, current_user()))
        self._meter.failed(self._model, user, error)


class UsageListener(BaseCallbackHandler):
    """Hands each finished call's usage to ``on_usage`` (a page's session counter)."""

    def __init__(self, on_usage: Callable[[Usage], None]) -> None:
        self._on_usage = on_usage

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self._on_usage(llm_usage(response))


def for_session(
    model: BaseChatModel, user: str, on_usage: Callable[[Usage], None]
) -> Runnable[Any, Any]:
    """``model`` charging ``user``'s budget and reporting each call's usage to ``on_usage``."""
    return model.with_config(callbacks=[UsageListener(on_usage)], metadata={USER_METADATA: user})
