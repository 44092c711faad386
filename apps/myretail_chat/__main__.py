"""``genai-myretail-chat`` / ``python -m myretail_chat``: serve the chatbot with uvicorn."""

from __future__ import annotations

import sys

import uvicorn
from genai_common.settings import SettingsError, load_settings

from myretail_chat.app import create_app
from myretail_chat.settings import MyRetailSettings


def run() -> None:
    try:
        settings = load_settings(MyRetailSettings)
    except SettingsError as error:
        sys.exit(str(error))
    uvicorn.run(
        create_app(settings),
        host=settings.myretail_chat_host,
        port=settings.myretail_chat_port,
        # The UI holds a connection open per browser tab; a rollout must not wait on them.
        timeout_graceful_shutdown=5,
    )


if __name__ == "__main__":
    run()
