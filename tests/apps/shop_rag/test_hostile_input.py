"""Hostile input and races through the API: a clear 4xx, never a 500, and no lost answer."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
from fastapi.testclient import TestClient
from shop_rag.app import MAX_BODY_BYTES

from tests.apps.shop_rag.conftest import TABLE, catalog_slice, jsonl


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("a" * 256 + ".jsonl", "is 262 bytes long; file and folder names are at most 255"),
        ("sub/" + "é" * 200, "is 400 bytes long"),
        ("s3://genai-test-model-assets/catalog/" + "é" * 600, "S3 keys are at most 1024"),
    ],
)
def test_a_source_name_too_long_for_the_file_system_or_s3_is_a_400(
    client: TestClient, source: str, problem: str
) -> None:
    response = client.post("/load_data", json={"source": source})
    assert response.status_code == 400
    assert problem in response.json()["detail"]


def test_a_deeply_nested_catalog_line_is_reported_as_a_bad_line(
    client: TestClient, shop_env: Path
) -> None:
    good = jsonl(catalog_slice()[:2]).encode()
    (shop_env / "deep.jsonl").write_bytes(good + b"[" * 1000 + b"]" * 1000 + b"\n")
    response = client.post("/load_data", json={"source": "deep.jsonl"})
    assert response.status_code == 422
    assert "line 3: nested 1000 levels deep" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status", "problem"),
    [
        (b"[" * 5000, 400, "the body is nested 5000 levels deep"),
        (b'{"prompt": "caf\xe9"}', 400, "the body is not UTF-8 text (byte 16)"),
        (b'{"prompt": "x", "stream": NaN}', 400, "NaN is not a JSON number"),
        (b'["prompt", "boots"]', 400, "must be a JSON object"),
        (b'{"prompt": "' + b"x" * MAX_BODY_BYTES + b'"}', 413, ""),
    ],
)
def test_a_hostile_body_is_refused_before_it_is_parsed(
    client: TestClient, body: bytes, status: int, problem: str
) -> None:
    response = client.post("/generate", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert problem in response.text


def test_a_malformed_history_item_is_skipped_and_the_session_goes_on(shop: TestClient) -> None:
    first = shop.post("/generate", json={"prompt": "Waterproof hiking boots under $150?"})
    session = first.json()["session_id"]
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    dynamodb.put_item(
        TableName=TABLE,
        Item={"sessionId": {"S": session}, "turn": {"N": "3"}, "role": {"S": "user"}},
    )
    for _ in range(2):
        again = shop.post("/generate", json={"prompt": "Any in size 44?", "session_id": session})
        assert again.status_code == 200, again.text
        assert "hiking boots" in again.json()["search_query"].lower()


def test_ten_concurrent_questions_of_one_session_all_get_and_keep_their_answers(
    shop: TestClient,
) -> None:
    session = shop.post("/generate", json={"prompt": "Hiking boots?"}).json()["session_id"]
    start = threading.Barrier(10)

    def ask(n: int) -> tuple[int, dict]:
        start.wait()
        response = shop.post(
            "/generate", json={"prompt": f"Boots number {n} under $200?", "session_id": session}
        )
        return response.status_code, response.json()

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(ask, range(10)))
    assert [status for status, _ in results] == [200] * 10, results
    items = boto3.client("dynamodb", region_name="us-east-1").query(
        TableName=TABLE,
        KeyConditionExpression="sessionId = :s",
        ExpressionAttributeValues={":s": {"S": session}},
    )["Items"]
    turns = [(int(i["turn"]["N"]), i["role"]["S"], i["content"]["S"]) for i in items]
    assert [number for number, _, _ in turns] == list(range(1, 23))
    # Each question is followed by its own answer: no pair is split by another request's turn.
    pairs = list(zip(turns[2::2], turns[3::2], strict=True))
    assert all(q[1] == "user" and a[1] == "assistant" for q, a in pairs)
    asked = {
        (f"Boots number {n} under $200?", body["answer"]) for n, (_, body) in enumerate(results)
    }
    assert {(q[2], a[2]) for q, a in pairs} == asked
