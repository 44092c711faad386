"""Starting the assistant: the local embedding model starts loading with the process."""

from __future__ import annotations

from pathlib import Path

import pytest
from genai_common.embeddings import LocalMiniLMEmbeddings
from kb_assistant import __main__ as main


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    calls: list[int | None] = []
    monkeypatch.setattr(LocalMiniLMEmbeddings, "load", lambda self: calls.append(self.threads))
    return calls


def test_local_mode_loads_the_embedding_model_at_start(
    local_kb: Path, loads: list[int | None]
) -> None:
    loading = main.preload()
    assert loading is not None
    loading.join(timeout=10)
    assert loads == [1]


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
