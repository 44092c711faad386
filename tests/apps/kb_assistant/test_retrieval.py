"""Both retrievers: the Bedrock knowledge base (Stubber) and the local Qdrant index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber
from competency_domain.sources import Source, source_of
from genai_common.settings import load_settings
from kb_assistant import retrieval
from kb_assistant.settings import KbSettings

from tests.apps.kb_assistant.responses import KB_ID, SECURITY_TEXT, devops, security


def bedrock_retriever(monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    monkeypatch.setenv("KNOWLEDGE_BASE_ID", KB_ID)
    settings = load_settings(KbSettings)
    from genai_common.aws import aws_client

    client = aws_client("bedrock-agent-runtime", settings)
    monkeypatch.setattr(retrieval, "aws_client", lambda service, s, **_: client)
    return retrieval.retriever(settings), client


@pytest.mark.parametrize(("search_type", "override"), [(None, "HYBRID"), ("semantic", "SEMANTIC")])
def test_bedrock_retrieve_asks_for_the_configured_passages_and_keeps_their_sources(
    monkeypatch: pytest.MonkeyPatch, search_type: str | None, override: str
) -> None:
    if search_type:
        monkeypatch.setenv("KB_SEARCH_TYPE", search_type)
    retriever, client = bedrock_retriever(monkeypatch)
    question = "How many security certified staff are needed?"
    with Stubber(client) as stub:
        stub.add_response(
            "retrieve",
            {"retrievalResults": [security(0.71), devops(0.52)]},
            {
                "knowledgeBaseId": KB_ID,
                "retrievalQuery": {"text": question},
                "retrievalConfiguration": {
                    "vectorSearchConfiguration": {
                        "numberOfResults": 4,
                        "overrideSearchType": override,
                    }
                },
            },
        )
        passages = retriever.invoke(f"  {question} ")
    sources = [source_of(p) for p in passages]
    assert sources[0] == Source(
        program="Security",
        title="AWS Security Competency",
        url="https://apn-checklists.s3.amazonaws.com/competency/security/consulting/x.html",
        document="security--program",
        snippet=SECURITY_TEXT,
        score=0.71,
    )
    assert [s.document for s in sources] == ["security--program", "devops--program"]
    assert passages[0].page_content == SECURITY_TEXT


def test_bedrock_retrieve_errors_reach_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    retriever, client = bedrock_retriever(monkeypatch)
    with Stubber(client) as stub:
        stub.add_client_error(
            "retrieve", "AccessDeniedException", "not authorized to perform bedrock:Retrieve", 403
        )
        with pytest.raises(Exception, match="bedrock:Retrieve"):
            retriever.invoke("anything")


def test_a_source_without_attributes_falls_back_to_its_s3_object() -> None:
    from langchain_core.documents import Document

    doc = Document(
        "x " * 400,
        metadata={
            "location": {"type": "S3", "s3Location": {"uri": "s3://b/documents/energy.txt"}},
            "score": 0.3,
        },
    )
    source = source_of(doc)
    assert (source.document, source.url, source.program) == (
        "energy",
        "s3://b/documents/energy.txt",
        "unknown program",
    )
    assert len(source.snippet) <= 280 and source.snippet.endswith("…")


def test_local_retriever_finds_the_answering_document(local_kb: Path) -> None:
    retriever = retrieval.retriever(load_settings(KbSettings))
    try:
        passages = retriever.invoke("Which DORA metrics should DevOps case studies report?")
    finally:
        retriever.client.close()  # type: ignore[attr-defined]
    assert len(passages) == 4
    sources = [source_of(p) for p in passages]
    assert {s.program for s in sources} == {"DevOps"}
    answering = [p for p in passages if "Case studies should report DORA metrics" in p.page_content]
    assert answering and source_of(answering[0]).url.startswith(
        "https://apn-checklists.s3.amazonaws.com/competency/devops/"
    )


# Gold questions that one kind of search alone misses in its top 4: the first shares no
# keyword with the passage that answers it; the second reads, by meaning, like the review
# rules of every program, and only its keywords single out the answering passage.
SEMANTIC_ONLY = (
    "What ongoing service must partners focused on responding to attacks operate?",
    "watches customer environments around the clock",
)
KEYWORD_ONLY = (
    "Who must review the modeling approach of each engagement?",
    "data scientist with a postgraduate degree",
)


@pytest.mark.parametrize(
    ("search_type", "found"),
    [
        ("semantic", [True, False]),
        ("keyword", [False, True]),
        ("hybrid", [True, True]),
    ],
)
def test_hybrid_search_finds_what_either_search_alone_misses(
    local_kb: Path, monkeypatch: pytest.MonkeyPatch, search_type: str, found: list[bool]
) -> None:
    monkeypatch.setenv("KB_SEARCH_TYPE", search_type)
    retriever = retrieval.retriever(load_settings(KbSettings))
    try:
        answered = [
            any(evidence in p.page_content for p in retriever.invoke(question))
            for question, evidence in (SEMANTIC_ONLY, KEYWORD_ONLY)
        ]
    finally:
        retriever.client.close()  # type: ignore[attr-defined]
    assert answered == found


def test_the_local_retriever_uses_the_configured_embedding_threads(
    local_kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMBEDDINGS_THREADS", "2")
    retriever = retrieval.retriever(load_settings(KbSettings))
    retriever.client.close()  # type: ignore[attr-defined]
    assert retriever.embeddings.threads == 2  # type: ignore[attr-defined]


RERANKING = {
    "type": "BEDROCK_RERANKING_MODEL",
    "bedrockRerankingConfiguration": {
        "modelConfiguration": {
            "modelArn": "arn:aws:bedrock:us-east-1::foundation-model/cohere.rerank-v3-5:0"
        },
        "numberOfRerankedResults": 4,
    },
}


def test_bedrock_retrieve_reranks_deeper_candidates_with_the_rerank_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stubber checks the request against the service model: a misshapen one fails."""
    monkeypatch.setenv("KB_RERANK_MODEL_ID", "cohere.rerank-v3-5:0")
    retriever, client = bedrock_retriever(monkeypatch)
    with Stubber(client) as stub:
        stub.add_response(
            "retrieve",
            {"retrievalResults": [security(0.93)]},
            {
                "knowledgeBaseId": KB_ID,
                "retrievalQuery": {"text": "Security staff?"},
                "retrievalConfiguration": {
                    "vectorSearchConfiguration": {
                        "numberOfResults": 20,
                        "overrideSearchType": "HYBRID",
                        "rerankingConfiguration": RERANKING,
                    }
                },
            },
        )
        passages = retriever.invoke("Security staff?")
    assert [source_of(p).document for p in passages] == ["security--program"]
