"""The chat app's settings: the shared platform settings plus its page title."""

from __future__ import annotations

from genai_common.settings import PlatformSettings


class ChatSettings(PlatformSettings):
    """Environment: everything in PlatformSettings, plus ``CHAT_TITLE``."""

    chat_title: str = "Chat with Claude"
