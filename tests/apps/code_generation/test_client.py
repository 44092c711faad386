"""The terminal client: SigV4 for execute-api, the URL from SSM, and clear failures."""

from __future__ import annotations

import json
import re
from email.message import Message
from pathlib import Path
from typing import Any

import boto3
import pytest
from code_generation import client
from moto import mock_aws

from tests.fakes.json_server import serve_json

OK = {
    "code": "package main\n",
    "language": "go",
    "model": "Claude Haiku 4.5",
    "s3_key": "generated/2026/11/23/abc.go",
    "download_url": "https://bucket.s3.amazonaws.com/generated/2026/11/23/abc.go?X-Amz-Signature=x",
    "request_id": "abc",
}
SIGV4 = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=testing/\d{8}/(?P<region>[a-z0-9-]+)/execute-api/aws4_request, "
    r"SignedHeaders=(?P<signed>[a-z0-9;-]+), Signature=[0-9a-f]{64}$"
)


def _recording(status: int, payload: dict[str, Any], seen: list[tuple[str, Message, bytes]]):  # type: ignore[no-untyped-def]
    def answer(method: str, path: str, headers: Message, body: bytes) -> tuple[int, dict[str, Any]]:
        seen.append((f"{method} {path}", headers, body))
        return status, payload

    return answer


def test_the_call_is_signed_for_execute_api(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seen: list[tuple[str, Message, bytes]] = []
    out = tmp_path / "reverse.go"
    with serve_json(_recording(200, OK, seen)) as base:
        code = client.main(
            [
                "reverse a linked list",
                "--language",
                "go",
                "--url",
                f"{base}/code-generation",
                "--out",
                str(out),
            ]
        )
    assert code == 0
    request, headers, body = seen[0]
    assert request == "POST /code-generation"
    assert json.loads(body) == {"instruction": "reverse a linked list", "language": "go"}
    signature = SIGV4.match(headers["Authorization"])
    assert signature, headers["Authorization"]
    assert signature["region"] == "us-east-1"
    assert {"host", "x-amz-date"} <= set(signature["signed"].split(";"))
    captured = capsys.readouterr()
    assert captured.out == "package main\n" and out.read_text() == "package main\n"
    assert "generated/2026/11/23/abc.go" in captured.err and "download" in captured.err


def test_the_region_comes_from_the_execute_api_host() -> None:
    session = boto3.session.Session(region_name="us-east-1")
    url = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/code-generation"
    assert client.region_for(url, session) == "eu-west-1"
    assert (
        SIGV4.match(client.signed_headers(url, b"{}", session)["Authorization"])["region"]
        == "eu-west-1"
    )  # type: ignore[index]


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.usefixtures("no_credentials")
def test_missing_credentials_are_explained(capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/code-generation"
    assert client.main(["x", "--language", "go", "--url", url]) == 2
    assert "No AWS credentials" in capsys.readouterr().err


@pytest.mark.usefixtures("no_credentials")
def test_local_mode_takes_an_unsigned_call() -> None:
    seen: list[tuple[str, Message, bytes]] = []
    with serve_json(_recording(200, OK, seen)) as base:
        assert client.main(["x", "--language", "go", "--url", f"{base}/code-generation"]) == 0
    assert "Authorization" not in seen[0][1]


@pytest.mark.parametrize(
    ("status", "payload", "phrases"),
    [
        (
            400,
            {
                "error": "the request is not valid",
                "problems": [{"field": "language", "message": "bad"}],
            },
            ["failed (400)", "language: bad"],
        ),
        (401, {"error": "this API needs an IAM identity"}, ["refused (401)", "execute-api:Invoke"]),
        (403, {"message": "Forbidden"}, ["refused (403)", "Forbidden"]),
        (
            429,
            {"error": "Bedrock is throttling"},
            ["throttled (429)", "Try again in a few seconds"],
        ),
        (504, {"error": "The model did not finish within 25 s"}, ["timed out (504)", "25 s"]),
    ],
)
def test_failures_are_explained(
    capsys: pytest.CaptureFixture[str], status: int, payload: dict[str, Any], phrases: list[str]
) -> None:
    with serve_json(_recording(status, payload, [])) as base:
        assert client.main(["x", "--language", "go", "--url", f"{base}/code-generation"]) == 1
    err = capsys.readouterr().err
    assert all(phrase in err for phrase in phrases), err


def test_retry_after_is_quoted() -> None:
    reply = client.Reply(429, {"Retry-After": "10"}, {"error": "throttled"})
    assert "Try again in 10 seconds" in client.explain_failure(reply)


def test_an_unreachable_url_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        client.main(["x", "--language", "go", "--url", "http://127.0.0.1:9/code-generation"]) == 2
    )
    assert "could not be reached" in capsys.readouterr().err


def test_the_url_comes_from_the_stacks_ssm_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[tuple[str, Message, bytes]] = []
    with serve_json(_recording(200, OK, seen)) as base, mock_aws():
        boto3.client("ssm", region_name="us-east-1").put_parameter(
            Name="/genai/dev/bedrock/code-generation-url",
            Value=f"{base}/code-generation",
            Type="String",
        )
        assert client.main(["x", "--language", "go", "--env", "dev"]) == 0
        assert client.main(["x", "--language", "go", "--env", "staging"]) == 2
    assert seen[0][0] == "POST /code-generation"
    assert "/genai/staging/bedrock/code-generation-url does not exist" in capsys.readouterr().err
