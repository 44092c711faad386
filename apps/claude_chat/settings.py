"""The chat app's settings and system prompt."""

from __future__ import annotations

from genai_common.settings import PlatformSettings

SYSTEM_PROMPT = (
    "You are a helpful, friendly assistant. Answer concisely and accurately, use lists "
    "when they help, and say plainly when you do not know something."
)


class ChatSettings(PlatformSettings):
    """Environment: everything in PlatformSettings, plus ``CHAT_TITLE``."""

    chat_title: str = "Chat with Claude"
