"""The page meters each answer: the session's tokens in the sidebar, and a spent budget refused
with a clear message before any model is called (DynamoDB in moto)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import claude_chat
import pytest
import streamlit as st
from genai_common.declarations import local_name
from genai_common.metering.spec import metering_spec
from moto import mock_aws
from streamlit.testing.v1 import AppTest

from tests.fakes.bedrock_runtime import FakeBedrockRuntime

PAGE = str(Path(claude_chat.__file__).with_name("page.py"))
TABLE = local_name(metering_spec().budget_table.logical_name)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def budget_table(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    key = metering_spec().budget_table.hash_key
    # Bedrock's requests go on to the fake; moto answers DynamoDB's.
    with mock_aws(config={"core": {"passthrough": {"urls": [r"https://bedrock-runtime\..*"]}}}):
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": key.name, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key.name, "AttributeType": key.type}],
            BillingMode="PAY_PER_REQUEST",
        )
        monkeypatch.setenv("TOKEN_BUDGET_TABLE", TABLE)
        monkeypatch.setenv("APP_NAME", "claude-chat")
        yield client


def send(app: AppTest, text: str) -> AppTest:
    app.chat_input[0].set_value(text).run()
    return app


def tokens_line(app: AppTest) -> str:
    return next(c.value for c in app.sidebar.caption if c.value.startswith("Tokens used"))


def test_the_sidebar_counts_the_sessions_tokens(fake_bedrock: FakeBedrockRuntime) -> None:
    fake_bedrock.stream("Hello", " there.")
    fake_bedrock.stream("Again.")
    app = AppTest.from_file(PAGE, default_timeout=30).run()
    assert tokens_line(app) == "Tokens used in this session: 0"
    send(app, "Hi")
    # The fake reports 12 input tokens and one output token per streamed piece.
    assert tokens_line(app) == "Tokens used in this session: 14"
    send(app, "More")
    assert tokens_line(app) == "Tokens used in this session: 27"


def test_a_spent_budget_is_explained_and_calls_no_model(
    fake_bedrock: FakeBedrockRuntime, budget_table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_DAILY_TOKEN_BUDGET", "14")
    fake_bedrock.stream("Hello", " there.")
    fake_bedrock.stream("Never sent.")
    app = AppTest.from_file(PAGE, default_timeout=30).run()
    send(app, "Hi")
    assert len(fake_bedrock.requests) == 1
    send(app, "More")
    assert len(fake_bedrock.requests) == 1
    assert any("daily token budget (14 tokens) is used up" in e.value for e in app.error)
    assert tokens_line(app) == "Tokens used in this session: 14"
