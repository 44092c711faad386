"""The retrievers: a Bedrock knowledge base, or Qdrant with local embeddings (local mode)."""

from __future__ import annotations

from typing import Any

from genai_common.aws import aws_client
from genai_common.embeddings import embeddings
from genai_common.vector_store import qdrant_client, search
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from kb_assistant.settings import KbSettings


class QdrantRetriever(BaseRetriever):
    """The ``k`` passages nearest to the question in a Qdrant collection."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    client: Any
    collection: str
    embeddings: Embeddings
    k: int = 4

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return search(self.client, self.collection, self.embeddings.embed_query(query), self.k)


def retriever(settings: KbSettings) -> BaseRetriever:
    """The configured retriever, returning ``KB_NUMBER_OF_RESULTS`` passages per question."""
    if settings.kb_retriever == "local":
        return QdrantRetriever(
            client=qdrant_client(settings),
            collection=settings.kb_collection,
            embeddings=embeddings(settings),
            k=settings.kb_number_of_results,
        )
    from langchain_aws import AmazonKnowledgeBasesRetriever

    assert settings.knowledge_base_id is not None  # guaranteed by KbSettings
    return AmazonKnowledgeBasesRetriever(
        knowledge_base_id=settings.knowledge_base_id,
        client=aws_client("bedrock-agent-runtime", settings),
        retrieval_config={
            "vectorSearchConfiguration": {"numberOfResults": settings.kb_number_of_results}
        },
    )
