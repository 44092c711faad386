"""The OpenAI-compatible HTTP face of the engine: what the apps' one ``openai`` client path calls.

``POST /v1/chat/completions`` (streamed as server-sent events, or whole), ``GET /v1/models`` and
``GET /healthz``. Generation runs in a worker thread; a streamed request whose client goes away
stops generating at the next token.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any, Literal, Protocol

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from genai_common.background import start_in_background
from pydantic import BaseModel, ConfigDict, Field
from sse_starlette import EventSourceResponse

from local_model.completion import Completion


class Generator(Protocol):
    def generate(
        self,
        messages: list[dict[str, str]],
        max_tokens: int,
        temperature: float,
        on_text: Callable[[str], None],
        cancelled: threading.Event,
    ) -> Completion: ...


class ContentPart(BaseModel):
    type: str
    text: str = ""


class Message(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: Literal["system", "user", "assistant"]
    content: str | list[ContentPart] = ""

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        return "".join(part.text for part in self.content if part.type == "text")


class StreamOptions(BaseModel):
    include_usage: bool = False


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")  # OpenAI's other knobs are accepted and ignored

    model: str
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    temperature: float = Field(default=0.7, ge=0.0, le=2.0)


def _usage(done: Completion) -> dict[str, int]:
    return {
        "prompt_tokens": done.prompt_tokens,
        "completion_tokens": done.completion_tokens,
        "total_tokens": done.prompt_tokens + done.completion_tokens,
    }


class Loading:
    """An engine built in a background thread, so that the server answers from its first second
    (local mode's start does not wait for the model): health says ``loading`` until the engine
    is built, and requests made meanwhile wait for it."""

    def __init__(
        self, build: Callable[[], Generator], after: Callable[[], bool] | None = None
    ) -> None:
        self._built = threading.Event()
        self._engine: Generator | None = None
        self._error = ""
        start_in_background(lambda: self._build(build), "load-model", after=after)

    def _build(self, build: Callable[[], Generator]) -> None:
        try:
            self._engine = build()
        except Exception as error:
            self._error = f"{type(error).__name__}: {error}"
        finally:
            self._built.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Whether the build has ended (loaded or failed) within ``timeout`` seconds."""
        return self._built.wait(timeout)

    @property
    def state(self) -> Literal["loading", "ok", "failed"]:
        if not self._built.is_set():
            return "loading"
        return "ok" if self._engine is not None else "failed"

    def generate(
        self,
        messages: list[dict[str, str]],
        max_tokens: int,
        temperature: float,
        on_text: Callable[[str], None],
        cancelled: threading.Event,
    ) -> Completion:
        while not self.wait(0.1):
            if cancelled.is_set():
                return Completion(prompt_tokens=0, completion_tokens=0, finish_reason="stop")
        if self._engine is None:
            raise ModelUnavailable(f"the model could not be loaded: {self._error}")
        return self._engine.generate(messages, max_tokens, temperature, on_text, cancelled)


class ModelUnavailable(RuntimeError):
    """The engine failed to load; the server stays up to say so."""


def create_app(engine: Generator | Loading, model: str, max_tokens: int) -> FastAPI:
    """The API for ``engine``, answering as ``model``; no answer exceeds ``max_tokens``."""
    app = FastAPI(title=f"Local model server ({model})")

    @app.exception_handler(ModelUnavailable)
    async def unavailable(_: Request, error: ModelUnavailable) -> JSONResponse:
        return JSONResponse({"error": {"message": str(error)}}, status_code=503)

    @app.get("/healthz")
    def health() -> JSONResponse:
        state = engine.state if isinstance(engine, Loading) else "ok"
        # 200 while loading: local mode counts the server up; the body says the model is not yet.
        return JSONResponse(
            {"status": state, "model": model}, status_code=503 if state == "failed" else 200
        )

    @app.get("/v1/models")
    def models() -> dict[str, Any]:
        return {
            "object": "list",
            "data": [{"id": model, "object": "model", "created": 0, "owned_by": "local"}],
        }

    @app.post("/v1/chat/completions", response_model=None)
    async def chat(request: ChatRequest) -> dict[str, Any] | EventSourceResponse:
        if request.model != model:
            raise HTTPException(404, f"this server serves {model!r}, not {request.model!r}")
        messages = [{"role": m.role, "content": m.text()} for m in request.messages]
        limit = min(request.max_completion_tokens or request.max_tokens or max_tokens, max_tokens)
        cancelled = threading.Event()
        pieces: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def run() -> Completion:
            try:
                return engine.generate(
                    messages,
                    limit,
                    request.temperature,
                    lambda text: loop.call_soon_threadsafe(pieces.put_nowait, text),
                    cancelled,
                )
            finally:
                loop.call_soon_threadsafe(pieces.put_nowait, None)

        ident, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        task = asyncio.ensure_future(asyncio.to_thread(run))
        if not request.stream:
            try:
                text = "".join([piece async for piece in _drain(pieces)])
                done = await task
            finally:
                cancelled.set()
            return {
                "id": ident,
                "object": "chat.completion",
                "created": created,
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": done.finish_reason,
                    }
                ],
                "usage": _usage(done),
            }

        def chunk(delta: dict[str, str], finish: str | None = None, **extra: Any) -> str:
            choices = [{"index": 0, "delta": delta, "finish_reason": finish}]
            return json.dumps(
                {
                    "id": ident,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": model,
                    "choices": choices if "usage" not in extra else [],
                    **extra,
                }
            )

        async def events() -> AsyncIterator[str]:
            try:
                yield chunk({"role": "assistant", "content": ""})
                async for piece in _drain(pieces):
                    yield chunk({"content": piece})
                done = await task
                yield chunk({}, done.finish_reason)
                if request.stream_options and request.stream_options.include_usage:
                    yield chunk({}, usage=_usage(done))
                yield "[DONE]"
            finally:
                cancelled.set()  # the client went away, or the answer is complete

        return EventSourceResponse(events())

    return app


async def _drain(pieces: asyncio.Queue[str | None]) -> AsyncIterator[str]:
    while (piece := await pieces.get()) is not None:
        yield piece
