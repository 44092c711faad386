"""Bedrock's RetrieveAndGenerate: retrieval and the answer in one call, with citations and a
session that keeps the conversation on the service side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from competency_domain.sources import Source, source_from
from genai_common.metering import Usage
from genai_common.metering.aws import process_meter

from kb_assistant.answer import GENERATION_TEMPLATE
from kb_assistant.settings import KbSettings


@dataclass(frozen=True)
class GeneratedAnswer:
    text: str
    sources: tuple[Source, ...]
    session_id: str
    guardrail_intervened: bool


def retrieve_and_generate(
    client: Any, settings: KbSettings, question: str, model_id: str, session_id: str | None
) -> GeneratedAnswer:
    """Ask the knowledge base; pass the previous answer's ``session_id`` to continue a conversation."""
    assert settings.knowledge_base_id is not None  # guaranteed by KbSettings
    generation: dict[str, Any] = {
        "promptTemplate": {"textPromptTemplate": GENERATION_TEMPLATE},
        "inferenceConfig": {
            "textInferenceConfig": {
                "maxTokens": settings.chat_max_tokens,
                "temperature": settings.chat_temperature,
            }
        },
    }
    guardrail = settings.guardrail()
    if guardrail:
        generation["guardrailConfiguration"] = {
            "guardrailId": guardrail["guardrailIdentifier"],
            "guardrailVersion": guardrail["guardrailVersion"],
        }
    request: dict[str, Any] = {
        "input": {"text": question},
        "retrieveAndGenerateConfiguration": {
            "type": "KNOWLEDGE_BASE",
            "knowledgeBaseConfiguration": {
                "knowledgeBaseId": settings.knowledge_base_id,
                "modelArn": model_id,
                "retrievalConfiguration": {
                    "vectorSearchConfiguration": settings.vector_search_configuration()
                },
                "generationConfiguration": generation,
            },
        },
    }
    if session_id:
        request["sessionId"] = session_id
    # RetrieveAndGenerate reports no token usage: the meter counts the call and its latency, and
    # the budgets still decide whether it is made.
    response = process_meter(settings).measure(
        model_id, lambda: client.retrieve_and_generate(**request), usage=lambda _: Usage(0, 0)
    )
    sources: list[Source] = []
    for citation in response.get("citations", []):
        for reference in citation.get("retrievedReferences", []):
            source = source_from(
                reference.get("content", {}).get("text", ""),
                reference.get("metadata", {}),
                reference.get("location"),
            )
            if source not in sources:
                sources.append(source)
    return GeneratedAnswer(
        text=response["output"]["text"],
        sources=tuple(sources),
        session_id=response["sessionId"],
        guardrail_intervened=response.get("guardrailAction") == "INTERVENED",
    )
