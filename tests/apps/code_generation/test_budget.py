"""The caller's daily token budget: Bedrock's usage is charged, and a spent budget is a 429 with
Retry-After and no Converse call (the Stubber holds no reply for one); each response carries the
tokens its call used."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber
from code_generation import handler
from code_generation.languages import LANGUAGES
from code_generation.model import offline_code_model
from code_generation.prompt import system_prompt
from genai_common.metering.spec import metering_spec
from genai_common.offline import count_tokens

from .conftest import invoke
from .events import event
from .test_bedrock import GO, reply

BUDGETS = "genai-test-token-budgets"


@pytest.fixture
def stub(bedrock_env: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    """Bedrock stubbed, with a 150-token daily budget per caller in moto's DynamoDB."""
    key = metering_spec().budget_table.hash_key
    boto3.client("dynamodb", region_name="us-east-1").create_table(
        TableName=BUDGETS,
        KeySchema=[{"AttributeName": key.name, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": key.name, "AttributeType": key.type}],
        BillingMode="PAY_PER_REQUEST",
    )
    monkeypatch.setenv("TOKEN_BUDGET_TABLE", BUDGETS)
    monkeypatch.setenv("APP_NAME", "code-generation")
    monkeypatch.setenv("USER_DAILY_TOKEN_BUDGET", "150")
    handler.service.cache_clear()
    client = handler.service().model.client  # type: ignore[attr-defined]
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def test_a_spent_budget_is_429_with_retry_after_and_calls_no_model(stub: Stubber) -> None:
    for _ in range(2):  # 100 tokens each: the second call starts under 150 and ends over it
        stub.add_response("converse", reply(GO), {"modelId": ANY, **_any()})
        status, _, body = invoke(event())
        assert status == 200, body
    status, headers, body = invoke(event())
    assert status == 429
    assert "Your daily token budget (150 tokens) is used up" in body["error"]
    assert 0 < int(headers["retry-after"]) <= 86_400


def _any() -> dict[str, Any]:
    return {"system": ANY, "messages": ANY, "inferenceConfig": ANY, "guardrailConfig": ANY}


@pytest.mark.parametrize(("inputs", "outputs"), [(60, 40), (7, 1234)])
def test_the_response_carries_the_tokens_bedrock_reported(
    stub: Stubber, inputs: int, outputs: int
) -> None:
    usage = {"inputTokens": inputs, "outputTokens": outputs, "totalTokens": inputs + outputs}
    answer = {**reply(GO), "usage": usage}
    stub.add_response("converse", answer, {"modelId": ANY, **_any()})
    status, _, body = invoke(event())
    assert status == 200, body
    assert body["usage"] == {"input_tokens": inputs, "output_tokens": outputs}


def test_the_offline_model_reports_the_words_in_and_out(s3: Any) -> None:
    status, _, body = invoke(event({"instruction": "reverse a linked list", "language": "go"}))
    assert status == 200, body
    go = LANGUAGES["go"]
    answer = offline_code_model("offline", "reverse a linked list", go).text
    assert body["usage"] == {
        "input_tokens": count_tokens(system_prompt(go) + " reverse a linked list"),
        "output_tokens": count_tokens(answer),
    }
