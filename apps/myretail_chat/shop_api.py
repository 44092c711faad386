"""The shop_rag client: ``POST /generate`` streamed as server-sent events.

Every failure, from a refused connection to a malformed event, becomes a
:class:`ShopApiError` whose message a shopper can read; the caller never sees httpx.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
from pydantic import BaseModel, NonNegativeInt, TypeAdapter, ValidationError

from myretail_chat.sse import ServerSentEvent, SseParser

# shop_rag's bound on a prompt (POST /generate refuses longer ones with a 422).
MAX_PROMPT_CHARS = 4_000


class CatalogState(BaseModel):
    """shop_rag's latest catalog load (state none, loading, loaded or failed) and the
    products its store holds."""

    state: str
    done: int
    total: int
    products: int = 0


# A status line is not worth a wait: it is asked again at the next tick.
_STATUS_TIMEOUT = 2.0


class Product(BaseModel):
    """A product the answer was drawn from, as shop_rag lists it."""

    product_id: str
    name: str
    brand: str
    category: str
    price: float
    # Absent from an older shop_rag's sources.
    colors: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    stock: int | None = None


@dataclass(frozen=True)
class Sources:
    products: tuple[Product, ...]


@dataclass(frozen=True)
class Token:
    text: str


@dataclass(frozen=True)
class Done:
    session_id: str
    # The model tokens the answer used (shop_rag's usage: input plus output).
    tokens: int = 0


ShopEvent = Sources | Token | Done


class _Usage(BaseModel):
    input_tokens: NonNegativeInt
    output_tokens: NonNegativeInt


_PRODUCTS = TypeAdapter(list[Product])
# Refusals that are about the question itself (empty, too long), not about the service.
_BAD_QUESTION = {400, 413, 422}
_TOO_SLOW = (
    "The shopping service did not answer in time. Please try again; the conversation is kept."
)
_CUT_OFF = (
    "The answer was cut off: the shopping service stopped before finishing. Please ask again."
)


class ShopApiError(RuntimeError):
    """The answer could not be obtained; ``str()`` is the message for the shopper."""


class ShopApi:
    """Calls one shop_rag service; thread-safe, so one instance serves every browser session."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    @classmethod
    def connect(cls, base_url: str, read_timeout: float) -> ShopApi:
        """A client for ``base_url``.

        ``read_timeout`` bounds the wait for each piece of the stream, not the whole answer.
        One retry of a refused connection rides over a shop_rag pod being replaced.
        """
        timeout = httpx.Timeout(read_timeout, connect=5.0)
        transport = httpx.HTTPTransport(retries=1)
        return cls(httpx.Client(base_url=base_url, timeout=timeout, transport=transport))

    def close(self) -> None:
        self._client.close()

    def catalog(self) -> CatalogState | None:
        """The catalog load shop_rag reports on ``/healthz``; None when it cannot tell."""
        try:
            health = self._client.get("/healthz", timeout=_STATUS_TIMEOUT).json()
            return CatalogState.model_validate(
                {**health["catalog"], "products": health.get("products", 0)}
            )
        except (httpx.HTTPError, ValueError, KeyError, TypeError, ValidationError):
            return None

    def generate(self, prompt: str, session_id: str | None) -> Iterator[ShopEvent]:
        """The answer to ``prompt`` as it streams: sources, tokens, then the session id.

        Raises :class:`ShopApiError` when shop_rag cannot be reached, answers with an error,
        sends something that is not the event stream it promised, or stops before ``done``.
        """
        body: dict[str, object] = {"prompt": prompt, "stream": True}
        if session_id:
            body["session_id"] = session_id
        try:
            with self._client.stream(
                "POST", "/generate", json=body, headers={"Accept": "text/event-stream"}
            ) as response:
                _check(response)
                try:
                    yield from _events(response)
                except httpx.TimeoutException:
                    raise ShopApiError(_TOO_SLOW) from None
                except httpx.TransportError:
                    raise ShopApiError(_CUT_OFF) from None
        except httpx.TimeoutException:
            raise ShopApiError(_TOO_SLOW) from None
        except httpx.TransportError:
            # Connection refused or reset before an answer: the service is down or restarting.
            raise ShopApiError(
                "The shopping service is not reachable right now. "
                "Please try again in a moment; the conversation is kept."
            ) from None


def _check(response: httpx.Response) -> None:
    """Raise unless ``response`` is the event stream the contract promises."""
    if response.status_code >= 400:
        response.read()
        raise ShopApiError(_refusal(response))
    if not response.headers.get("content-type", "").startswith("text/event-stream"):
        raise ShopApiError(
            "The shopping service answered in an unexpected format. "
            "Please try again; the conversation is kept."
        )


def _events(response: httpx.Response) -> Iterator[ShopEvent]:
    for event in _server_events(response):
        shop_event = _interpret(event)
        if shop_event is not None:
            yield shop_event
            if isinstance(shop_event, Done):
                return
    raise ShopApiError(
        "The answer was cut off: the shopping service stopped before finishing. Please ask again."
    )


def _server_events(response: httpx.Response) -> Iterator[ServerSentEvent]:
    parser = SseParser()
    for chunk in response.iter_bytes():
        yield from parser.feed(chunk)
    yield from parser.close()


def _interpret(event: ServerSentEvent) -> ShopEvent | None:
    """The event as the contract defines it; unknown types are skipped (a newer server)."""
    try:
        if event.event == "token":
            return Token(event.data)
        if event.event == "sources":
            return Sources(tuple(_PRODUCTS.validate_json(event.data)))
        if event.event == "done":
            done = json.loads(event.data)
            session_id = done["session_id"]
            if not isinstance(session_id, str) or not session_id:
                raise TypeError("session_id is not a non-empty string")
            if "usage" not in done:  # a shop_rag that does not report its tokens yet
                return Done(session_id)
            usage = _Usage.model_validate(done["usage"])
            return Done(session_id, usage.input_tokens + usage.output_tokens)
        if event.event == "error":
            message = json.loads(event.data).get("message") or "no reason given"
            raise ShopApiError(f"The shopping service could not answer: {message}")
    except (ValidationError, ValueError, TypeError, KeyError, AttributeError):
        raise ShopApiError(
            f"The shopping service sent a malformed {event.event!r} event. "
            "Please try again; the conversation is kept."
        ) from None
    return None


def _refusal(response: httpx.Response) -> str:
    """The shopper's message for a 4xx or 5xx, with FastAPI's ``detail`` when it has one."""
    detail = _detail(response)
    status = response.status_code
    if status in _BAD_QUESTION:
        return f"The shopping service could not take this question: {detail or 'invalid request'}"
    suffix = f": {detail}" if detail else ""
    if status >= 500:
        return (
            f"The shopping service failed (HTTP {status}){suffix}. "
            "Please try again in a moment; the conversation is kept."
        )
    # Not found, forbidden...: the chatbot is pointed at the wrong place, not the shopper's fault.
    return f"The shopping service refused the request (HTTP {status}){suffix}."


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        return ""
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):  # FastAPI's validation errors: [{"loc": [...], "msg": ...}]
        return "; ".join(
            str(item.get("msg", item)) if isinstance(item, dict) else str(item) for item in detail
        )
    return ""
