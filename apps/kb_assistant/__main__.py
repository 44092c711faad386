"""``genai-kb-assistant`` / ``python -m kb_assistant``: serve the assistant with Streamlit."""

from __future__ import annotations

import threading
from pathlib import Path

from genai_common.background import start_in_background
from genai_common.serve import page_serving, serve_page
from genai_common.settings import SettingsError, load_settings

from kb_assistant.settings import KbSettings


def preload() -> threading.Thread | None:
    """Load the local embedding model in the background once the page is served, so that it is
    ready before the first visitor asks (the page waits for the same load, with a spinner, if
    not)."""
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
        LocalMiniLMEmbeddings(settings.embeddings_threads).load,
        "preload-embeddings",
        after=page_serving,
    )


def run() -> None:
    preload()
    serve_page(Path(__file__).with_name("page.py"))


if __name__ == "__main__":
    run()
