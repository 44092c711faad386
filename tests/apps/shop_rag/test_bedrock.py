"""The Bedrock chat path, against ConverseStream replies parsed by botocore with the service
model (tests/fakes/bedrock_runtime.py): the rewrite and answer requests, and Bedrock's
failures as HTTP statuses or stream events."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from moto import mock_aws
from shop_rag.answer import REWRITE_PROMPT, SYSTEM_PROMPT
from shop_rag.app import create_app

from tests.apps.shop_rag.conftest import create_table
from tests.apps.shop_rag.test_api import events
from tests.fakes.bedrock_runtime import FakeBedrockRuntime

MODEL = "us.anthropic.claude-haiku-4-5-20251001-v1:0"


@pytest.fixture
def aws(shop_env: object) -> Iterator[None]:
    """moto for DynamoDB; Bedrock requests pass on to the fake, which answers them."""
    with mock_aws(config={"core": {"passthrough": {"urls": [r"https://bedrock-runtime\..*"]}}}):
        create_table()
        yield


@pytest.fixture
def bedrock_shop(
    loaded: object, aws: None, fake_bedrock: FakeBedrockRuntime, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    monkeypatch.setenv("CHAT_PROVIDER", "bedrock")
    with TestClient(create_app()) as client:
        yield client


def test_a_follow_up_is_rewritten_by_the_model_before_retrieval(
    bedrock_shop: TestClient, fake_bedrock: FakeBedrockRuntime
) -> None:
    fake_bedrock.stream("The Trailmark Falcon", " fits.")
    first = bedrock_shop.post("/generate", json={"prompt": "Men's waterproof hiking boots?"})
    assert first.json()["answer"] == "The Trailmark Falcon fits."
    session = first.json()["session_id"]

    fake_bedrock.stream("men's waterproof hiking boots", " in size 46 under $150")
    fake_bedrock.stream("Two of them do.")
    follow_up = {"prompt": "Any in size 46 under $150?", "session_id": session}
    body = bedrock_shop.post("/generate", json=follow_up).json()
    assert body["search_query"] == "men's waterproof hiking boots in size 46 under $150"
    assert body["sources"][0]["product_id"] in {"P00056", "P00188", "P01455"}
    assert body["answer"] == "Two of them do."

    rewrite, answer = fake_bedrock.requests[1:]
    assert rewrite["system"] == [{"text": REWRITE_PROMPT}]
    transcript = rewrite["messages"][0]["content"][0]["text"]
    assert "Shopper: Men's waterproof hiking boots?" in transcript
    assert "Assistant: The Trailmark Falcon fits." in transcript
    assert "Latest message: Any in size 46 under $150?" in transcript
    assert answer["system"] == [{"text": SYSTEM_PROMPT}]
    assert [m["role"] for m in answer["messages"]] == ["user", "assistant", "user"]
    question = answer["messages"][-1]["content"][0]["text"]
    assert question.startswith("<context>\n[1] P00") and question.endswith(follow_up["prompt"])


def test_throttling_is_a_429_with_retry_after_and_the_service_keeps_serving(
    bedrock_shop: TestClient, fake_bedrock: FakeBedrockRuntime
) -> None:
    fake_bedrock.error(429, "ThrottlingException", "Too many requests, please wait.")
    response = bedrock_shop.post("/generate", json={"prompt": "hiking boots", "stream": True})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "5"
    assert response.json()["detail"].startswith(f"Bedrock is throttling requests to model {MODEL}")

    fake_bedrock.stream("Here you go.")
    again = bedrock_shop.post("/generate", json={"prompt": "hiking boots"})
    assert again.status_code == 200 and again.json()["answer"] == "Here you go."


@pytest.mark.parametrize(
    ("status", "code", "message", "expected", "advice"),
    [
        (403, "AccessDeniedException", "You don't have access to the model", 502, "not enabled"),
        (503, "ServiceUnavailableException", "busy", 503, "temporarily unavailable"),
        (400, "ValidationException", "bad input", 502, "rejected the request"),
    ],
)
def test_refusals_map_to_502_or_503_with_advice(
    bedrock_shop: TestClient,
    fake_bedrock: FakeBedrockRuntime,
    status: int,
    code: str,
    message: str,
    expected: int,
    advice: str,
) -> None:
    fake_bedrock.error(status, code, message)
    response = bedrock_shop.post("/generate", json={"prompt": "hiking boots"})
    assert response.status_code == expected
    assert advice in response.json()["detail"]
    assert "retry-after" not in response.headers


def test_throttling_mid_stream_ends_with_an_error_event_and_nothing_is_stored(
    bedrock_shop: TestClient, fake_bedrock: FakeBedrockRuntime
) -> None:
    fake_bedrock.stream("The best", error=("throttlingException", "Too many requests"))
    request = {"prompt": "hiking boots", "stream": True, "session_id": "s-1"}
    response = bedrock_shop.post("/generate", json=request)
    assert response.status_code == 200
    stream = events(response.text)
    assert [name for name, _ in stream] == ["sources", "token", "error"]
    assert "throttling" in json.loads(stream[-1][1])["message"]

    # The failed exchange left no turn behind: the session's next question has no history,
    # so it goes to retrieval unchanged, with one model call (the answer) and no rewrite.
    fake_bedrock.stream("Fine.")
    body = bedrock_shop.post("/generate", json={"prompt": "tents", "session_id": "s-1"}).json()
    assert body["search_query"] == "tents" and body["answer"] == "Fine."
    assert len(fake_bedrock.requests) == 2
