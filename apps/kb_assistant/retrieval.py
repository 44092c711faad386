"""The retrievers: a Bedrock knowledge base, or Qdrant with local embeddings (local mode)."""

from __future__ import annotations

from typing import Any

from genai_common.aws import aws_client
from genai_common.embeddings import LocalMiniLMEmbeddings, embeddings
from genai_common.vector_store import keyword_query, qdrant_client, search
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from kb_assistant.settings import KbSettings, SearchType


class QdrantRetriever(BaseRetriever):
    """The ``k`` best passages of a Qdrant collection: by meaning (semantic), by keywords
    (keyword, BM25) or both fused (hybrid); with ``rerank``, a semantic or hybrid search's
    candidates reordered by their sentence nearest to the question."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    client: Any
    collection: str
    embeddings: Embeddings
    search_type: SearchType = "hybrid"
    k: int = 4
    rerank: bool = True

    def warm(self) -> None:
        """Load what the first question would otherwise wait for: the local embedding model."""
        if self.search_type != "keyword" and isinstance(self.embeddings, LocalMiniLMEmbeddings):
            self.embeddings.load()

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        dense = self.embeddings.embed_query(query) if self.search_type != "keyword" else None
        sparse = keyword_query(query) if self.search_type != "semantic" else None
        return search(
            self.client,
            self.collection,
            self.k,
            dense=dense,
            sparse=sparse,
            rerank=self.rerank and dense is not None,
        )


def retriever(settings: KbSettings) -> BaseRetriever:
    """The configured retriever, returning ``KB_NUMBER_OF_RESULTS`` passages per question."""
    if settings.kb_retriever == "local":
        return QdrantRetriever(
            client=qdrant_client(settings),
            collection=settings.kb_collection,
            embeddings=embeddings(settings, threads=settings.embeddings_threads),
            search_type=settings.kb_search_type,
            k=settings.kb_number_of_results,
            rerank=settings.kb_rerank,
        )
    from langchain_aws import AmazonKnowledgeBasesRetriever

    assert settings.knowledge_base_id is not None  # guaranteed by KbSettings
    return AmazonKnowledgeBasesRetriever(
        knowledge_base_id=settings.knowledge_base_id,
        client=aws_client("bedrock-agent-runtime", settings, interactive=True),
        retrieval_config={"vectorSearchConfiguration": settings.vector_search_configuration()},
    )
