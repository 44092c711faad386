"""Starting the assistant: the local embedding model loads in the background once the page is
served."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from genai_common.embeddings import LocalMiniLMEmbeddings
from genai_common.serve import page_serving
from kb_assistant import __main__ as main


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    calls: list[int | None] = []
    monkeypatch.setattr(LocalMiniLMEmbeddings, "load", lambda self: calls.append(self.threads))
    return calls


def test_local_mode_loads_the_embedding_model_once_the_page_is_served(
    local_kb: Path, loads: list[int | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = threading.Semaphore(0)
    serving = threading.Event()

    def page_serving() -> bool:
        asked.release()
        return serving.is_set()

    monkeypatch.setattr(main, "page_serving", page_serving)
    loading = main.preload()
    assert loading is not None
    for _ in range(2):  # asked, told not yet, asked again: nothing loaded meanwhile
        assert asked.acquire(timeout=10)
    assert loads == []
    serving.set()
    loading.join(timeout=10)
    assert loads == [1]


@pytest.mark.parametrize(
    ("imported", "exists", "state", "serving"),
    [
        (False, False, None, False),  # Streamlit not imported yet: not imported to ask
        (True, False, None, False),  # imported, no runtime yet
        (True, True, "INITIAL", False),  # the runtime exists, its server does not listen yet
        (True, True, "NO_SESSIONS_CONNECTED", True),  # /_stcore/health answers 200 from here
        (True, True, "ONE_OR_MORE_SESSIONS_CONNECTED", True),
    ],
)
def test_the_page_is_served_once_streamlits_runtime_has_started(
    monkeypatch: pytest.MonkeyPatch, imported: bool, exists: bool, state: str | None, serving: bool
) -> None:
    import streamlit.runtime
    from streamlit.runtime import RuntimeState

    if not imported:
        monkeypatch.delitem(sys.modules, "streamlit.runtime")
    monkeypatch.setattr(streamlit.runtime, "exists", lambda: exists)
    monkeypatch.setattr(
        streamlit.runtime,
        "get_instance",
        lambda: SimpleNamespace(state=RuntimeState[state] if state else None),
    )
    assert page_serving() is serving


@pytest.mark.parametrize(
    "env",
    [
        {"KNOWLEDGE_BASE_ID": "KBID123456"},  # Bedrock embeds the question itself
        {"KB_RETRIEVER": "local", "QDRANT_PATH": "/tmp/q", "KB_SEARCH_TYPE": "keyword"},
        {"KB_RETRIEVER": "local"},  # invalid: the page says why, the process still starts
    ],
)
def test_nothing_is_loaded_when_no_local_model_answers(
    monkeypatch: pytest.MonkeyPatch, loads: list[int | None], env: dict[str, str]
) -> None:
    monkeypatch.setenv("EMBEDDINGS_PROVIDER", "local")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main.preload() is None and loads == []
