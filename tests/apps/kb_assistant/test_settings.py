"""The KB assistant refuses inconsistent settings with a message naming what to set."""

from __future__ import annotations

import pytest
from genai_common.settings import SettingsError, load_settings
from kb_assistant.settings import KbSettings


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "KB_RETRIEVER=bedrock needs KNOWLEDGE_BASE_ID"),
        ({"KNOWLEDGE_BASE_ID": "short"}, "KNOWLEDGE_BASE_ID"),
        ({"KB_RETRIEVER": "local"}, "needs QDRANT_PATH or QDRANT_URL"),
        (
            {"KB_RETRIEVER": "local", "QDRANT_PATH": "/tmp/q", "KB_MODE": "retrieve_and_generate"},
            "is a Bedrock API",
        ),
        ({"KNOWLEDGE_BASE_ID": "KBID123456", "KB_NUMBER_OF_RESULTS": "0"}, "KB_NUMBER_OF_RESULTS"),
        (
            {"KNOWLEDGE_BASE_ID": "KBID123456", "KB_SEARCH_TYPE": "keyword"},
            "for the local retriever",
        ),
        ({"KNOWLEDGE_BASE_ID": "KBID123456", "KB_SEARCH_TYPE": "fuzzy"}, "KB_SEARCH_TYPE"),
        ({"KNOWLEDGE_BASE_ID": "KBID123456", "EMBEDDINGS_THREADS": "0"}, "EMBEDDINGS_THREADS"),
        (
            {"KNOWLEDGE_BASE_ID": "KBID123456", "KB_RERANK_MODEL_ID": "arn:aws:bedrock:x"},
            "KB_RERANK_MODEL_ID",
        ),
    ],
)
def test_inconsistent_settings_are_named(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message):
        load_settings(KbSettings)


def test_bedrock_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNOWLEDGE_BASE_ID", "KBID123456")
    settings = load_settings(KbSettings)
    assert (settings.kb_mode, settings.kb_number_of_results, settings.kb_retriever) == (
        "retrieve",
        4,
        "bedrock",
    )
    assert (settings.kb_search_type, settings.embeddings_threads) == ("hybrid", 1)
