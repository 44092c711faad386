"""The API end to end in local mode: loading, answering with history, streaming, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
from fastapi.testclient import TestClient
from genai_common.offline import OFFLINE_LABEL

from tests.apps.shop_rag.conftest import TABLE, catalog_slice, jsonl


def events(body: str) -> list[tuple[str, str]]:
    """(event, data) pairs of a server-sent event stream, data lines joined as the spec says."""
    parsed = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                data.append(line.removeprefix("data: "))
        if data:
            parsed.append((name, "\n".join(data)))
    return parsed


def serves(client: TestClient) -> bool:
    return client.get("/healthz").status_code == 200


def test_health_reports_the_collection_and_its_size(client: TestClient) -> None:
    client.app.state.services.model.ready.wait()  # type: ignore[attr-defined]
    assert client.get("/healthz").json() == {
        "status": "ok",
        "collection": "myretail-products",
        "products": 0,
        "catalog": {"state": "none", "source": None, "done": 0, "total": 0},
    }


def test_loading_twice_stores_each_product_once_and_skips_the_unchanged(
    client: TestClient, shop_env: Path
) -> None:
    records = catalog_slice()[:12]
    (shop_env / "small.jsonl").write_text(jsonl(records))
    first = client.post("/load_data", json={"source": "small.jsonl", "batch_size": 5})
    assert first.status_code == 200
    assert first.json() == {
        "collection": "myretail-products",
        "read": 12,
        "upserted": 12,
        "unchanged": 0,
        "products": 12,
    }
    again = client.post("/load_data", json={"source": "small.jsonl"}).json()
    assert (again["upserted"], again["unchanged"], again["products"]) == (0, 12, 12)

    records[3] = {**records[3], "price": records[3]["price"] + 10}
    (shop_env / "small.jsonl").write_text(jsonl([*records, {**records[0], "product_id": "NEW1"}]))
    changed = client.post("/load_data", json={"source": "small.jsonl"}).json()
    assert (changed["read"], changed["upserted"], changed["unchanged"]) == (13, 2, 11)
    assert changed["products"] == 13
    assert client.get("/healthz").json()["products"] == 13


def test_progress_streams_as_json_lines_then_the_summary(
    client: TestClient, shop_env: Path
) -> None:
    (shop_env / "small.jsonl").write_text(jsonl(catalog_slice()[:7]))
    response = client.post(
        "/load_data",
        json={"source": "small.jsonl", "batch_size": 3},
        headers={"Accept": "application/x-ndjson"},
    )
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [line["done"] for line in lines[:-1]] == [3, 6, 7]
    assert lines[-1] == {
        "collection": "myretail-products",
        "read": 7,
        "upserted": 7,
        "unchanged": 0,
        "products": 7,
    }


def test_an_answer_cites_retrieved_products_and_the_turns_are_stored(shop: TestClient) -> None:
    response = shop.post("/generate", json={"prompt": "men's waterproof hiking boots under $150"})
    assert response.status_code == 200
    body = response.json()
    assert body["answer"].startswith(OFFLINE_LABEL)
    assert len(body["sources"]) == 4
    assert set(body["sources"][0]) == {
        *("product_id", "name", "brand", "category", "price", "colors", "sizes", "stock")
    }
    assert all(s["price"] < 150 for s in body["sources"])
    assert all("Hiking Boot" in s["name"] for s in body["sources"][:2])
    items = boto3.client("dynamodb", region_name="us-east-1").query(
        TableName=TABLE,
        KeyConditionExpression="sessionId = :s",
        ExpressionAttributeValues={":s": {"S": body["session_id"]}},
    )["Items"]
    assert [(i["turn"]["N"], i["role"]["S"]) for i in items] == [("1", "user"), ("2", "assistant")]
    assert items[1]["content"]["S"] == body["answer"]
    assert all(int(i["expiresAt"]["N"]) > 0 for i in items)


def test_a_narrowing_follow_up_filters_the_products_shown_and_names_them(
    shop: TestClient,
) -> None:
    """ "Do any of those come in size 46?" is about the four products shown: the answer keeps
    those of them that come in 46, in the order shown, and names each one."""
    first = shop.post("/generate", json={"prompt": "Men's waterproof hiking boots under $150?"})
    shown = first.json()["sources"]
    session = first.json()["session_id"]
    follow_up = {"prompt": "Do any of those come in size 46?", "session_id": session}
    body = shop.post("/generate", json=follow_up).json()
    assert body["session_id"] == session
    expected = [s["product_id"] for s in shown if "46" in s["sizes"]]
    assert expected, "the slice no longer has a men's boot in 46 among the four shown"
    assert [s["product_id"] for s in body["sources"]] == expected
    lead = body["answer"].split("\n\n")[0]
    verb = "matches" if len(expected) == 1 else "match"
    assert lead.startswith(f"{len(expected)} of the {len(shown)} products shown before {verb}")
    assert all(s["name"] in lead for s in body["sources"])
    # What was shown is stored with the answer, so the narrowing survives a restart.
    items = boto3.client("dynamodb", region_name="us-east-1").query(
        TableName=TABLE,
        KeyConditionExpression="sessionId = :s",
        ExpressionAttributeValues={":s": {"S": session}},
    )["Items"]
    stored = [[p["S"] for p in i.get("products", {}).get("L", [])] for i in items]
    assert stored == [[], [s["product_id"] for s in shown], [], expected]

    # Narrowing again narrows the narrowed set; a limit none of them meets empties it.
    again = {"prompt": "Which of them are in size 99?", "session_id": session}
    body = shop.post("/generate", json=again).json()
    assert body["sources"] == []
    assert body["answer"].startswith(f"None of the {len(expected)} products shown before")

    alone = shop.post("/generate", json={"prompt": "Do any of those come in size 46?"}).json()
    assert alone["search_query"] == "Do any of those come in size 46?"


def test_a_follow_up_that_changes_the_audience_searches_again_for_that_audience(
    shop: TestClient,
) -> None:
    first = shop.post("/generate", json={"prompt": "Women's hiking boots under $150"}).json()
    assert first["sources"] and all("Women's" in s["name"] for s in first["sources"])
    follow_up = {"prompt": "What about for men?", "session_id": first["session_id"]}
    body = shop.post("/generate", json=follow_up).json()
    assert body["search_query"].startswith("What about for men?")
    assert body["sources"]
    for source in body["sources"]:
        assert "Men's" in source["name"] and "Hiking Boot" in source["name"]
        assert source["price"] < 150


def test_colour_and_kind_are_read_from_the_question(shop: TestClient) -> None:
    body = shop.post("/generate", json={"prompt": "A black hiking boot under $150"}).json()
    assert body["sources"]
    for source in body["sources"]:
        assert "black" in source["colors"] and "Hiking Boot" in source["name"]
        assert source["price"] < 150


def test_streaming_sends_sources_then_tokens_then_done(shop: TestClient) -> None:
    prompt = "Waterproof hiking boots for men in size 44"
    plain = shop.post("/generate", json={"prompt": prompt}).json()
    response = shop.post("/generate", json={"prompt": prompt, "stream": True})
    assert response.headers["content-type"].startswith("text/event-stream")
    stream = events(response.text)
    names = [name for name, _ in stream]
    assert names[0] == "sources" and names[-1] == "done"
    assert set(names[1:-1]) == {"token"} and len(names) > 4
    assert json.loads(stream[0][1]) == plain["sources"]
    assert "".join(data for name, data in stream if name == "token") == plain["answer"]
    session = json.loads(stream[-1][1])["session_id"]
    again = shop.post("/generate", json={"prompt": "Any in black?", "session_id": session})
    assert "hiking boots" in again.json()["search_query"].lower()


def test_generating_before_any_load_says_what_to_do(client: TestClient) -> None:
    response = client.post("/generate", json={"prompt": "hiking boots"})
    assert response.status_code == 503
    assert "POST /load_data" in response.json()["detail"]


def test_bad_requests_are_4xx_with_a_message_and_the_service_keeps_serving(
    shop: TestClient,
) -> None:
    cases = [
        ({"prompt": ""}, 422, "prompt: String should have at least 1 character"),
        ({"prompt": "   \n"}, 422, "prompt: the prompt is blank"),
        ({"prompt": "x" * 4001}, 422, "prompt: String should have at most 4000 characters"),
        ({"prompt": "hi", "session_id": "../x"}, 422, "session_id: String should match"),
        ({"prompt": "hi", "stream": "yes"}, 422, "stream: Input should be a valid boolean"),
        ({"prompt": "hi", "promt": "typo"}, 422, "promt: Extra inputs are not permitted"),
        ({}, 422, "prompt: Field required"),
        ([], 400, "the body must be a JSON object"),
    ]
    for body, status, message in cases:
        response = shop.post("/generate", json=body)
        assert response.status_code == status, body
        assert message in response.json()["detail"], response.json()
    malformed = shop.post(
        "/generate", content=b'{"prompt": ', headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 400
    assert malformed.json()["detail"].startswith("the body is not valid JSON")
    assert shop.post("/generate", json={"prompt": "hiking boots"}).status_code == 200


def test_bad_sources_are_refused_before_anything_is_read(
    shop: TestClient, shop_env: Path, tmp_path: Path
) -> None:
    (tmp_path / "secret.jsonl").write_text(jsonl(catalog_slice()[:1]))
    (shop_env / "escape.jsonl").symlink_to(tmp_path / "secret.jsonl")
    cases = [
        ("../secret.jsonl", 400, "'..'"),
        ("/etc/passwd", 400, "relative to CATALOG_DIR"),
        ("escape.jsonl", 400, "leads out of CATALOG_DIR"),
        ("sub\\..\\x", 400, "backslashes"),
        ("missing.jsonl", 404, "no catalog file missing.jsonl"),
        ("https://example.com/c.jsonl", 400, "s3://<bucket>/<key>"),
        ("s3://other-bucket/catalog/c.jsonl", 400, "s3://genai-test-model-assets/catalog/"),
        ("s3://genai-test-model-assets/secrets/c.jsonl", 400, "must start with"),
        ("s3://genai-test-model-assets/catalog/../x", 400, "'..'"),
        ("s3://genai-test-model-assets/catalog/", 400, "names a folder"),
        ("", 422, "source: String should have at least 1 character"),
    ]
    before = shop.get("/healthz").json()["products"]
    for source, status, message in cases:
        response = shop.post("/load_data", json={"source": source})
        assert response.status_code == status, source
        assert message in response.json()["detail"], (source, response.json())
    assert (
        shop.post("/load_data", json={"source": "slice.jsonl", "batch_size": 0}).status_code == 422
    )
    assert shop.get("/healthz").json()["products"] == before


def test_a_malformed_catalog_is_refused_whole_with_every_bad_line(
    shop: TestClient, shop_env: Path
) -> None:
    good = catalog_slice()[:3]
    lines = [
        json.dumps({**good[0], "product_id": "FRESH1"}),
        "{not json",
        json.dumps({**good[1], "price": -1, "product_id": "FRESH2"}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({**good[2], "product_id": "FRESH1"}),
    ]
    (shop_env / "bad.jsonl").write_text("\n".join(lines) + "\n")
    before = shop.get("/healthz").json()["products"]
    response = shop.post("/load_data", json={"source": "bad.jsonl"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("bad.jsonl was not loaded: 4 bad lines: line 2: not valid JSON")
    assert "line 3: price: Input should be greater than or equal to 0" in detail
    assert "line 5: a JSON list, not an object" in detail
    assert "line 6: product_id FRESH1 repeats line 1" in detail
    assert shop.get("/healthz").json()["products"] == before
    assert shop.post("/generate", json={"prompt": "hiking boots"}).status_code == 200


def test_an_unreachable_qdrant_makes_health_503(aws: None, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("QDRANT_PATH")
    monkeypatch.setenv("QDRANT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_READ_TIMEOUT", "2")
    from shop_rag.app import create_app

    with TestClient(create_app()) as client:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["status"] == "unavailable"
        assert "Qdrant could not be reached" in response.json()["detail"]
        generate = client.post("/generate", json={"prompt": "boots"})
        assert generate.status_code == 503
