"""A spent token budget: 429 with Retry-After to the next UTC day, and no model call; an answer
reports the tokens it was charged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from genai_common.metering.budget import TOKENS
from genai_common.metering.spec import metering_spec
from genai_common.offline import OfflineChatModel
from moto import mock_aws
from shop_rag.app import create_app

from tests.apps.shop_rag.conftest import create_table
from tests.apps.shop_rag.test_api import events

BUDGETS = "genai-test-token-budgets"


@pytest.fixture
def budgeted(loaded: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The API on the catalog slice, with a 60-token daily budget for the app."""
    monkeypatch.setenv("TOKEN_BUDGET_TABLE", BUDGETS)
    monkeypatch.setenv("APP_NAME", "shop-rag")
    monkeypatch.setenv("APP_DAILY_TOKEN_BUDGET", "60")
    key = metering_spec().budget_table.hash_key
    with mock_aws():
        create_table()
        boto3.client("dynamodb", region_name="us-east-1").create_table(
            TableName=BUDGETS,
            KeySchema=[{"AttributeName": key.name, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key.name, "AttributeType": key.type}],
            BillingMode="PAY_PER_REQUEST",
        )
        with TestClient(create_app()) as client:
            yield client


@pytest.fixture
def model_calls(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []
    stream = OfflineChatModel._stream

    def counted(self: OfflineChatModel, *args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return stream(self, *args, **kwargs)

    monkeypatch.setattr(OfflineChatModel, "_stream", counted)
    return calls


@pytest.mark.parametrize("stream", [False, True])
def test_over_budget_is_429_with_retry_after_and_no_model_call(
    budgeted: TestClient, model_calls: list[Any], stream: bool
) -> None:
    question = {"prompt": "waterproof hiking boots for women", "stream": stream}
    first = budgeted.post("/generate", json=question)
    assert first.status_code == 200
    assert len(model_calls) == 1  # the answer spent more than the 60 tokens
    refused = budgeted.post("/generate", json=question)
    assert refused.status_code == 429
    assert "daily token budget (60 tokens) is used up" in refused.json()["detail"]
    assert 0 < int(refused.headers["Retry-After"]) <= 86_400
    assert len(model_calls) == 1


@pytest.mark.parametrize("stream", [False, True])
def test_the_answer_reports_the_tokens_its_budget_was_charged(
    budgeted: TestClient, stream: bool
) -> None:
    question = {"prompt": "waterproof hiking boots for women", "stream": stream}
    response = budgeted.post("/generate", json=question)
    assert response.status_code == 200
    if stream:
        usage = json.loads(events(response.text)[-1][1])["usage"]
    else:
        usage = response.json()["usage"]
    key = metering_spec().budget_table.hash_key.name
    items = boto3.client("dynamodb", region_name="us-east-1").scan(TableName=BUDGETS)["Items"]
    charged = sum(int(item[TOKENS]["N"]) for item in items if item[key]["S"].startswith("app#"))
    assert usage["input_tokens"] > 0 and usage["output_tokens"] > 0
    assert usage["input_tokens"] + usage["output_tokens"] == charged
