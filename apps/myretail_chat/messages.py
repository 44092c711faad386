"""The chat bubbles both tabs show, in Gradio's messages format."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from genai_common.conversation import Turn

from myretail_chat.shop_api import Product

Message = dict[str, Any]

# A notice is shown as the assistant's bubble, marked so it never reads as an answer.
NOTICE_MARK = "⚠️ "


def user(text: str) -> Message:
    return {"role": "user", "content": text}


def answer(text: str) -> Message:
    return {"role": "assistant", "content": text}


def notice(text: str) -> Message:
    return {"role": "assistant", "content": NOTICE_MARK + text}


def sources(products: Iterable[Product]) -> Message:
    """The products an answer drew on, as a table in a collapsible block under it: what a
    shopper checks against the question (colour, size, price, stock)."""
    rows = [
        f"| {_cell(p.product_id)} | {_cell(p.name)} | {_cell(', '.join(p.colors))} "
        f"| {_cell(', '.join(p.sizes))} | ${p.price:,.2f} | {_stock(p.stock)} |"
        for p in products
    ]
    table = "\n".join(
        [
            "| Product id | Name | Colours | Sizes | Price | In stock |",
            "|---|---|---|---|---|---|",
            *rows,
        ]
    )
    noun = "product" if len(rows) == 1 else "products"
    return {
        "role": "assistant",
        "content": table,
        "metadata": {"title": f"Sources: {len(rows)} {noun}", "status": "done"},
    }


def from_turns(turns: Iterable[Turn]) -> list[Message]:
    return [
        notice(t.content) if t.role == "notice" else {"role": t.role, "content": t.content}
        for t in turns
    ]


def _stock(stock: int | None) -> str:
    if stock is None:
        return ""
    return f"{stock:,}" if stock else "out of stock"


def _cell(text: str) -> str:
    """Text that stays inside its table cell: no pipes or line breaks of its own."""
    return " ".join(text.split()).replace("|", "\\|")
