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
)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _AWS_VARS:
        monkeypatch.delenv(name, raising=False)
    # Dummy values for botocore's signer; no request leaves the process in these tests.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
