"""The chat app's settings and system prompt."""

from __future__ import annotations

from genai_common.settings import PlatformSettings

SYSTEM_PROMPT = (
    "You are a helpful, friendly assistant. Answer concisely and accurately, use lists "
    "when they help, and say plainly when you do not know something."
)


class ChatSettings(PlatformSettings):
    """Environment: everything in PlatformSettings, plus ``CHAT_TITLE`` (default: named
    after whatever answers, so the offline stand-in is never presented as Claude)."""

    chat_title: str | None = None

    def title(self) -> str:
        if self.chat_title:
            return self.chat_title
        if self.chat_provider == "offline":
            return "Chat (offline stand-in, no model)"
        if self.chat_provider == "openai":
            return f"Chat with {self.openai_model}"
        return "Chat with Claude"
