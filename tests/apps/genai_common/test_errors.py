from __future__ import annotations

from botocore.exceptions import ClientError, EventStreamError, NoCredentialsError, ReadTimeoutError
from genai_common.errors import explain

MODEL = "us.anthropic.claude-haiku-4-5-20251001-v1:0"


def client_error(code: str, message: str = "") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "ConverseStream")


def test_throttling_in_the_stream_asks_to_wait() -> None:
    error = EventStreamError(
        {"Error": {"Code": "throttlingException", "Message": "slow down"}}, "ConverseStream"
    )
    assert "throttling" in explain(error, MODEL)


def test_model_not_enabled_points_to_model_access() -> None:
    error = client_error(
        "AccessDeniedException", "You don't have access to the model with the specified model ID."
    )
    text = explain(error, MODEL)
    assert "not enabled" in text and MODEL in text and "Model access" in text


def test_access_denied_by_iam_names_the_role_problem() -> None:
    error = client_error(
        "AccessDeniedException",
        "User: arn:aws:sts::1:assumed-role/x is not authorized to perform: bedrock:InvokeModelWithResponseStream",
    )
    assert "IAM role" in explain(error, MODEL)


def test_transport_and_credential_failures() -> None:
    assert "did not answer in time" in explain(ReadTimeoutError(endpoint_url="https://x"), MODEL)
    assert "credentials" in explain(NoCredentialsError(), MODEL)


def test_unknown_failures_keep_the_conversation() -> None:
    assert "conversation is kept" in explain(RuntimeError("boom"), MODEL)
