"""Helpers for the chatbot's tests: a shop_rag answering from an httpx MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator

import httpx
import pytest
from myretail_chat.shop_api import ShopApi

from tests.apps.myretail_chat.fake_shop_rag import PRODUCTS

Handler = Callable[[httpx.Request], httpx.Response]


def sse(*events: tuple[str, object]) -> bytes:
    """A text/event-stream body; non-string data is sent as JSON."""
    out = ""
    for name, data in events:
        text = data if isinstance(data, str) else json.dumps(data)
        out += f"event: {name}\n" + "".join(f"data: {line}\n" for line in text.split("\n")) + "\n"
    return out.encode()


def answer(*tokens: str, session_id: str = "s-1", products: object = PRODUCTS) -> bytes:
    """A complete answer: sources, tokens, done."""
    return sse(
        ("sources", products),
        *(("token", t) for t in tokens),
        ("done", {"session_id": session_id}),
    )


def streamed(chunks: Iterable[bytes], status: int = 200) -> httpx.Response:
    """An event-stream response sent piece by piece (a generator may raise mid-way)."""
    return httpx.Response(
        status, headers={"content-type": "text/event-stream"}, content=iter(chunks)
    )


class FakeShop:
    """Queued responses for POST /generate; records each request's JSON body."""

    def __init__(self) -> None:
        self.replies: list[Handler] = []
        self.requests: list[dict[str, object]] = []

    def reply(self, handler: Handler) -> None:
        self.replies.append(handler)

    def answer(self, *tokens: str, session_id: str = "s-1") -> None:
        body = answer(*tokens, session_id=session_id)
        self.reply(lambda _: streamed([body]))

    def _handle(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/generate" and request.method == "POST"
        self.requests.append(json.loads(request.content))
        assert self.replies, "unexpected call to shop_rag"
        return self.replies.pop(0)(request)

    def api(self) -> ShopApi:
        transport = httpx.MockTransport(self._handle)
        return ShopApi(httpx.Client(base_url="http://shop-rag:8000", transport=transport))


@pytest.fixture
def shop() -> Iterator[FakeShop]:
    fake = FakeShop()
    yield fake
    assert not fake.replies, "queued shop_rag replies were not used"
