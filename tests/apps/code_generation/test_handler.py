"""The handler on real API Gateway v2 events, the offline model and moto's S3."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests
from code_generation import handler
from code_generation.languages import Language
from code_generation.model import Answer
from code_generation.request import MAX_BODY_BYTES, MAX_INSTRUCTION_CHARS

from .conftest import BUCKET, invoke
from .events import CALLER, event, fixture


def test_generates_stores_and_links_the_code(s3: Any) -> None:
    status, headers, body = invoke(event())
    assert status == 200 and headers["content-type"] == "application/json"
    assert set(body) == {
        "code",
        "language",
        "model",
        "s3_key",
        "download_url",
        "download_url_expires_at",
        "request_id",
        "usage",
    }
    assert body["language"] == "go" and body["model"] == "Offline stand-in (no model)"
    assert body["code"].startswith("// [offline stand-in, no model]")
    assert "// reverse a linked list" in body["code"]
    key = body["s3_key"]
    assert key.startswith("generated/") and key.endswith(f"/{body['request_id']}.go")
    stored = s3.get_object(Bucket=BUCKET, Key=key)
    assert stored["Body"].read().decode() == body["code"]
    assert stored["ContentType"] == "text/plain; charset=utf-8"
    assert stored["Metadata"] == {
        "language": "go",
        "model": "Offline stand-in (no model)",
        "model-id": "offline",
        "requested-by": CALLER,
        "request-id": body["request_id"],
    }
    url = body["download_url"]
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in url and "X-Amz-Expires=900" in url
    downloaded = requests.get(url, timeout=5)  # moto answers the presigned URL
    assert downloaded.status_code == 200 and downloaded.text == body["code"]


def test_each_request_gets_its_own_object(s3: Any) -> None:
    keys = {invoke(event())[2]["s3_key"] for _ in range(3)}
    assert len(keys) == 3
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 3


@pytest.mark.parametrize("name", ["named_stage", "base64_body"])
def test_stage_paths_and_base64_bodies_are_understood(s3: Any, name: str) -> None:
    status, _, body = invoke(fixture(name))
    assert status == 200, body


def test_language_is_case_insensitive_and_the_model_is_picked_by_label(s3: Any) -> None:
    status, _, body = invoke(
        event(
            {
                "instruction": "hello world",
                "language": " Python ",
                "model": "offline stand-in (no model)",
            }
        )
    )
    assert status == 200 and body["language"] == "python"
    assert body["s3_key"].endswith(".py") and body["code"].startswith("# [offline")


def test_the_seeds_body_on_put_is_refused_with_every_problem(s3: Any) -> None:
    status, _, body = invoke(fixture("put_seed_body"))
    assert status == 400 and body["error"] == "the request is not valid"
    assert {p["field"] for p in body["problems"]} == {"instruction", "language", "message", "key"}


def test_unauthenticated_events_are_refused(s3: Any) -> None:
    status, _, body = invoke(fixture("unauthenticated"))
    assert status == 401 and "SigV4" in body["error"]
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


@pytest.mark.parametrize(
    ("body", "field", "phrase"),
    [
        ("{not json", "body", "not valid JSON"),
        ('["a list"]', "body", "JSON object"),
        ('"a string"', "body", "JSON object"),
        ({"instruction": "x", "language": "cobol"}, "language", "must be one of python"),
        ({"instruction": "", "language": "go"}, "instruction", "at least 1 character"),
        ({"instruction": " \n\t ", "language": "go"}, "instruction", "at least 1 character"),
        (
            {"instruction": "x" * (MAX_INSTRUCTION_CHARS + 1), "language": "go"},
            "instruction",
            "at most 4000 characters",
        ),
        ({"instruction": "rm\x00rf", "language": "go"}, "instruction", "U+0000"),
        ({"instruction": "bell\x07", "language": "go"}, "instruction", "U+0007"),
        ({"instruction": "esc\x1b[31m", "language": "go"}, "instruction", "U+001B"),
        ({"instruction": 42, "language": "go"}, "instruction", "valid string"),
        ({"language": "go"}, "instruction", "Field required"),
        ({"instruction": "x", "language": "go", "model": "gpt-9"}, "model", "catalog"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    s3: Any, body: dict[str, Any] | str, field: str, phrase: str
) -> None:
    status, _, answer = invoke(event(body))
    assert status == 400, answer
    assert any(p["field"] == field and phrase in p["message"] for p in answer["problems"]), answer


def test_line_breaks_and_tabs_are_ordinary_text(s3: Any) -> None:
    status, _, body = invoke(event({"instruction": "a\r\n\tb", "language": "bash"}))
    assert status == 200 and "# \tb" in body["code"]


def test_an_oversized_body_is_a_413_before_parsing(s3: Any) -> None:
    status, _, body = invoke(event("x" * (MAX_BODY_BYTES + 1)))
    assert status == 413 and "32 KiB" in body["error"]


def test_a_body_that_is_not_json_is_a_415(s3: Any) -> None:
    status, _, body = invoke(event("hello", headers={"content-type": "text/plain"}))
    assert status == 415 and "application/json" in body["error"]


def test_an_unknown_route_is_a_404(s3: Any) -> None:
    built = event()
    built["rawPath"] = built["requestContext"]["http"]["path"] = "/generate"
    status, _, body = invoke(built)
    assert status == 404 and "POST /code-generation" in body["error"]


def test_the_deadline_answers_504_and_stores_nothing(
    s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered, finished = threading.Event(), threading.Event()

    def slow(model_id: str, instruction: str, language: Language) -> Answer:
        # Answers only once the handler has answered the caller (bounded, should it never).
        answered.wait(10)
        finished.set()
        return Answer("```go\nfunc main() {}\n```", "end_turn")

    monkeypatch.setenv("DEADLINE_SECONDS", "0.3")
    monkeypatch.setattr(handler, "code_model", lambda settings, timeout: slow)
    handler.service.cache_clear()
    status, _, body = invoke(event())
    assert not finished.is_set()  # the deadline answered, not the model (on a busy machine too)
    assert status == 504 and "did not finish within" in body["error"]
    answered.set()
    # The abandoned call ends with an answer; its result must not be stored.
    for thread in threading.enumerate():
        if thread.name == "code-generation-work":
            thread.join(10)
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_a_missing_bucket_is_a_502_not_a_crash(s3: Any) -> None:
    s3.delete_bucket(Bucket=BUCKET)
    status, _, body = invoke(event())
    assert status == 502 and "could not be stored" in body["error"]


def test_a_wrong_setting_is_named(s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEADLINE_SECONDS", "45")
    handler.service.cache_clear()
    status, _, body = invoke(event())
    assert status == 500 and "unexpected" in body["error"]
    with pytest.raises(Exception, match="DEADLINE_SECONDS"):
        handler.service()
