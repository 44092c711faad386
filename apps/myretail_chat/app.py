"""The Gradio UI, mounted on a FastAPI app that also answers the health check."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Literal

import gradio as gr
from fastapi import FastAPI
from genai_common.conversation import MAX_PROMPT_CHARS as LOYALTY_MAX_PROMPT_CHARS

from myretail_chat import loyalty, shopping
from myretail_chat.loyalty_model import LoyaltyModel
from myretail_chat.settings import MyRetailSettings
from myretail_chat.shop_api import MAX_PROMPT_CHARS as SHOP_MAX_PROMPT_CHARS
from myretail_chat.shop_api import ShopApi

SHOPPING_EXAMPLE = "Suggest walking shoes for a 60-year-old man, as a table."
LOYALTY_EXAMPLE = "How do I earn MyElite points?"
# No "share" (it posts to Hugging Face); the chat's own clear button starts a new conversation.
CHAT_BUTTONS: list[Literal["share", "copy", "copy_all"] | gr.Button] = ["copy", "copy_all"]


def build_blocks(settings: MyRetailSettings, api: ShopApi, model: LoyaltyModel) -> gr.Blocks:
    """Two tabs, each a chat with its own conversation per browser session."""

    def shop(prompt: str, session: shopping.ShoppingSession) -> Iterator[shopping.Update]:
        yield from shopping.reply(api, prompt, session)

    def loyal(prompt: str, turns: loyalty.Turns) -> Iterator[loyalty.Update]:
        yield from loyalty.reply_with(model.current, prompt, turns)

    with gr.Blocks(title=settings.title(), analytics_enabled=False) as blocks:
        gr.Markdown(f"# {settings.title()}")
        with gr.Tab("Shopping"):
            shop_chat = gr.Chatbot(
                label="Shopping assistant",
                height=520,
                placeholder="Ask about our products.",
                buttons=CHAT_BUTTONS,
            )
            shop_prompt = gr.Textbox(
                placeholder=f"e.g. {SHOPPING_EXAMPLE}",
                show_label=False,
                max_length=SHOP_MAX_PROMPT_CHARS,
                submit_btn="Send",
            )
            shop_new = gr.Button("New conversation", variant="secondary")
            shop_session = gr.State(shopping.ShoppingSession())
        with gr.Tab("Loyalty program"):
            loyalty_chat = gr.Chatbot(
                label="MyElite loyalty assistant",
                height=520,
                placeholder="Ask about MyElite points, rewards and tiers.",
                buttons=CHAT_BUTTONS,
            )
            loyalty_prompt = gr.Textbox(
                placeholder=f"e.g. {LOYALTY_EXAMPLE}",
                show_label=False,
                max_length=LOYALTY_MAX_PROMPT_CHARS,
                submit_btn="Send",
            )
            loyalty_new = gr.Button("New conversation", variant="secondary")
            loyalty_turns = gr.State(())

        shop_prompt.submit(
            shop,
            [shop_prompt, shop_session],
            [shop_chat, shop_session, shop_prompt],
            api_name="shopping",
        )
        gr.on(
            [shop_new.click, shop_chat.clear],
            shopping.reset,
            None,
            [shop_chat, shop_session, shop_prompt],
            api_name="new_shopping",
        )
        loyalty_prompt.submit(
            loyal,
            [loyalty_prompt, loyalty_turns],
            [loyalty_chat, loyalty_turns, loyalty_prompt],
            api_name="loyalty",
        )
        gr.on(
            [loyalty_new.click, loyalty_chat.clear],
            loyalty.reset,
            None,
            [loyalty_chat, loyalty_turns, loyalty_prompt],
            api_name="new_loyalty",
        )
    return blocks


def create_app(settings: MyRetailSettings) -> FastAPI:
    """The chatbot's web app: ``/healthz``, and the UI at ``/``."""
    api = ShopApi.connect(str(settings.shop_rag_url), settings.shop_rag_read_timeout)
    model = LoyaltyModel(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        api.close()

    app = FastAPI(title="MyRetail chatbot", lifespan=lifespan, docs_url=None, redoc_url=None)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        # This process only: the UI keeps serving, and explains, while shop_rag is down.
        return {"status": "ok"}

    blocks = build_blocks(settings, api, model).queue(
        default_concurrency_limit=settings.myretail_chat_concurrency
    )
    # Shoppers are not developers: no "Use via API" or "Built with Gradio" links.
    return gr.mount_gradio_app(app, blocks, path="/", footer_links=[])
