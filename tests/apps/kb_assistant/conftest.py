"""An embedded Qdrant index of the sample corpus, built once and copied for each test
(an embedded store admits one client at a time). Its vectors come from the shipped ones
(datasets/vectors, checked against the model by tests/apps/genai_common), as in local mode:
the index is the one local mode builds, without embedding the corpus again per worker."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from competency_ingest.local_index import SAMPLE_CORPUS, index_corpus
from genai_common.settings import PlatformSettings

SEED_VECTORS = Path(__file__).resolve().parents[3] / "datasets" / "vectors"


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("qdrant") / "store"
    settings = PlatformSettings(
        embeddings_provider="local",
        qdrant_path=path,
        embeddings_cache_dir=path.with_name("vectors"),
        embeddings_seed_dir=SEED_VECTORS,
    )
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
