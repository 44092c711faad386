from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError
from genai_common.aws import Retry, aws_client, retry_notices
from genai_common.settings import PlatformSettings, load_settings

from tests.fakes.bedrock_runtime import FakeBedrockRuntime

MESSAGES = [{"role": "user", "content": [{"text": "hi"}]}]


def test_clients_retry_adaptively_with_bounded_timeouts() -> None:
    client = aws_client("s3", load_settings(PlatformSettings))
    config = client.meta.config
    assert config.retries == {"mode": "adaptive", "total_max_attempts": 8}
    assert (config.connect_timeout, config.read_timeout) == (5.0, 120.0)
    assert client.meta.region_name == "us-east-1"


def test_interactive_clients_have_the_short_retry_budget() -> None:
    client = aws_client("bedrock-runtime", load_settings(PlatformSettings), interactive=True)
    assert client.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 3}


def test_aws_endpoint_url_redirects_every_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    settings = load_settings(PlatformSettings)
    for service in ("s3", "dynamodb", "bedrock-runtime"):
        assert aws_client(service, settings).meta.endpoint_url == "http://127.0.0.1:4566"


@pytest.fixture
def bedrock(monkeypatch: pytest.MonkeyPatch) -> tuple[object, FakeBedrockRuntime]:
    # Backoff and the adaptive rate limiter sleep between attempts; the test needs no wait.
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    client = aws_client("bedrock-runtime", load_settings(PlatformSettings), interactive=True)
    return client, FakeBedrockRuntime(client)


def test_each_retry_of_a_throttled_call_is_reported(
    bedrock: tuple[object, FakeBedrockRuntime],
) -> None:
    client, fake = bedrock
    fake.error(429, "ThrottlingException", "Rate exceeded")
    fake.error(429, "ThrottlingException", "Rate exceeded")
    fake.stream("Hello")
    notices: list[Retry] = []
    with retry_notices(notices.append):
        client.converse_stream(modelId="m", messages=MESSAGES)  # type: ignore[attr-defined]
    assert notices == [
        Retry("ConverseStream", 2, 3, "ThrottlingException"),
        Retry("ConverseStream", 3, 3, "ThrottlingException"),
    ]


def test_no_notice_when_the_budget_is_spent_or_the_error_is_final(
    bedrock: tuple[object, FakeBedrockRuntime],
) -> None:
    client, fake = bedrock
    fake.error(403, "AccessDeniedException", "no")
    for _ in range(3):
        fake.error(429, "ThrottlingException", "Rate exceeded")
    notices: list[Retry] = []
    with retry_notices(notices.append):
        with pytest.raises(ClientError, match="AccessDenied"):
            client.converse_stream(modelId="m", messages=MESSAGES)  # type: ignore[attr-defined]
        assert notices == []
        with pytest.raises(ClientError, match="Throttling"):
            client.converse_stream(modelId="m", messages=MESSAGES)  # type: ignore[attr-defined]
    assert [n.attempt for n in notices] == [2, 3]
