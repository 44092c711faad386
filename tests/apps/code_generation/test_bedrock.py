"""Converse requests and replies through botocore's Stubber, validated against the service model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.stub import ANY, Stubber
from code_generation import handler

from .conftest import BUCKET, CATALOG, invoke
from .events import event

GO = "```go\npackage list\n\nfunc Reverse(head *Node) *Node {\n\treturn head\n}\n```"


@pytest.fixture
def stub(bedrock_env: Any) -> Iterator[Stubber]:
    client = handler.service().model.client  # type: ignore[attr-defined]
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def reply(text: str, stop_reason: str = "end_turn") -> dict[str, Any]:
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
        "stopReason": stop_reason,
        "usage": {"inputTokens": 60, "outputTokens": 40, "totalTokens": 100},
        "metrics": {"latencyMs": 900},
    }


def expected(model_id: str) -> dict[str, Any]:
    return {
        "modelId": model_id,
        "system": [{"text": ANY}],
        "messages": [{"role": "user", "content": [{"text": ANY}]}],
        "inferenceConfig": {"maxTokens": 2048, "temperature": 0.2},
        "guardrailConfig": {"guardrailIdentifier": "gr0abcdef123", "guardrailVersion": "3"},
    }


def test_converse_with_the_catalog_and_the_guardrail(stub: Stubber, bedrock_env: Any) -> None:
    stub.add_response(
        "converse",
        reply(f"Here you go:\n\n{GO}\n\nIt walks the list."),
        expected(CATALOG[0]["model_id"]),
    )
    status, _, body = invoke(event())
    assert status == 200, body
    assert body["code"] == GO.removeprefix("```go\n").removesuffix("```")
    assert body["model"] == "Claude Haiku 4.5"
    stored = bedrock_env.get_object(Bucket=BUCKET, Key=body["s3_key"])
    assert stored["Metadata"]["model-id"] == CATALOG[0]["model_id"]


def test_the_prompt_carries_the_instruction_and_language(stub: Stubber) -> None:
    seen: dict[str, Any] = {}

    def capture(params: dict[str, Any], **_: Any) -> None:
        seen.update(params)

    stub.client.meta.events.register("provide-client-params.bedrock-runtime.Converse", capture)
    stub.add_response("converse", reply(GO), expected(CATALOG[1]["model_id"]))
    status, _, _ = invoke(
        event(
            {"instruction": "reverse a linked list", "language": "go", "model": "Claude Sonnet 4.6"}
        )
    )
    assert status == 200
    assert "reverse a linked list" in seen["messages"][0]["content"][0]["text"]
    assert "go code" in seen["system"][0]["text"]


def test_throttling_is_a_429_with_retry_after(stub: Stubber, bedrock_env: Any) -> None:
    stub.add_client_error("converse", "ThrottlingException", "Too many requests", 429)
    status, headers, body = invoke(event())
    assert status == 429 and headers["retry-after"] == "10"
    assert "throttling" in body["error"]
    assert bedrock_env.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_an_unavailable_model_is_a_503(stub: Stubber) -> None:
    stub.add_client_error("converse", "ServiceUnavailableException", "busy", 503)
    status, headers, _ = invoke(event())
    assert status == 503 and headers["retry-after"] == "10"


def test_a_guardrail_intervention_is_a_502_that_says_so(stub: Stubber, bedrock_env: Any) -> None:
    stub.add_response("converse", reply("Sorry, I can't help with that.", "guardrail_intervened"))
    status, _, body = invoke(event())
    assert status == 502 and "guardrail" in body["error"]
    assert bedrock_env.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_an_answer_without_a_code_block_is_a_502(stub: Stubber) -> None:
    stub.add_response("converse", reply("A linked list is reversed by swapping pointers."))
    status, _, body = invoke(event())
    assert status == 502 and "without a code block" in body["error"]


def test_an_answer_cut_off_mid_block_is_a_502(stub: Stubber) -> None:
    stub.add_response("converse", reply("```go\nfunc Reverse(", "max_tokens"))
    status, _, body = invoke(event())
    assert status == 502 and "cut off" in body["error"]


def test_access_denied_names_the_action(stub: Stubber) -> None:
    stub.add_client_error(
        "converse",
        "AccessDeniedException",
        "User: arn:aws:sts::123456789012:assumed-role/fn/x is not authorized to perform: "
        "bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/m",
        403,
    )
    status, _, body = invoke(event())
    assert status == 502 and "bedrock:InvokeModel" in body["error"]


def test_a_model_timeout_is_a_504_with_retry_after(stub: Stubber, bedrock_env: Any) -> None:
    stub.add_client_error("converse", "ModelTimeoutException", "took too long", 408)
    status, headers, body = invoke(event())
    assert status == 504 and headers["retry-after"] == "10"
    assert "took too long" in body["error"] and "nothing was stored" in body["error"]
    assert bedrock_env.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0
