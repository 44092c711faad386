"""Shared fixtures: a clean environment so tests never see a developer's AWS settings."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# Property tests and API fuzzing draw the same examples on every run (no flaky failures in the
# test command) and keep no example database in the shared checkout. No per-example deadline:
# make test runs its lanes at once on a 2-core machine, where a 20 ms example may wait 200 ms
# for a core; speed is the benchmarks' to measure.
settings.register_profile("repeatable", derandomize=True, database=None, deadline=None)
settings.load_profile("repeatable")

# Every setting the apps read from the environment starts with one of these: clearing by prefix
# keeps a new setting from leaking a developer's value into the tests.
_SETTING_PREFIXES = (
    # The meter's: APP_NAME, PLATFORM_ENVIRONMENT and the token budgets.
    "APP_NAME",
    "APP_DAILY_",
    "PLATFORM_ENVIRONMENT",
    "TOKEN_BUDGET_",
    "USER_DAILY_",
    "AWS_",
    "AGENT_",
    "CASE_",
    "CATALOG_",
    "CHAT_",
    "CODE_",
    "DEADLINE_",
    "DOWNLOAD_",
    "EMBEDDINGS_",
    "GUARDRAIL_",
    # HF_TOKEN and HF_TOKEN_SECRET_ARN, not HF_HOME or HF_HUB_OFFLINE: those keep tests off the hub.
    "HF_TOKEN",
    "HISTORY_",
    "KB_",
    "KNOWLEDGE_BASE_",
    "MYRETAIL_",
    "OPENAI_",
    "OPENSEARCH_",
    "POWERTOOLS_",
    "QDRANT_",
    "REVIEW_",
    "SHOP_",
)


# The slow files (local mode in Chromium, Terraform plans: minutes each) go first. The two
# workers take whole files (--dist loadfile) in collection order: a slow file collected last
# would run alone at the end while the other worker has nothing left.
_SLOW_MARKERS = ("e2e", "terraform")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not any(item.get_closest_marker(m) for m in _SLOW_MARKERS))


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith(_SETTING_PREFIXES)]:
        monkeypatch.delenv(name)
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
