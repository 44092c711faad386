from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EventStreamError, NoCredentialsError, ReadTimeoutError
from genai_common.errors import Target, explain

MODEL = Target.model("us.anthropic.claude-haiku-4-5-20251001-v1:0")
AGENT = Target.agent("AGENT12345", "ALIAS12345")
KB = Target.knowledge_base("KB12345678")


def client_error(code: str, message: str = "") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "ConverseStream")


def test_throttling_in_the_stream_asks_to_wait() -> None:
    error = EventStreamError(
        {"Error": {"Code": "throttlingException", "Message": "slow down"}}, "ConverseStream"
    )
    assert "throttling" in explain(error, MODEL)


@pytest.mark.parametrize("target", [MODEL, AGENT, KB])
def test_throttling_names_what_was_throttled(target: Target) -> None:
    text = explain(client_error("ThrottlingException", "Rate exceeded"), target)
    assert f"{target.kind} {target.identifier}" in text
    assert not (target.kind != "model" and "model" in text)


def test_model_not_enabled_points_to_model_access() -> None:
    error = client_error(
        "AccessDeniedException", "You don't have access to the model with the specified model ID."
    )
    text = explain(error, MODEL)
    assert "not enabled" in text and MODEL.identifier in text and "Model access" in text


def test_access_denied_by_iam_names_the_action_and_resource() -> None:
    error = client_error(
        "AccessDeniedException",
        "User: arn:aws:sts::1:assumed-role/x is not authorized to perform: "
        "bedrock:InvokeAgent on resource: arn:aws:bedrock:us-east-1:1:agent-alias/AGENT12345/ALIAS12345",
    )
    text = explain(error, AGENT)
    assert "IAM role" in text and "bedrock:InvokeAgent" in text
    assert "agent-alias/AGENT12345/ALIAS12345" in text and "Model access" not in text


@pytest.mark.parametrize(
    ("target", "setting"), [(AGENT, "AGENT_ID and AGENT_ALIAS_ID"), (KB, "KNOWLEDGE_BASE_ID")]
)
def test_a_missing_agent_or_knowledge_base_is_not_a_model_problem(
    target: Target, setting: str
) -> None:
    text = explain(client_error("ResourceNotFoundException", "not found"), target)
    assert target.identifier in text and setting in text
    assert "Model access" not in text and "not enabled" not in text


def test_a_model_not_found_points_to_model_access() -> None:
    text = explain(client_error("ResourceNotFoundException", "no such model"), MODEL)
    assert "Model access" in text


def test_transport_and_credential_failures() -> None:
    assert "did not answer in time" in explain(ReadTimeoutError(endpoint_url="https://x"), MODEL)
    assert "credentials" in explain(NoCredentialsError(), MODEL)


def test_unknown_failures_keep_the_conversation() -> None:
    text = explain(RuntimeError("boom"), KB)
    assert "conversation is kept" in text and "knowledge base KB12345678" in text
