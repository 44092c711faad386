"""Shared fixtures: a clean environment so tests never see a developer's AWS settings."""

from __future__ import annotations

import pytest

_AWS_VARS = (
    "AWS_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "CHAT_PROVIDER",
    "CHAT_MODELS",
    "OPENAI_BASE_URL",
    "OPENAI_MODEL",
    "EMBEDDINGS_PROVIDER",
    "GUARDRAIL_ID",
    "GUARDRAIL_VERSION",
    "QDRANT_URL",
    "QDRANT_PATH",
    "KB_RETRIEVER",
    "KB_MODE",
    "KNOWLEDGE_BASE_ID",
    "KB_NUMBER_OF_RESULTS",
)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _AWS_VARS:
        monkeypatch.delenv(name, raising=False)
    # Dummy values for botocore's signer; no request leaves the process in these tests.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "us-east-1")


@pytest.fixture
def fake_bedrock(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The chat-model factory's Bedrock client, answering from a FakeBedrockRuntime (no retries)."""
    from genai_common import chat_models
    from genai_common.aws import aws_client
    from genai_common.settings import PlatformSettings, load_settings

    from tests.fakes.bedrock_runtime import FakeBedrockRuntime

    monkeypatch.setenv("AWS_INTERACTIVE_MAX_ATTEMPTS", "1")
    client = aws_client("bedrock-runtime", load_settings(PlatformSettings), interactive=True)
    fake = FakeBedrockRuntime(client)
    monkeypatch.setattr(chat_models, "aws_client", lambda service, settings, **_: client)
    return fake
