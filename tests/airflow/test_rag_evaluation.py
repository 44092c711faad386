"""bedrock_rag_evaluation: every gold question through Retrieve and RetrieveAndGenerate, the
results and summary in S3, and the run failing when hit@4 falls below rag_min_hit_rate; hit@4
is the retrieval benchmark's."""

from __future__ import annotations

import json
from typing import Any

import pytest
from bedrock_ops.evaluation import VECTOR_SEARCH, answer_rank, load_gold, summarize
from botocore.stub import ANY
from hypothesis import given, settings
from hypothesis import strategies as st
from langchain_core.documents import Document

from benchmarks.kb_retrieval import answer_rank as benchmark_answer_rank
from tests.airflow.conftest import (
    BedrockStubs,
    assert_regions,
    expect_model_metrics,
    set_variable,
)

KB = "KB12345678"
BUCKET = "genai-dev-kb-documents"


def passage(document: str, text: str, with_document_id: bool = False) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "x-amz-bedrock-kb-source-uri": f"s3://{BUCKET}/competency/{document}.txt",
        "program": document.split("--")[0],
    }
    if with_document_id:
        metadata["document_id"] = document
    return {
        "content": {"text": text, "type": "TEXT"},
        "location": {
            "type": "S3",
            "s3Location": {"uri": f"s3://{BUCKET}/competency/{document}.txt"},
        },
        "metadata": metadata,
        "score": 0.5,
    }


def retrieval(item: dict[str, str], hit: bool) -> list[dict[str, Any]]:
    """Four passages: with a hit, the gold one (holding the evidence) is second."""
    others = [passage("security--faq", f"Unrelated passage {i}.") for i in range(3)]
    answer = f"Some context. The program asks for {item['evidence']}, among other things."
    if hit:
        return [others[0], passage(item["document"], answer), *others[1:]]
    # The right document without the evidence is not a hit, nor the evidence elsewhere.
    return [passage(item["document"], "A passage about something else."), *others]


def expect_evaluation(bedrock: BedrockStubs, hits: int, model_arn: str) -> list[dict[str, str]]:
    gold = load_gold()
    for number, item in enumerate(gold):
        results = retrieval(item, hit=number < hits)
        bedrock.add(
            "bedrock-agent-runtime",
            "retrieve",
            {"retrievalResults": results},
            {
                "knowledgeBaseId": KB,
                "retrievalQuery": {"text": item["question"]},
                "retrievalConfiguration": {"vectorSearchConfiguration": VECTOR_SEARCH},
            },
        )
        bedrock.add(
            "bedrock-agent-runtime",
            "retrieve_and_generate",
            {
                "sessionId": f"session-{number}",
                "output": {"text": f"Answer {number}."},
                "citations": [
                    {
                        "generatedResponsePart": {
                            "textResponsePart": {
                                "text": f"Answer {number}.",
                                "span": {"start": 0, "end": 9},
                            }
                        },
                        "retrievedReferences": [
                            {k: v for k, v in results[1].items() if k != "score"}
                        ],
                    }
                ],
            },
            {
                "input": {"text": item["question"]},
                "retrieveAndGenerateConfiguration": {
                    "type": "KNOWLEDGE_BASE",
                    "knowledgeBaseConfiguration": {
                        "knowledgeBaseId": KB,
                        "modelArn": model_arn,
                        "retrievalConfiguration": {"vectorSearchConfiguration": VECTOR_SEARCH},
                    },
                },
            },
        )
    return gold


def run_folder(s3: Any) -> dict[str, str]:
    objects = s3.list_objects_v2(Bucket="genai-dev-operations", Prefix="rag-evaluation/")
    keys = [o["Key"] for o in objects.get("Contents", [])]
    assert len(keys) == 2 and keys[0].startswith("rag-evaluation/run=20"), keys
    return {
        k.rsplit("/", 1)[1]: s3.get_object(Bucket="genai-dev-operations", Key=k)["Body"]
        .read()
        .decode()
        for k in keys
    }


def test_a_knowledge_base_above_the_threshold_passes(
    run_dag: Any, aws: Any, bedrock: BedrockStubs, variables: dict[str, str], deferred: list[str]
) -> None:
    gold = expect_evaluation(bedrock, hits=110, model_arn=variables["rag_model_arn"])
    # Each RetrieveAndGenerate is a model call, metered: it reports no tokens.
    for _ in gold:
        expect_model_metrics(
            bedrock,
            variables,
            variables["rag_model_arn"],
            {"calls": 1.0, "input_tokens": 0.0, "output_tokens": 0.0, "latency": ANY},
        )

    state, tasks = run_dag("bedrock_rag_evaluation")

    assert state == "success", tasks
    bedrock.assert_done()
    assert_regions(bedrock, deferred)
    files = run_folder(aws)
    summary = json.loads(files["summary.json"])
    assert summary["questions"] == len(gold)
    assert summary["hit_at_4"] == round(110 / len(gold), 4)
    assert summary["hit_at_1"] == 0
    assert summary["passed"] and summary["errors"] == 0
    rows = [json.loads(line) for line in files["results.jsonl"].splitlines()]
    assert [r["question"] for r in rows] == [g["question"] for g in gold]
    assert rows[0]["rank"] == 2 and rows[0]["gold_cited"] and rows[0]["answer"] == "Answer 0."
    assert rows[-1]["rank"] is None and not rows[-1]["hit"]
    # The results are encrypted with the operations key.
    key = next(k for k in ("results.jsonl",))
    head = aws.head_object(
        Bucket="genai-dev-operations",
        Key=next(
            o["Key"]
            for o in aws.list_objects_v2(Bucket="genai-dev-operations")["Contents"]
            if o["Key"].endswith(key)
        ),
    )
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == variables["operations_kms_key_arn"]


def test_hit_rate_below_the_threshold_fails_the_run(
    run_dag: Any,
    aws: Any,
    bedrock: BedrockStubs,
    variables: dict[str, str],
    failures: dict[str, Exception],
) -> None:
    expect_evaluation(bedrock, hits=90, model_arn=variables["rag_model_arn"])

    state, tasks = run_dag("bedrock_rag_evaluation")

    assert state == "failed"
    assert tasks == {"evaluate": "success", "check_hit_rate": "failed"}
    message = str(failures["check_hit_rate"])
    assert "hit@4 is 0.687 (rag_min_hit_rate 0.75)" in message
    assert "s3://genai-dev-operations/rag-evaluation/run=" in message
    # The evidence of a failed run is kept.
    assert not json.loads(run_folder(aws)["summary.json"])["passed"]


def test_a_failed_call_fails_the_run_even_above_the_threshold(
    run_dag: Any,
    aws: Any,
    bedrock: BedrockStubs,
    variables: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    failures: dict[str, Exception],
) -> None:
    set_variable(monkeypatch, variables, "rag_min_hit_rate", "0.5")
    gold = load_gold()
    bedrock.error("bedrock-agent-runtime", "retrieve", "AccessDeniedException", "no", 403)
    bedrock.error("bedrock-agent-runtime", "retrieve_and_generate", "ValidationException", "bad")
    for number, item in enumerate(gold[1:], start=1):
        results = retrieval(item, hit=True)
        bedrock.add("bedrock-agent-runtime", "retrieve", {"retrievalResults": results})
        bedrock.add(
            "bedrock-agent-runtime",
            "retrieve_and_generate",
            {"sessionId": f"s{number}", "output": {"text": "Yes."}},
        )
    # The refused model call counts as an error, the others as calls.
    expect_model_metrics(bedrock, variables, variables["rag_model_arn"], {"errors": 1.0})
    for _ in gold[1:]:
        expect_model_metrics(
            bedrock,
            variables,
            variables["rag_model_arn"],
            {"calls": 1.0, "input_tokens": 0.0, "output_tokens": 0.0, "latency": ANY},
        )

    state, _ = run_dag("bedrock_rag_evaluation")

    assert state == "failed"
    assert "1 question(s) with failed calls" in str(failures["check_hit_rate"])
    bedrock.assert_done()
    first = json.loads(run_folder(aws)["results.jsonl"].splitlines()[0])
    assert (
        first["error"]
        == "Retrieve: AccessDeniedException: no; RetrieveAndGenerate: ValidationException: bad"
    )


def test_a_threshold_that_is_not_a_share_fails_before_any_call(
    run_dag: Any,
    aws: Any,
    bedrock: BedrockStubs,
    variables: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    failures: dict[str, Exception],
) -> None:
    set_variable(monkeypatch, variables, "rag_min_hit_rate", "75%")

    state, _ = run_dag("bedrock_rag_evaluation")

    assert state == "failed"
    assert "rag_min_hit_rate must be a number, got '75%'" in str(failures["evaluate"])
    assert bedrock.regions == []


def test_the_gold_set_is_the_benchmarks() -> None:
    gold = load_gold()
    assert len(gold) >= 100
    assert all(set(item) == {"question", "document", "evidence"} for item in gold)


def as_retriever_document(result: dict[str, Any]) -> Document:
    """A Retrieve result as langchain-aws's AmazonKnowledgeBasesRetriever returns it, which is
    what the benchmark scores."""
    return Document(
        page_content=result["content"]["text"],
        metadata={
            "location": result["location"],
            "source_metadata": result["metadata"],
            "score": result["score"],
        },
    )


documents = st.sampled_from(["devops--faq", "energy--technical", "security--program"])
evidence = st.sampled_from(["remediated within 60 days", "four unique customer case studies"])


@settings(max_examples=200, deadline=None)
@given(
    item=st.fixed_dictionaries(
        {"question": st.just("q"), "document": documents, "evidence": evidence}
    ),
    results=st.lists(
        st.tuples(documents, st.lists(evidence | st.text(max_size=30), max_size=3), st.booleans()),
        max_size=6,
    ),
)
def test_hit_at_k_agrees_with_the_retrieval_benchmark(item: Any, results: Any) -> None:
    retrieved = [
        passage(
            document,
            "  ".join(part.upper() if i % 2 else part for i, part in enumerate(parts)),
            named,
        )
        for document, parts, named in results
    ]
    expected = benchmark_answer_rank([as_retriever_document(r) for r in retrieved], item)
    assert answer_rank(retrieved, item) == expected


def test_the_summary_counts_ranks_as_the_benchmark_does() -> None:
    rows = [
        {"rank": rank, "answer": "a", "gold_cited": rank == 1, "error": None}
        for rank in (1, 2, 4, None)
    ]
    summary = summarize(rows, 0.75)
    assert summary["hit_at_1"] == 0.25 and summary["hit_at_4"] == 0.75
    assert summary["mrr_at_4"] == round((1 + 1 / 2 + 1 / 4) / 4, 4)
    assert summary["passed"]
    assert not summarize(rows, 0.8)["passed"]
