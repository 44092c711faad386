"""The shop_rag client against a fake /generate: answers, refusals and broken streams."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from myretail_chat.shop_api import Done, ShopApi, ShopApiError, Sources, Token

from tests.apps.myretail_chat.conftest import FakeShop, answer, sse, streamed
from tests.apps.myretail_chat.fake_shop_rag import PRODUCTS
from tests.fakes.serving import free_port


def collect(api: ShopApi, prompt: str = "walking shoes", session_id: str | None = None) -> list:
    return list(api.generate(prompt, session_id))


def failure(api: ShopApi) -> tuple[list, str]:
    """The events that arrived before the call failed, and the failure's message."""
    events: list = []
    with pytest.raises(ShopApiError) as raised:
        for event in api.generate("walking shoes", None):
            events.append(event)
    return events, str(raised.value)


def test_an_answer_streams_sources_tokens_and_the_session(shop: FakeShop) -> None:
    shop.answer("Try the ", "TrailEase.", session_id="abc")
    events = collect(shop.api(), "walking shoes")
    assert isinstance(events[0], Sources)
    assert [p.product_id for p in events[0].products] == ["P00042", "P00107"]
    assert events[1:] == [Token("Try the "), Token("TrailEase."), Done("abc")]
    assert shop.requests == [{"prompt": "walking shoes", "stream": True}]


def test_a_follow_up_sends_the_session_id(shop: FakeShop) -> None:
    shop.answer("Sorted.")
    collect(shop.api(), "sort them by price", "abc")
    assert shop.requests[0]["session_id"] == "abc"


def test_tokens_split_over_lines_and_chunks_arrive_whole(shop: FakeShop) -> None:
    body = answer("| a | b |\n|---|---|", "  indented")
    shop.reply(lambda _: streamed(body[i : i + 7] for i in range(0, len(body), 7)))
    tokens = [e.text for e in collect(shop.api()) if isinstance(e, Token)]
    assert tokens == ["| a | b |\n|---|---|", "  indented"]


def test_unknown_events_and_pings_are_skipped(shop: FakeShop) -> None:
    body = b": ping\n\n" + sse(("progress", "50%")) + answer("ok")
    shop.reply(lambda _: streamed([body]))
    assert [type(e).__name__ for e in collect(shop.api())] == ["Sources", "Token", "Done"]


def test_an_error_event_is_the_message_shown(shop: FakeShop) -> None:
    body = sse(("sources", []), ("token", "Part"), ("error", {"message": "the model is busy"}))
    shop.reply(lambda _: streamed([body]))
    events, message = failure(shop.api())
    assert events == [Sources(()), Token("Part")]
    assert message == "The shopping service could not answer: the model is busy"


def test_a_stream_ending_without_done_is_reported_as_cut_off(shop: FakeShop) -> None:
    body = sse(("sources", PRODUCTS), ("token", "Half an ans")) + b"event: token\ndata: wer"
    shop.reply(lambda _: streamed([body]))
    events, message = failure(shop.api())
    assert events[-1] == Token("Half an ans")
    assert "cut off" in message


def test_a_connection_lost_mid_stream_is_reported_as_cut_off(shop: FakeShop) -> None:
    def broken() -> Iterator[bytes]:
        yield sse(("token", "Half"))
        raise httpx.RemoteProtocolError("peer closed connection")

    shop.reply(lambda _: streamed(broken()))
    events, message = failure(shop.api())
    assert events == [Token("Half")]
    assert "cut off" in message


def test_a_stall_mid_stream_is_reported_as_slow(shop: FakeShop) -> None:
    def stalled() -> Iterator[bytes]:
        yield sse(("token", "Half"))
        raise httpx.ReadTimeout("timed out")

    shop.reply(lambda _: streamed(stalled()))
    assert "did not answer in time" in failure(shop.api())[1]


@pytest.mark.parametrize(
    ("usage", "tokens"),
    [({"input_tokens": 12, "output_tokens": 30}, 42), ({"input_tokens": 0, "output_tokens": 5}, 5)],
)
def test_done_carries_the_tokens_the_answer_used(
    shop: FakeShop, usage: dict[str, int], tokens: int
) -> None:
    done = {"session_id": "abc", "usage": usage}
    shop.reply(lambda _: streamed([sse(("sources", []), ("done", done))]))
    assert collect(shop.api(), "walking shoes")[-1] == Done("abc", tokens)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ('[{"product_id": "P1"}]', "sources"),
        ("not json", "sources"),
        ('{"session": "x"}', "done"),
        ('{"session_id": 7}', "done"),
        ('{"session_id": "x", "usage": {"input_tokens": -1, "output_tokens": 2}}', "done"),
        ('{"session_id": "x", "usage": {"input_tokens": 3}}', "done"),
        ("[]", "error"),
    ],
)
def test_malformed_events_are_reported_not_raised_raw(shop: FakeShop, data: str, kind: str) -> None:
    shop.reply(lambda _: streamed([sse((kind, data))]))
    assert f"malformed '{kind}' event" in failure(shop.api())[1]


@pytest.mark.parametrize(
    ("status", "payload", "expected"),
    [
        (
            422,
            {
                "detail": [
                    {"loc": ["body", "prompt"], "msg": "String should have at most 4000 characters"}
                ]
            },
            "could not take this question: String should have at most 4000 characters",
        ),
        (400, {"detail": "prompt is empty"}, "could not take this question: prompt is empty"),
        (404, {"detail": "Not Found"}, "refused the request (HTTP 404): Not Found."),
        (403, None, "refused the request (HTTP 403)"),
        (503, {"detail": "Qdrant is unreachable"}, "failed (HTTP 503): Qdrant is unreachable"),
        (502, None, "failed (HTTP 502). Please try again in a moment"),
    ],
)
def test_4xx_and_5xx_are_explained(
    shop: FakeShop, status: int, payload: dict | None, expected: str
) -> None:
    if payload is None:
        shop.reply(lambda _: httpx.Response(status, text="<html>Bad gateway</html>"))
    else:
        shop.reply(lambda _: httpx.Response(status, json=payload))
    events, message = failure(shop.api())
    assert events == []
    assert expected in message


def test_a_json_answer_where_a_stream_was_asked_for_is_refused(shop: FakeShop) -> None:
    shop.reply(
        lambda _: httpx.Response(200, json={"answer": "hi", "sources": [], "session_id": "x"})
    )
    assert "unexpected format" in failure(shop.api())[1]


def test_a_service_that_is_down_is_reported_as_unreachable() -> None:
    api = ShopApi.connect(f"http://127.0.0.1:{free_port()}", read_timeout=5)
    try:
        assert "not reachable" in failure(api)[1]
    finally:
        api.close()


class _Stalling(BaseHTTPRequestHandler):
    """Starts an answer over real HTTP, then stalls or hangs up, as a failing server does. It
    stalls until the test is over, so that only the client's read timeout can end the wait, on
    a busy machine too."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.wfile.write(sse(("token", "Half")))
        self.wfile.flush()
        if self.server.hang_up:  # type: ignore[attr-defined]
            return
        self.server.over.wait(10)  # type: ignore[attr-defined]

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(
    ("hang_up", "expected"), [(False, "did not answer in time"), (True, "cut off")]
)
def test_real_connections_that_stall_or_close_mid_answer(hang_up: bool, expected: str) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stalling)
    server.hang_up = hang_up  # type: ignore[attr-defined]
    server.over = threading.Event()  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    api = ShopApi.connect(f"http://127.0.0.1:{server.server_address[1]}", read_timeout=0.5)
    try:
        events, message = failure(api)
        assert events == [Token("Half")]
        assert expected in message
    finally:
        server.over.set()  # type: ignore[attr-defined]
        api.close()
        server.shutdown()
        server.server_close()
