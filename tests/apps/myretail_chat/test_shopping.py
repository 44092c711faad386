"""The Shopping tab's event handlers, called as Gradio calls them."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
from myretail_chat import shopping
from myretail_chat.shop_api import MAX_PROMPT_CHARS
from myretail_chat.shopping import ShoppingSession

from tests.apps.myretail_chat.conftest import FakeShop, sse, streamed


def last(updates: Iterator[shopping.Update]) -> tuple[list[shopping.Update], shopping.Update]:
    every = list(updates)
    return every, every[-1]


def test_the_answer_streams_then_its_sources_are_listed_under_it(shop: FakeShop) -> None:
    shop.answer("Try ", "the TrailEase.", session_id="abc")
    updates, (chat, session, box) = last(
        shopping.reply(shop.api(), "  walking shoes  ", ShoppingSession())
    )
    # The question appears and the box empties before any answer arrives.
    assert updates[0] == ([{"role": "user", "content": "walking shoes"}], updates[0][1], "")
    assert [u[0][-1]["content"] for u in updates[1:3]] == ["Try ", "Try the TrailEase."]
    assert box == "" and session.session_id == "abc"
    assert [m["role"] for m in chat] == ["user", "assistant", "assistant"]
    assert chat[1]["content"] == "Try the TrailEase."
    assert chat[2]["metadata"]["title"] == "Sources: 2 products"
    table = chat[2]["content"]
    # What a shopper checks against the question: colours, sizes, price and stock.
    assert "| P00042 | TrailEase Walking Shoe | black, navy | 42, 43 | $89.50 | out of stock |" in (
        table
    )
    # A pipe in a name must not open a new column; an older shop_rag sends no colours or sizes.
    assert "| P00107 | ComfortWalk \\| Wide |  |  | $120.00 |  |" in table
    assert session.shown == tuple(chat)
    assert shop.requests == [{"prompt": "walking shoes", "stream": True}]


def test_a_follow_up_continues_the_session_and_the_chat(shop: FakeShop) -> None:
    api = shop.api()
    shop.answer("First.", session_id="abc")
    shop.answer("Sorted.", session_id="abc")
    _, (_, session, _) = last(shopping.reply(api, "walking shoes", ShoppingSession()))
    _, (chat, session, _) = last(shopping.reply(api, "sort them by price", session))
    assert shop.requests[1] == {"prompt": "sort them by price", "stream": True, "session_id": "abc"}
    assert [m["content"] for m in chat if "metadata" not in m] == [
        "walking shoes",
        "First.",
        "sort them by price",
        "Sorted.",
    ]


def test_a_failure_keeps_the_partial_answer_and_the_session_and_says_why(
    shop: FakeShop,
) -> None:
    body = sse(("sources", []), ("token", "Half"), ("error", {"message": "the model is busy"}))
    shop.reply(lambda _: streamed([body]))
    _, (chat, session, _) = last(
        shopping.reply(shop.api(), "and in blue?", ShoppingSession("abc", ()))
    )
    assert [m["content"] for m in chat] == [
        "and in blue?",
        "Half",
        "⚠️ The shopping service could not answer: the model is busy",
    ]
    assert session.session_id == "abc"


def test_a_service_that_is_down_gets_a_notice_and_the_next_question_works(
    shop: FakeShop,
) -> None:
    api = shop.api()

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    shop.reply(down)
    _, (chat, session, _) = last(shopping.reply(api, "walking shoes", ShoppingSession()))
    assert chat[-1]["content"].startswith("⚠️ The shopping service is not reachable")
    assert session.session_id is None

    shop.answer("Here you go.", session_id="new")
    _, (chat, session, _) = last(shopping.reply(api, "walking shoes", session))
    assert [m["role"] for m in chat] == ["user", "assistant", "user", "assistant", "assistant"]
    assert chat[3]["content"] == "Here you go." and session.session_id == "new"


def test_an_answer_without_text_is_a_notice_not_an_empty_bubble(shop: FakeShop) -> None:
    shop.reply(lambda _: streamed([sse(("sources", []), ("done", {"session_id": "abc"}))]))
    _, (chat, _, _) = last(shopping.reply(shop.api(), "walking shoes", ShoppingSession()))
    assert chat[-1]["content"] == "⚠️ The shopping service sent an empty answer. Please ask again."


def test_an_empty_prompt_changes_nothing_and_sends_nothing(shop: FakeShop) -> None:
    session = ShoppingSession("abc", ({"role": "user", "content": "hi"},))
    assert list(shopping.reply(shop.api(), "   ", session)) == [
        ([{"role": "user", "content": "hi"}], session, "   ")
    ]


def test_a_prompt_over_the_limit_is_kept_for_editing_with_a_notice(shop: FakeShop) -> None:
    prompt = "x" * (MAX_PROMPT_CHARS + 1)
    ((chat, session, box),) = shopping.reply(shop.api(), prompt, ShoppingSession())
    assert box == prompt
    assert chat[-1]["content"].startswith("⚠️ The message is too long (4,001 characters")
    assert session.session_id is None


def test_reset_starts_a_new_session() -> None:
    assert shopping.reset() == ([], ShoppingSession(), "")


def test_a_lone_surrogate_is_named_and_nothing_is_sent(shop: FakeShop) -> None:
    prompt = "boots \ud83d for hiking"  # half of an emoji's UTF-16 pair
    session = ShoppingSession(session_id="abc")
    _, (chat, kept, box) = last(shopping.reply(shop.api(), prompt, session))
    assert box == prompt and kept.session_id == "abc"
    assert "The message holds half of a character (U+D83D, at" in chat[-1]["content"]
    assert "position 7" in chat[-1]["content"]
    assert shop.requests == []
