"""RetrieveAndGenerate: the request Bedrock receives, citations, session and guardrail."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from genai_common.settings import load_settings
from kb_assistant.answer import GENERATION_TEMPLATE
from kb_assistant.generate import retrieve_and_generate
from kb_assistant.settings import KbSettings

from tests.apps.kb_assistant.responses import KB_ID, devops, security
from tests.apps.kb_assistant.test_retrieval import RERANKING

MODEL = "us.anthropic.claude-haiku-4-5-20251001-v1:0"


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> KbSettings:
    monkeypatch.setenv("KNOWLEDGE_BASE_ID", KB_ID)
    monkeypatch.setenv("KB_MODE", "retrieve_and_generate")
    monkeypatch.setenv("GUARDRAIL_ID", "gr0abc123")
    monkeypatch.setenv("GUARDRAIL_VERSION", "2")
    return load_settings(KbSettings)


def reply(text: str, *references: dict[str, Any], action: str = "NONE") -> dict[str, Any]:
    return {
        "output": {"text": text},
        "sessionId": "session-1",
        "guardrailAction": action,
        "citations": [
            {
                "generatedResponsePart": {
                    "textResponsePart": {"text": text, "span": {"start": 0, "end": len(text)}}
                },
                "retrievedReferences": list(references),
            }
        ],
    }


def expected_request(
    question: str, session_id: str | None = None, search_type: str = "HYBRID"
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "input": {"text": question},
        "retrieveAndGenerateConfiguration": {
            "type": "KNOWLEDGE_BASE",
            "knowledgeBaseConfiguration": {
                "knowledgeBaseId": KB_ID,
                "modelArn": MODEL,
                "retrievalConfiguration": {
                    "vectorSearchConfiguration": {
                        "numberOfResults": 4,
                        "overrideSearchType": search_type,
                    }
                },
                "generationConfiguration": {
                    "promptTemplate": {"textPromptTemplate": GENERATION_TEMPLATE},
                    "inferenceConfig": {
                        "textInferenceConfig": {"maxTokens": 2048, "temperature": 0.5}
                    },
                    "guardrailConfiguration": {"guardrailId": "gr0abc123", "guardrailVersion": "2"},
                },
            },
        },
    }
    if session_id:
        request["sessionId"] = session_id
    return request


def test_answers_with_deduplicated_citations_and_continues_the_session(
    settings: KbSettings,
) -> None:
    client = boto3.client("bedrock-agent-runtime", region_name="us-east-1")
    with Stubber(client) as stub:
        stub.add_response(
            "retrieve_and_generate",
            reply("At least three Security Specialty holders.", security(), security(), devops()),
            expected_request("Security staff?"),
        )
        stub.add_response(
            "retrieve_and_generate",
            reply("Three DevOps professionals.", devops()),
            expected_request("And DevOps?", "session-1"),
        )
        first = retrieve_and_generate(client, settings, "Security staff?", MODEL, None)
        second = retrieve_and_generate(client, settings, "And DevOps?", MODEL, first.session_id)
    assert first.text == "At least three Security Specialty holders."
    assert [s.document for s in first.sources] == ["security--program", "devops--program"]
    assert first.session_id == "session-1" and not first.guardrail_intervened
    assert [s.program for s in second.sources] == ["DevOps"]


def test_the_search_type_is_one_bedrock_accepts(
    settings: KbSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stubber checks the request against the service model: an unknown value fails."""
    monkeypatch.setenv("KB_SEARCH_TYPE", "semantic")
    semantic = load_settings(KbSettings)
    client = boto3.client("bedrock-agent-runtime", region_name="us-east-1")
    with Stubber(client) as stub:
        stub.add_response(
            "retrieve_and_generate",
            reply("Three."),
            expected_request("Security staff?", search_type="SEMANTIC"),
        )
        retrieve_and_generate(client, semantic, "Security staff?", MODEL, None)


def test_a_guardrail_intervention_is_flagged(settings: KbSettings) -> None:
    client = boto3.client("bedrock-agent-runtime", region_name="us-east-1")
    with Stubber(client) as stub:
        stub.add_response(
            "retrieve_and_generate",
            {
                "output": {"text": "Sorry, I can't help with that request."},
                "sessionId": "session-2",
                "guardrailAction": "INTERVENED",
            },
            None,
        )
        answer = retrieve_and_generate(client, settings, "Which stocks should I buy?", MODEL, None)
    assert answer.guardrail_intervened and answer.sources == ()


def test_the_generation_template_has_the_placeholder_bedrock_fills() -> None:
    assert "$search_results$" in GENERATION_TEMPLATE and "<context>" not in GENERATION_TEMPLATE


def test_retrieve_and_generate_reranks_with_the_environments_rerank_model(
    settings: KbSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KB_RERANK_MODEL_ID", "cohere.rerank-v3-5:0")
    reranked = load_settings(KbSettings)
    request = expected_request("Security staff?")
    request["retrieveAndGenerateConfiguration"]["knowledgeBaseConfiguration"][
        "retrievalConfiguration"
    ]["vectorSearchConfiguration"] = {
        "numberOfResults": 20,
        "overrideSearchType": "HYBRID",
        "rerankingConfiguration": RERANKING,
    }
    client = boto3.client("bedrock-agent-runtime", region_name="us-east-1")
    with Stubber(client) as stub:
        stub.add_response("retrieve_and_generate", reply("Three."), request)
        assert (
            retrieve_and_generate(client, reranked, "Security staff?", MODEL, None).text == "Three."
        )
