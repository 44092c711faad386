"""Local mode's two tasks of this app: publish-local (the sample corpus into the local bucket)
and index-local --if-changed (the local index rebuilt only when the corpus or its code changed)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from competency_domain.corpus import read_corpus
from competency_ingest import local_index
from competency_ingest.__main__ import main
from competency_ingest.local_index import SAMPLE_CORPUS
from genai_common.embeddings import LOCAL_DIMENSIONS
from genai_common.settings import PlatformSettings, load_settings
from langchain_core.embeddings import Embeddings
from moto import mock_aws


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    with mock_aws():
        yield


def test_publish_local_uploads_the_sample_corpus_once(
    aws: None, capsys: pytest.CaptureFixture[str]
) -> None:
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="genai-local-kb-documents")
    documents = len(read_corpus(SAMPLE_CORPUS))
    assert main(["publish-local", "--bucket", "genai-local-kb-documents"]) == 0
    assert (
        f"s3://genai-local-kb-documents/documents/: uploaded {documents}, unchanged 0"
        in capsys.readouterr().out
    )
    assert main(["publish-local", "--bucket", "genai-local-kb-documents"]) == 0
    assert f"uploaded 0, unchanged {documents}" in capsys.readouterr().out


@pytest.fixture
def indexed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """index-local's calls, without embedding anything; QDRANT_PATH is a temporary folder."""
    calls: list[Path] = []
    monkeypatch.setenv("QDRANT_PATH", str(tmp_path / "store"))
    (tmp_path / "store").mkdir()

    def index_corpus(settings: Any, corpus: Path, collection: str) -> int:
        calls.append(corpus)
        return 7

    monkeypatch.setattr(local_index, "index_corpus", index_corpus)
    return calls


def test_index_local_if_changed_indexes_once_then_again_after_a_change(
    indexed: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    argv = ["index-local", "--if-changed", "--corpus", str(corpus)]
    assert main(argv) == 0
    assert "indexed 7 passages" in capsys.readouterr().out
    assert main(argv) == 0
    assert "already: nothing to index" in capsys.readouterr().out
    assert len(indexed) == 1

    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text() + "\nOne more sentence.\n")
    assert main(argv) == 0
    assert len(indexed) == 2


def test_index_local_without_if_changed_always_indexes(indexed: list[Path]) -> None:
    assert main(["index-local"]) == 0
    assert main(["index-local"]) == 0
    assert len(indexed) == 2


def test_the_fingerprint_covers_the_indexing_code() -> None:
    names = {path.name for path in local_index.INDEX_CODE}
    assert {"corpus.py", "chunking.py", "vector_store.py", "embeddings.py"} <= names
    assert all(path.is_file() for path in local_index.INDEX_CODE)


class CountingEmbeddings(Embeddings):
    """Vectors that tell texts apart, and how many texts were embedded."""

    def __init__(self) -> None:
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return [[(len(text) + i) % 7 / 7 + 0.1 for i in range(LOCAL_DIMENSIONS)] for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def test_reindexing_unchanged_passages_reads_their_kept_vectors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    model = CountingEmbeddings()
    monkeypatch.setattr(local_index, "embeddings", lambda settings: model)
    monkeypatch.setenv("EMBEDDINGS_PROVIDER", "local")
    monkeypatch.setenv("EMBEDDINGS_CACHE_DIR", str(tmp_path / "vectors"))
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)

    def index(store: str) -> int:
        monkeypatch.setenv("QDRANT_PATH", str(tmp_path / store))
        return local_index.index_corpus(load_settings(PlatformSettings), corpus, "kb")

    passages = index("first")
    embedded = model.embedded  # the passages, then each of their sentences
    assert embedded > passages > 0
    assert index("second") == passages  # a new store, the same passages: nothing embedded
    assert model.embedded == embedded

    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text() + "\nOne more sentence.\n")
    index("third")
    assert model.embedded > embedded
