"""Start-up and loading you can watch: /healthz answers while the embedding model loads,
/readyz waits for it, and a catalog's vectors are kept so that it is never embedded twice."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from genai_common import embeddings as embedding_module
from genai_common.vector_cache import VectorCache

from tests.apps.shop_rag.conftest import catalog_slice, jsonl


@pytest.fixture
def slow_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The local model's first load blocks until the returned event is set."""
    release = threading.Event()
    real = embedding_module._load_local_model

    def held() -> object:
        assert release.wait(timeout=60), "the test never released the model"
        return real()

    monkeypatch.setattr(embedding_module, "_load_local_model", held)
    yield release
    release.set()


def test_health_answers_while_the_model_loads_and_readiness_waits_for_it(
    slow_model: threading.Event, aws: None
) -> None:
    from shop_rag.app import create_app

    with TestClient(create_app()) as client:
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.json()["status"] == "starting"
        assert client.get("/readyz").status_code == 503
        assert client.get("/livez").json() == {"status": "alive"}
        slow_model.set()
        client.app.state.services.model.ready.wait(timeout=60)  # type: ignore[attr-defined]
        assert client.get("/healthz").json()["status"] == "ok"
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["status"] == "ok"


def test_a_model_that_fails_to_load_is_reported(monkeypatch: pytest.MonkeyPatch, aws: None) -> None:
    from shop_rag.app import create_app

    def broken() -> object:
        raise OSError("model.safetensors is truncated")

    monkeypatch.setattr(embedding_module, "_load_local_model", broken)
    with TestClient(create_app()) as client:
        client.app.state.services.model.ready.wait(timeout=60)  # type: ignore[attr-defined]
        for path in ("/healthz", "/readyz"):
            response = client.get(path)
            assert response.status_code == 503
            assert response.json()["status"] == "failed"
            assert "model.safetensors is truncated" in response.json()["detail"]


def _count_embedded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many product texts (not questions) each call to the local model embeds."""
    calls: list[int] = []
    real = embedding_module.LocalMiniLMEmbeddings.embed_documents

    def counting(self: object, texts: list[str]) -> list[list[float]]:
        calls.append(sum("Price $" in text for text in texts))
        return real(self, texts)  # type: ignore[arg-type]

    monkeypatch.setattr(embedding_module.LocalMiniLMEmbeddings, "embed_documents", counting)
    return calls


def _load(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> dict:
    """A fresh store (as after deleting QDRANT_PATH) loading slice.jsonl; the summary."""
    import os

    from shop_rag.app import create_app

    os.environ["QDRANT_PATH"] = str(tmp_path / name)
    with TestClient(create_app()) as client:
        response = client.post("/load_data", json={"source": "slice.jsonl"})
        assert response.status_code == 200, response.text
        health = client.get("/healthz").json()
        assert health["catalog"] == {
            "state": "loaded",
            "source": "slice.jsonl",
            "done": response.json()["read"],
            "total": response.json()["read"],
        }
        found = client.post("/generate", json={"prompt": "waterproof hiking boots"})
        assert found.status_code == 200
        assert any("Boot" in s["name"] for s in found.json()["sources"])
        return response.json()


def test_an_unchanged_catalog_is_never_embedded_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, aws: None
) -> None:
    cache_dir = tmp_path / "vectors"
    monkeypatch.setenv("EMBEDDINGS_CACHE_DIR", str(cache_dir))
    calls = _count_embedded(monkeypatch)

    first = _load(tmp_path, "first", monkeypatch)
    assert sum(calls) == first["read"] == first["upserted"]
    assert len(list(cache_dir.glob("*.npy"))) == 1

    calls.clear()
    second = _load(tmp_path, "second", monkeypatch)
    assert second["upserted"] == second["read"]  # stored afresh, from the kept vectors
    assert sum(calls) == 0


def test_a_corrupt_cache_is_ignored_and_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, aws: None
) -> None:
    cache_dir = tmp_path / "vectors"
    monkeypatch.setenv("EMBEDDINGS_CACHE_DIR", str(cache_dir))
    _load(tmp_path, "first", monkeypatch)
    (kept,) = cache_dir.glob("*.npy")
    good = np.load(kept)
    kept.write_bytes(kept.read_bytes()[:1000])  # cut short, as by a crash without rename

    calls = _count_embedded(monkeypatch)
    summary = _load(tmp_path, "second", monkeypatch)
    assert sum(calls) == summary["read"]  # embedded again
    assert np.array_equal(np.load(kept), good)  # and kept whole again


def test_a_cache_of_another_model_or_size_is_not_read(tmp_path: Path) -> None:
    texts = ["a", "b"]
    vectors = np.ones((2, 4), dtype=np.float32)
    VectorCache(tmp_path, "local:m:4", 4).write(texts, vectors)
    assert np.array_equal(VectorCache(tmp_path, "local:m:4", 4).read(texts), vectors)
    assert VectorCache(tmp_path, "local:other:4", 4).read(texts) is None
    assert VectorCache(tmp_path, "local:m:4", 4).read(["a", "c"]) is None
    # A file under the right name but of the wrong shape (written by hand) is ignored.
    path = VectorCache(tmp_path, "local:m:8", 8).path(texts)
    np.save(path, vectors)
    assert VectorCache(tmp_path, "local:m:8", 8).read(texts) is None
    assert not list(tmp_path.glob("*.tmp"))


def test_the_loading_state_is_reported_while_a_load_runs(
    monkeypatch: pytest.MonkeyPatch, aws: None, shop_env: Path
) -> None:
    from shop_rag import store as store_module
    from shop_rag.app import create_app

    records = catalog_slice()[:6]
    (shop_env / "six.jsonl").write_text(jsonl(records))
    in_batch, release = threading.Event(), threading.Event()
    real = store_module.ProductStore.upsert

    def held(self, products):  # type: ignore[no-untyped-def]
        result = real(self, products)
        in_batch.set()
        assert release.wait(timeout=60)
        return result

    monkeypatch.setattr(store_module.ProductStore, "upsert", held)
    with TestClient(create_app()) as client:
        loader = threading.Thread(
            target=client.post,
            args=("/load_data",),
            kwargs={"json": {"source": "six.jsonl", "batch_size": 2}},
        )
        loader.start()
        assert in_batch.wait(timeout=60)
        catalog = client.get("/healthz").json()["catalog"]
        assert (catalog["state"], catalog["total"]) == ("loading", 6)
        assert catalog["done"] in (0, 2)
        release.set()
        loader.join(timeout=60)
        assert client.get("/healthz").json()["catalog"]["state"] == "loaded"


def test_a_folder_that_cannot_be_written_keeps_nothing_and_fails_nothing(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    cache = VectorCache(blocked, "local:m:4", 4)
    cache.write(["a"], np.ones((1, 4), dtype=np.float32))
    assert cache.read(["a"]) is None


@pytest.mark.parametrize(("setting", "threads"), [(None, 1), ("2", 2)])
def test_the_local_model_is_capped_to_embeddings_threads(
    setting: str | None, threads: int, monkeypatch: pytest.MonkeyPatch, aws: None
) -> None:
    from genai_common.settings import load_settings
    from shop_rag.app import build_services
    from shop_rag.settings import ShopSettings

    if setting is not None:
        monkeypatch.setenv("EMBEDDINGS_THREADS", setting)
    services = build_services(load_settings(ShopSettings))
    try:
        model = services.store.embeddings
        assert isinstance(model, embedding_module.LocalMiniLMEmbeddings)
        assert model.threads == threads
    finally:
        services.store.client.close()
