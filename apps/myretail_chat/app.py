"""The Gradio UI, mounted on a FastAPI app that also answers the health check."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any, Literal

import gradio as gr
from fastapi import FastAPI
from genai_common.conversation import MAX_PROMPT_CHARS as LOYALTY_MAX_PROMPT_CHARS
from genai_common.metering import Usage
from genai_common.metering.langchain import for_session

from myretail_chat import loyalty, shopping
from myretail_chat.loyalty_model import LoyaltyModel
from myretail_chat.settings import MyRetailSettings
from myretail_chat.shop_api import MAX_PROMPT_CHARS as SHOP_MAX_PROMPT_CHARS
from myretail_chat.shop_api import ShopApi

SHOPPING_EXAMPLE = "Suggest walking shoes for a 60-year-old man, as a table."
LOYALTY_EXAMPLE = "How do I earn MyElite points?"
# How often an open Shopping tab asks shop_rag how far its catalog load has got (until done).
CATALOG_POLL_SECONDS = 2.0
# No "share" (it posts to Hugging Face); the chat's own clear button starts a new conversation.
CHAT_BUTTONS: list[Literal["share", "copy", "copy_all"] | gr.Button] = ["copy", "copy_all"]


def tokens_line(total: int) -> str:
    """A tab's count of the model tokens this browser session has used in it."""
    return f"Tokens used in this session: {total:,}"


def build_blocks(settings: MyRetailSettings, api: ShopApi, model: LoyaltyModel) -> gr.Blocks:
    """Two tabs, each a chat with its own conversation per browser session."""

    def shop(
        prompt: str, session: shopping.ShoppingSession, used: int
    ) -> Iterator[tuple[Any, ...]]:
        """A shopping reply, its tokens (as shop_rag reports them) added to the tab's count."""
        spent: list[int] = []
        for update in shopping.reply(api, prompt, session, spent.append):
            total = used + sum(spent)
            yield (*update, total, tokens_line(total))

    def loyal(
        prompt: str, turns: loyalty.Turns, used: int, request: gr.Request
    ) -> Iterator[tuple[Any, ...]]:
        """A loyalty reply, metered for this browser session and added to its token count."""
        spent: list[Usage] = []

        def pick() -> tuple[Any, str]:
            chosen, model_id = model.current()
            return for_session(chosen, request.session_hash or "anonymous", spent.append), model_id

        for update in loyalty.reply_with(pick, prompt, turns):
            total = used + sum(usage.total for usage in spent)
            yield (*update, total, tokens_line(total))

    with gr.Blocks(title=settings.title(), analytics_enabled=False) as blocks:
        gr.Markdown(f"# {settings.title()}")
        with gr.Tab("Shopping"):
            catalog_line = gr.Markdown()
            catalog_tick = gr.Timer(CATALOG_POLL_SECONDS)
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
            shop_used = gr.State(0)
            shop_tokens = gr.Markdown(tokens_line(0), elem_id="shopping-tokens")
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
            loyalty_used = gr.State(0)
            loyalty_tokens = gr.Markdown(tokens_line(0), elem_id="loyalty-tokens")

        def catalog_status() -> tuple[str, gr.Timer]:
            line, again = shopping.catalog_notice(api)
            return line, gr.Timer(active=again)

        catalog_tick.tick(
            catalog_status, None, [catalog_line, catalog_tick], show_progress="hidden"
        )
        shop_prompt.submit(
            shop,
            [shop_prompt, shop_session, shop_used],
            [shop_chat, shop_session, shop_prompt, shop_used, shop_tokens],
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
            [loyalty_prompt, loyalty_turns, loyalty_used],
            [loyalty_chat, loyalty_turns, loyalty_prompt, loyalty_used, loyalty_tokens],
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
