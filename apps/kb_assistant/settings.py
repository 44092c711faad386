"""The KB assistant's settings: where passages come from and how answers are generated."""

from __future__ import annotations

from typing import Literal

from genai_common.settings import PlatformSettings
from pydantic import Field, model_validator


class KbSettings(PlatformSettings):
    """Environment: everything in PlatformSettings, plus:

    ``KB_RETRIEVER``  bedrock (a Bedrock knowledge base) or local (Qdrant + local embeddings)
    ``KNOWLEDGE_BASE_ID``  the Bedrock knowledge base (bedrock retriever)
    ``KB_MODE``  retrieve (retrieve, then converse with the prompt here) or
                 retrieve_and_generate (Bedrock's RetrieveAndGenerate, with its citations)
    ``KB_NUMBER_OF_RESULTS``  passages per question
    ``KB_COLLECTION``  Qdrant collection (local retriever)
    """

    kb_title: str = "AWS Competency assistant"
    kb_retriever: Literal["bedrock", "local"] = "bedrock"
    knowledge_base_id: str | None = Field(default=None, pattern=r"^[0-9a-zA-Z]{10}$")
    kb_mode: Literal["retrieve", "retrieve_and_generate"] = "retrieve"
    kb_number_of_results: int = Field(default=4, ge=1, le=20)
    kb_collection: str = "competency"

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
        return self
