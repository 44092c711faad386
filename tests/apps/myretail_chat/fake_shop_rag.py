"""A stand-in shop_rag speaking the contract's /generate stream, for tests that need a server.

It remembers each session's questions, so a test can see that a follow-up was sent under
the session id of the first answer.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse

PRODUCTS = [
    {
        "product_id": "P00042",
        "name": "TrailEase Walking Shoe",
        "brand": "Stride",
        "category": "Shoes",
        "price": 89.5,
        "colors": ["black", "navy"],
        "sizes": ["42", "43"],
        "stock": 0,
    },
    {
        "product_id": "P00107",
        "name": "ComfortWalk | Wide",
        "brand": "Ambler",
        "category": "Shoes",
        "price": 120.0,
    },
]


class GenerateRequest(BaseModel):
    prompt: str = Field(min_length=1, max_length=4000)
    session_id: str | None = None
    stream: bool = False


def usage(prompt: str, answer: str) -> dict[str, int]:
    """The tokens the fake reports for an answer: its prompt's words and its answer's."""
    return {"input_tokens": len(prompt.split()), "output_tokens": len(answer.split())}


def fake_shop_rag() -> FastAPI:
    app = FastAPI()
    sessions: dict[str, list[str]] = {}

    @app.get("/healthz")
    def healthz() -> dict[str, object]:
        return {"status": "ok", "collection": "myretail-products", "products": len(PRODUCTS)}

    @app.post("/generate")
    def generate(request: GenerateRequest) -> EventSourceResponse:
        session_id = request.session_id or uuid.uuid4().hex
        asked = sessions.setdefault(session_id, [])
        asked.append(request.prompt)
        answer = f"Answer {len(asked)} to: {request.prompt}"
        if len(asked) > 1:
            answer += f" (after: {asked[-2]})"

        async def events() -> AsyncIterator[dict[str, str]]:
            yield {"event": "sources", "data": json.dumps(PRODUCTS)}
            for word in answer.split(" "):
                yield {"event": "token", "data": word + " "}
            done = {"session_id": session_id, "usage": usage(request.prompt, answer)}
            yield {"event": "done", "data": json.dumps(done)}

        return EventSourceResponse(events())

    return app


@contextmanager
def serve(app: FastAPI, port: int) -> Iterator[str]:
    """Serves ``app`` on ``port`` in a thread; yields its base URL.

    On exit the server cancels what still runs instead of waiting for it: a Gradio client's
    heartbeat stream stays open until the server ends it, and the test is done with it.
    """
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=0,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
