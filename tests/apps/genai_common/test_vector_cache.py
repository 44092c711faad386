"""The vector cache's seeds: read when the cache folder lacks a file, never written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from genai_common.vector_cache import CachedEmbeddings, VectorCache
from langchain_core.embeddings import Embeddings

TEXTS = ["a boot", "a jacket"]


class Counting(Embeddings):
    def __init__(self) -> None:
        self.embedded: list[list[str]] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded.append(texts)
        return [[float(len(t)), 1.0, 0.0] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        raise AssertionError("not asked")


def seeded(tmp_path: Path, vectors: np.ndarray) -> VectorCache:
    seeds = VectorCache(tmp_path / "seeds", "model", 3)
    seeds.write(TEXTS, vectors)
    return VectorCache(tmp_path / "cache", "model", 3, seeds=seeds.folder)


def test_a_seed_is_read_and_nothing_is_embedded_or_written(tmp_path: Path) -> None:
    shipped = np.arange(6, dtype=np.float32).reshape(2, 3)
    cache = seeded(tmp_path, shipped)
    inner = Counting()

    vectors = CachedEmbeddings(inner, cache).embed_documents(TEXTS)

    assert np.array_equal(np.asarray(vectors, dtype=np.float32), shipped)
    assert inner.embedded == []
    assert not cache.folder.exists()


def test_the_cache_folder_wins_over_the_seeds(tmp_path: Path) -> None:
    cache = seeded(tmp_path, np.zeros((2, 3), dtype=np.float32))
    kept = np.ones((2, 3), dtype=np.float32)
    cache.write(TEXTS, kept)
    assert np.array_equal(cache.read(TEXTS), kept)


@pytest.mark.parametrize("texts", [["a boot"], ["a boot", "a jacket", "a tent"]])
def test_other_texts_are_embedded_and_written_to_the_cache_folder_only(
    tmp_path: Path, texts: list[str]
) -> None:
    cache = seeded(tmp_path, np.zeros((2, 3), dtype=np.float32))
    inner = Counting()

    CachedEmbeddings(inner, cache).embed_documents(texts)

    assert inner.embedded == [texts]
    assert [p.name for p in cache.folder.glob("*.npy")] == [cache.name(texts)]
    assert [p.name for p in (tmp_path / "seeds").glob("*.npy")] == [cache.name(TEXTS)]


def test_a_seed_of_the_wrong_shape_is_ignored(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path / "cache", "model", 3, seeds=tmp_path / "seeds")
    (tmp_path / "seeds").mkdir()
    np.save(tmp_path / "seeds" / cache.name(TEXTS), np.zeros((2, 4), dtype=np.float32))
    assert cache.read(TEXTS) is None
