from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from code_generation import handler
from code_generation.lambda_context import LocalContext
from moto import mock_aws

BUCKET = "genai-dev-generated-code-123456789012"
CATALOG = [
    {"label": "Claude Haiku 4.5", "model_id": "us.anthropic.claude-haiku-4-5-20251001-v1:0"},
    {"label": "Claude Sonnet 4.6", "model_id": "us.anthropic.claude-sonnet-4-6"},
]


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The function's environment as Terraform sets it, on the offline model and moto's S3."""
    monkeypatch.setenv("CODE_BUCKET", BUCKET)
    monkeypatch.setenv("CODE_PREFIX", "generated/")
    monkeypatch.setenv("CHAT_PROVIDER", "offline")
    handler.service.cache_clear()
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client
    handler.service.cache_clear()


@pytest.fixture
def bedrock_env(monkeypatch: pytest.MonkeyPatch, s3: Any) -> Any:
    """As above, with Bedrock, the catalog and the guardrail: stub the model's client."""
    monkeypatch.setenv("CHAT_PROVIDER", "bedrock")
    monkeypatch.setenv("CHAT_MODELS", json.dumps(CATALOG))
    monkeypatch.setenv("GUARDRAIL_ID", "gr0abcdef123")
    monkeypatch.setenv("GUARDRAIL_VERSION", "3")
    handler.service.cache_clear()
    return s3


def invoke(event: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
    """Status, headers and decoded JSON body of one invocation."""
    response = handler.lambda_handler(event, LocalContext())
    headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
    return response["statusCode"], headers, json.loads(response["body"])
