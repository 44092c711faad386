"""bedrock_invoke_smoke: one Converse call to invoke_model_id; an empty answer fails the run."""

from __future__ import annotations

from typing import Any

from botocore.stub import ANY

from tests.airflow.conftest import BedrockStubs, assert_regions, expect_model_metrics


def converse(text: str, stop: str = "end_turn") -> dict[str, Any]:
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": text}] if text else []}},
        "stopReason": stop,
        "usage": {"inputTokens": 12, "outputTokens": 2, "totalTokens": 14},
        "metrics": {"latencyMs": 120},
    }


def expect_converse(
    bedrock: BedrockStubs, variables: dict[str, str], response: dict[str, Any]
) -> None:
    bedrock.add(
        "bedrock-runtime",
        "converse",
        response,
        {
            "modelId": variables["invoke_model_id"],
            "messages": [{"role": "user", "content": [{"text": "Reply with the single word OK."}]}],
            "inferenceConfig": {"maxTokens": 16, "temperature": 0.0},
        },
    )


def test_a_model_that_answers_passes(
    run_dag: Any, bedrock: BedrockStubs, variables: dict[str, str], deferred: list[str]
) -> None:
    expect_converse(bedrock, variables, converse("OK"))
    expect_model_metrics(
        bedrock,
        variables,
        variables["invoke_model_id"],
        {"calls": 1.0, "input_tokens": 12.0, "output_tokens": 2.0, "latency": ANY},
    )

    state, tasks = run_dag("bedrock_invoke_smoke")

    assert (state, tasks) == ("success", {"invoke_model": "success"})
    bedrock.assert_done()
    assert_regions(bedrock, deferred)


def test_an_empty_answer_fails(
    run_dag: Any, bedrock: BedrockStubs, variables: dict[str, str], failures: dict[str, Exception]
) -> None:
    expect_converse(bedrock, variables, converse("", stop="max_tokens"))

    state, _ = run_dag("bedrock_invoke_smoke")

    assert state == "failed"
    assert "returned no text (stopReason 'max_tokens')" in str(failures["invoke_model"])


def test_a_model_without_access_fails(
    run_dag: Any, bedrock: BedrockStubs, variables: dict[str, str], failures: dict[str, Exception]
) -> None:
    bedrock.error(
        "bedrock-runtime",
        "converse",
        "AccessDeniedException",
        "You don't have access to the model",
        403,
    )
    expect_model_metrics(bedrock, variables, variables["invoke_model_id"], {"errors": 1.0})

    state, _ = run_dag("bedrock_invoke_smoke")

    assert state == "failed"
    assert "AccessDeniedException" in str(failures["invoke_model"])
    bedrock.assert_done()


def test_a_metric_that_cannot_be_put_does_not_fail_the_call(
    run_dag: Any, bedrock: BedrockStubs, variables: dict[str, str]
) -> None:
    expect_converse(bedrock, variables, converse("OK"))
    bedrock.error("cloudwatch", "put_metric_data", "AccessDenied", "not this namespace", 403)

    state, _ = run_dag("bedrock_invoke_smoke")

    assert state == "success"
    bedrock.assert_done()
