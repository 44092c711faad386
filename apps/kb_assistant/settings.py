"""The KB assistant's settings: where passages come from and how answers are generated."""

from __future__ import annotations

from typing import Any, Literal

from genai_common.settings import PlatformSettings
from genai_common.vector_store import RERANK_DEPTH
from pydantic import Field, model_validator

SearchType = Literal["hybrid", "semantic", "keyword"]


class KbSettings(PlatformSettings):
    """Environment: everything in PlatformSettings, plus:

    ``KB_RETRIEVER``  bedrock (a Bedrock knowledge base) or local (Qdrant + local embeddings)
    ``KNOWLEDGE_BASE_ID``  the Bedrock knowledge base (bedrock retriever)
    ``KB_MODE``  retrieve (retrieve, then converse with the prompt here) or
                 retrieve_and_generate (Bedrock's RetrieveAndGenerate, with its citations)
    ``KB_NUMBER_OF_RESULTS``  passages per question
    ``KB_COLLECTION``  Qdrant collection (local retriever)
    ``KB_SEARCH_TYPE``  hybrid (keywords and meaning, fused), semantic (embeddings only) or
                        keyword (BM25 only, local retriever); Bedrock's hybrid search needs an
                        OpenSearch Serverless store with a text field, as infra/bedrock builds
    ``KB_RERANK``  local retriever: rerank the best candidates of a hybrid or semantic search
                   by their sentence nearest to the question (true by default)
    ``KB_RERANK_MODEL_ID``  Bedrock knowledge base: the Bedrock rerank model that reorders the
                            candidates (the environment's ``rerank`` role; unset, no reranking)
    ``EMBEDDINGS_THREADS``  CPU threads of the local embedding model (local retriever)
    """

    kb_title: str = "AWS Competency assistant"
    kb_retriever: Literal["bedrock", "local"] = "bedrock"
    knowledge_base_id: str | None = Field(default=None, pattern=r"^[0-9a-zA-Z]{10}$")
    kb_mode: Literal["retrieve", "retrieve_and_generate"] = "retrieve"
    kb_number_of_results: int = Field(default=4, ge=1, le=20)
    kb_collection: str = "competency"
    # Hybrid ranks best on benchmarks/kb_retrieval.py: keywords catch names and figures,
    # embeddings catch paraphrases.
    kb_search_type: SearchType = "hybrid"
    # One thread: on a small machine shared with other busy processes, a thread per core
    # makes the tail of query latency tens of times longer (benchmarks/embedding_latency.py).
    embeddings_threads: int = Field(default=1, ge=1, le=64)
    # Sibling documents of one program (its requirements, technical checks, FAQ) share their
    # vocabulary; the sentence that states the answer is what tells them apart
    # (benchmarks/kb_retrieval.py).
    kb_rerank: bool = True
    kb_rerank_model_id: str | None = Field(default=None, pattern=r"^[a-z0-9-]+\.[a-z0-9.:-]+$")

    @model_validator(mode="after")
    def _consistent(self) -> KbSettings:
        if self.kb_retriever == "bedrock" and not self.knowledge_base_id:
            raise ValueError("KB_RETRIEVER=bedrock needs KNOWLEDGE_BASE_ID (a 10-character id)")
        if self.kb_retriever == "local" and self.qdrant_path is None and self.qdrant_url is None:
            raise ValueError("KB_RETRIEVER=local needs QDRANT_PATH or QDRANT_URL")
        if self.kb_mode == "retrieve_and_generate" and (
            self.kb_retriever != "bedrock" or self.chat_provider != "bedrock"
        ):
            raise ValueError(
                "KB_MODE=retrieve_and_generate is a Bedrock API: it needs KB_RETRIEVER=bedrock "
                "and CHAT_PROVIDER=bedrock"
            )
        if self.kb_search_type == "keyword" and self.kb_retriever == "bedrock":
            raise ValueError(
                "KB_SEARCH_TYPE=keyword is for the local retriever: a Bedrock knowledge base "
                "searches hybrid or semantic"
            )
        return self

    def vector_search_configuration(self) -> dict[str, Any]:
        """The ``vectorSearchConfiguration`` of Bedrock's Retrieve and RetrieveAndGenerate:
        with a rerank model, the knowledge base retrieves :data:`RERANK_DEPTH` candidates and
        the model keeps the best ``KB_NUMBER_OF_RESULTS``."""
        configuration: dict[str, Any] = {
            "numberOfResults": self.kb_number_of_results,
            "overrideSearchType": self.kb_search_type.upper(),
        }
        if self.kb_rerank_model_id:
            model_arn = (
                f"arn:aws:bedrock:{self.aws_region}::foundation-model/{self.kb_rerank_model_id}"
            )
            configuration["numberOfResults"] = max(RERANK_DEPTH, self.kb_number_of_results)
            configuration["rerankingConfiguration"] = {
                "type": "BEDROCK_RERANKING_MODEL",
                "bedrockRerankingConfiguration": {
                    "modelConfiguration": {"modelArn": model_arn},
                    "numberOfRerankedResults": self.kb_number_of_results,
                },
            }
        return configuration
