"""The Shopping tab: questions go to shop_rag, which keeps the history under a session id."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from myretail_chat import messages
from myretail_chat.messages import Message
from myretail_chat.shop_api import MAX_PROMPT_CHARS, Done, Product, ShopApi, ShopApiError, Sources

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShoppingSession:
    """One browser session's conversation: shop_rag's session id and what the chat shows."""

    session_id: str | None = None
    shown: tuple[Message, ...] = ()


# What a reply updates: the chat, the session, and the prompt box (emptied once sent).
Update = tuple[list[Message], ShoppingSession, str]


def reply(
    api: ShopApi,
    prompt: str,
    session: ShoppingSession,
    on_tokens: Callable[[int], None] = lambda _: None,
) -> Iterator[Update]:
    """Send ``prompt`` and stream the answer, then the products it drew on; ``on_tokens``
    hears the model tokens the answer used (the tab's session count).

    A failure keeps whatever part of the answer arrived and adds a notice; the session id
    is kept, so the next question still continues the conversation.
    """
    if not prompt.strip():
        yield list(session.shown), session, prompt
        return
    if len(prompt) > MAX_PROMPT_CHARS:
        shown = (*session.shown, messages.notice(_too_long(prompt)))
        yield list(shown), replace(session, shown=shown), prompt
        return
    if (position := _unsendable(prompt)) is not None:
        shown = (*session.shown, messages.notice(_half_a_character(prompt, position)))
        yield list(shown), replace(session, shown=shown), prompt
        return
    asked = (*session.shown, messages.user(prompt.strip()))
    yield list(asked), replace(session, shown=asked), ""

    text, products, session_id, problem = "", (), session.session_id, None
    try:
        for event in api.generate(prompt.strip(), session.session_id):
            if isinstance(event, Sources):
                products = event.products
            elif isinstance(event, Done):
                session_id = event.session_id
                on_tokens(event.tokens)
            else:
                text += event.text
                yield [*asked, messages.answer(text)], replace(session, shown=asked), ""
    except ShopApiError as error:
        log.warning("shop_rag call failed: %s", error)
        problem = str(error)
    shown = asked + _outcome(text, products, problem)
    yield list(shown), ShoppingSession(session_id, shown), ""


def catalog_notice(api: ShopApi) -> tuple[str, bool]:
    """The Shopping tab's status line while shop_rag loads its catalog, and whether to ask
    again: searches meanwhile answer from the products loaded so far."""
    catalog = api.catalog()
    if catalog is None or catalog.state != "loading":
        # Unreachable, or not loading: the answers say so themselves. Asked again until a
        # load is seen to end or the store holds products (a load may not have begun yet).
        waiting = catalog is None or (catalog.state == "none" and not catalog.products)
        return "", waiting
    return (
        f"Catalog loading: {catalog.done:,} of {catalog.total:,} products. "
        "Answers come from the products loaded so far."
    ), True


def reset() -> Update:
    """A new conversation: shop_rag starts a new session at the next question."""
    return [], ShoppingSession(), ""


def _outcome(text: str, products: tuple[Product, ...], problem: str | None) -> tuple[Message, ...]:
    shown: list[Message] = []
    if text:
        shown.append(messages.answer(text))
        if products:
            shown.append(messages.sources(products))
    if problem:
        shown.append(messages.notice(problem))
    elif not text:
        shown.append(
            messages.notice("The shopping service sent an empty answer. Please ask again.")
        )
    return tuple(shown)


def _unsendable(prompt: str) -> int | None:
    """Where ``prompt`` holds a lone surrogate (half of an emoji's UTF-16 pair, from a broken
    paste), which no UTF-8 request can carry; None when it holds none."""
    try:
        prompt.encode()
    except UnicodeEncodeError as error:
        return error.start
    return None


def _half_a_character(prompt: str, position: int) -> str:
    return (
        f"The message holds half of a character (U+{ord(prompt[position]):04X}, at position "
        f"{position + 1:,}), usually from a pasted emoji, so it cannot be sent. "
        "Please retype that part of the message."
    )


def _too_long(prompt: str) -> str:
    return (
        f"The message is too long ({len(prompt):,} characters; "
        f"the limit is {MAX_PROMPT_CHARS:,}). Please shorten it."
    )
