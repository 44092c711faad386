"""The two prompts: rewriting a follow-up into a standalone search, and answering from the
retrieved products."""

from __future__ import annotations

from collections.abc import Sequence

from genai_common.conversation import FollowUpRewriter, Turn, to_messages
from langchain_core.messages import BaseMessage, HumanMessage

from shop_rag.history import StoredTurn
from shop_rag.query import key_terms
from shop_rag.store import Hit

SYSTEM_PROMPT = """You are MyRetail's shopping assistant. You help shoppers find products \
in MyRetail's catalog.
Each question comes after the catalog entries that match it best, inside <context> tags; \
each entry starts with [n] and its product id. Recommend products from those entries only, \
by name, with their price, and say why each fits. Use earlier turns of the conversation to \
understand follow-ups such as "which of those come in black?" or "sort them by price".
Answer in plain text without tags; use a short list or a table when the shopper asks for one \
or compares several products. Mention when a product is out of stock.
If no entry fits what the shopper asks for, say so and suggest relaxing a limit (price, size, \
colour); never invent products, prices or features."""

REWRITE_PROMPT = """You turn a shopper's latest message into a standalone product search.
Read the conversation and the latest message, then write one search query that can be \
understood without the conversation: keep every product type, feature, audience, colour, \
brand, size and price limit the shopper still wants, and let the latest message override \
earlier limits. Write sizes as "size 44" and prices as "under $120".
Do not answer the question. Reply with the search query only, on one line."""

# The chat model's rewrite, or offline the follow-up with the earlier questions' key terms
# (the KB assistant rewrites its follow-ups the same way).
REWRITER = FollowUpRewriter(REWRITE_PROMPT, key_terms, user="Shopper")


def context_block(hits: Sequence[Hit]) -> str:
    """The products as the prompt shows them: ``[n] product id``, then its text."""
    if not hits:
        return "<context>\nNo product in the catalog matches this request.\n</context>"
    blocks = [
        f"[{n}] {hit.product.product_id}\n{hit.product.text()}" for n, hit in enumerate(hits, 1)
    ]
    return "<context>\n" + "\n\n".join(blocks) + "\n</context>"


def _turns(history: Sequence[StoredTurn]) -> list[Turn]:
    return [Turn(t.role, t.content) for t in history]


def answer_messages(
    history: Sequence[StoredTurn], question: str, hits: Sequence[Hit]
) -> list[BaseMessage]:
    """The conversation, its last question preceded by the products retrieved for it.

    Earlier questions go without their products: each question is answered from its own
    retrieval, and the prompt stays small.
    """
    messages = to_messages([*_turns(history), Turn("user", question)], SYSTEM_PROMPT)
    messages[-1] = HumanMessage(content=f"{context_block(hits)}\n\n{question}")
    return messages
