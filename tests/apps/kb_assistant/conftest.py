"""An embedded Qdrant index of the sample corpus, built once and copied for each test
(an embedded store admits one client at a time)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from competency_ingest.local_index import SAMPLE_CORPUS, index_corpus
from genai_common.settings import PlatformSettings


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("qdrant") / "store"
    settings = PlatformSettings(embeddings_provider="local", qdrant_path=path)
    index_corpus(settings, SAMPLE_CORPUS, "competency")
    return path


@pytest.fixture
def local_kb(built_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The environment of the KB assistant in local mode, on a private copy of the index."""
    path = tmp_path / "store"
    shutil.copytree(built_index, path)
    monkeypatch.setenv("KB_RETRIEVER", "local")
    monkeypatch.setenv("EMBEDDINGS_PROVIDER", "local")
    monkeypatch.setenv("CHAT_PROVIDER", "offline")
    monkeypatch.setenv("QDRANT_PATH", str(path))
    return path
