"""``genai-kb-assistant`` / ``python -m kb_assistant``: serve the assistant with Streamlit."""

from __future__ import annotations

import threading
from pathlib import Path

from genai_common.background import start_in_background
from genai_common.serve import serve_page
from genai_common.settings import SettingsError, load_settings

from kb_assistant.settings import KbSettings


def preload() -> threading.Thread | None:
    """Start loading the local embedding model in the background, so that it is ready before
    the first visitor arrives (the page waits for the same load, with a spinner, if not)."""
    try:
        settings = load_settings(KbSettings)
    except SettingsError:
        return None  # the page shows what is wrong
    if (
        settings.kb_retriever != "local"
        or settings.embeddings_provider != "local"
        or settings.kb_search_type == "keyword"
    ):
        return None
    from genai_common.embeddings import LocalMiniLMEmbeddings

    return start_in_background(
        LocalMiniLMEmbeddings(settings.embeddings_threads).load, "preload-embeddings"
    )


def run() -> None:
    preload()
    serve_page(Path(__file__).with_name("page.py"))


if __name__ == "__main__":
    run()
