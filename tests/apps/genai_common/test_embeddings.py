from __future__ import annotations

import math

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
