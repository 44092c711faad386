"""The chatbot's settings and the Loyalty program tab's system prompt."""

from __future__ import annotations

from genai_common.settings import ModelOption, PlatformSettings
from pydantic import Field, HttpUrl

LOYALTY_SYSTEM_PROMPT = (
    "You are the MyElite loyalty-program assistant of MyRetail, an online retailer. Answer "
    "questions about MyElite: joining, earning and redeeming points, rewards, membership "
    "tiers and their benefits, and account status. Be brief and friendly. When you do not "
    "know a program rule, say so and suggest contacting MyRetail customer service instead "
    "of guessing. For product questions, point the shopper to the Shopping tab."
)


class MyRetailSettings(PlatformSettings):
    """Environment: everything in PlatformSettings, plus:

    ``SHOP_RAG_URL``  the shop_rag API the Shopping tab calls (required)
    ``SHOP_RAG_READ_TIMEOUT``  seconds to wait for each piece of a streamed answer
    ``MYRETAIL_CHAT_HOST`` / ``MYRETAIL_CHAT_PORT``  where the UI listens
    ``MYRETAIL_CHAT_CONCURRENCY``  answers streamed at once, across all shoppers

    The Loyalty program tab answers with the first model of the catalog (``CHAT_MODELS``, or
    the provider's default: the OpenAI-compatible server's ``OPENAI_MODEL``, e.g. the
    fine-tuned model on vLLM).
    """

    shop_rag_url: HttpUrl
    shop_rag_read_timeout: float = Field(default=60.0, gt=0, le=600, allow_inf_nan=False)
    # A container listens on its pod's address; local mode passes 127.0.0.1.
    myretail_chat_host: str = "0.0.0.0"  # noqa: S104
    myretail_chat_port: int = Field(default=7860, ge=1, le=65_535)
    # Answers wait on the network, not the CPU: threads are cheap, a shopper queued behind
    # another's answer is not.
    myretail_chat_concurrency: int = Field(default=16, ge=1, le=256)

    def loyalty_model(self) -> ModelOption:
        return self.catalog()[0]

    def title(self) -> str:
        """Named after what answers the Loyalty tab, so the stand-in never passes for a model."""
        if self.chat_provider == "offline":
            return "MyRetail chatbot (Loyalty program: offline stand-in, no model)"
        return f"MyRetail chatbot (Loyalty program: {self.loyalty_model().label})"
