"""The shopping RAG API's settings: where products, chat history and catalog files live."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from genai_common.settings import PlatformSettings
from pydantic import Field, SecretStr, field_validator, model_validator

SearchType = Literal["dense", "sparse", "hybrid"]


class ShopSettings(PlatformSettings):
    """Environment: everything in PlatformSettings, plus:

    ``QDRANT_API_KEY``  the Qdrant server's API key (none for an embedded store)
    ``SHOP_COLLECTION``  the Qdrant collection of products
    ``SHOP_SEARCH_TYPE``  hybrid (embeddings and BM25 keywords, fused by RRF), dense
                          (embeddings only) or sparse (BM25 only)
    ``SHOP_TOP_K``  products retrieved per question (the answer's context and sources)
    ``HISTORY_TABLE``  the DynamoDB table of chat turns (key sessionId + turn, TTL expiresAt)
    ``HISTORY_TTL_HOURS``  how long a turn is kept after it is written
    ``HISTORY_MAX_TURNS``  how many of the latest turns a question is answered with
    ``CATALOG_BUCKET`` / ``CATALOG_PREFIX``  where s3:// catalog sources may be read from
    ``CATALOG_DIR``  the folder local catalog sources are read from (local mode)
    ``CATALOG_MAX_MB``  the largest catalog file accepted
    ``EMBEDDINGS_CONCURRENCY``  Bedrock embedding calls in flight while loading (Titan
                                embeds one text per call)
    ``EMBEDDINGS_THREADS``  CPU threads of the local embedding model
    ``SHOP_RAG_HOST`` / ``SHOP_RAG_PORT``  where the API listens
    """

    qdrant_api_key: SecretStr | None = None
    shop_collection: str = Field(default="myretail-products", pattern=r"^[A-Za-z0-9_-]{1,255}$")
    # Hybrid ranks best on benchmarks/shop_rag_retrieval.py: keywords match brands and
    # product names, embeddings match what a shopper describes in their own words.
    shop_search_type: SearchType = "hybrid"
    shop_top_k: int = Field(default=4, ge=1, le=20)

    history_table: str = Field(pattern=r"^[A-Za-z0-9_.-]{3,255}$")
    history_ttl_hours: int = Field(default=24, ge=1, le=24 * 365)
    history_max_turns: int = Field(default=10, ge=0, le=100)

    catalog_bucket: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    catalog_prefix: str = "catalog/"
    catalog_dir: Path | None = None
    catalog_max_mb: int = Field(default=100, ge=1, le=2048)
    embeddings_concurrency: int = Field(default=4, ge=1, le=32)
    # One thread: beside the other local-mode processes on a small machine, more threads
    # than free cores make every batch wait for a descheduled one (benchmarks/
    # embedding_latency.py; the KB assistant's default too).
    embeddings_threads: int = Field(default=1, ge=1, le=64)

    # Inside a container the API must listen on every interface to be reachable at all.
    shop_rag_host: str = "0.0.0.0"  # noqa: S104
    shop_rag_port: int = Field(default=8000, ge=1, le=65535)

    @field_validator("catalog_prefix")
    @classmethod
    def _prefix_is_a_folder(cls, value: str) -> str:
        if value.startswith("/") or ".." in value.split("/"):
            raise ValueError("must be a key prefix such as catalog/ (no leading /, no ..)")
        return value

    @model_validator(mode="after")
    def _needs_a_store(self) -> ShopSettings:
        if self.qdrant_url is None and self.qdrant_path is None:
            raise ValueError("set QDRANT_URL (a Qdrant server) or QDRANT_PATH (an embedded store)")
        return self

    def chat_model_id(self) -> str:
        """The model that rewrites follow-ups and answers: the first of the catalog."""
        return self.catalog()[0].model_id
