from __future__ import annotations

import pytest
from genai_common.aws import aws_client
from genai_common.settings import PlatformSettings, load_settings


def test_clients_retry_adaptively_with_bounded_timeouts() -> None:
    client = aws_client("s3", load_settings(PlatformSettings))
    config = client.meta.config
    assert config.retries == {"mode": "adaptive", "total_max_attempts": 8}
    assert (config.connect_timeout, config.read_timeout) == (5.0, 120.0)
    assert client.meta.region_name == "us-east-1"


def test_aws_endpoint_url_redirects_every_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    settings = load_settings(PlatformSettings)
    for service in ("s3", "dynamodb", "bedrock-runtime"):
        assert aws_client(service, settings).meta.endpoint_url == "http://127.0.0.1:4566"
