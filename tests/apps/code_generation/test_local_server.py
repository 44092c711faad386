"""`python -m code_generation serve` end to end over HTTP, on a moto server as local mode runs it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from code_generation import client
from code_generation.local_server import LOCAL_CALLER, api_event, make_server
from moto.server import ThreadedMotoServer

from tests.fakes.serving import serving

BUCKET = "genai-local-generated-code"


@pytest.fixture(scope="module")
def local_api() -> Iterator[str]:
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "CHAT_", "CODE_", "GUARDRAIL_"))
    }
    # moto accepts any credentials; like local mode's, these never leave this machine.
    env.update({"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"})
    env.update(
        AWS_ENDPOINT_URL=f"http://{host}:{port}",
        AWS_REGION="us-east-1",
        CODE_BUCKET=BUCKET,
        CHAT_PROVIDER="offline",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "code_generation", "serve", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    first = server.stdout.readline()
    assert first.startswith("Code generation: http://127.0.0.1:"), first
    try:
        yield first.split(": ", 1)[1].strip().rstrip("/")
    finally:
        server.terminate()
        server.wait(timeout=10)
        moto.stop()


def fetch(url: str, body: dict[str, Any] | None = None, method: str = "GET") -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    request = Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urlopen(request, timeout=10) as reply:
            return reply.status, reply.read().decode()
    except HTTPError as error:
        return error.code, error.read().decode()


def test_health_and_page(local_api: str) -> None:
    assert fetch(f"{local_api}/healthz") == (200, "ok\n")
    status, page = fetch(f"{local_api}/")
    assert status == 200
    for text in (
        "<h1>Code generation</h1>",
        "Instruction",
        "Language",
        "Generate code",
        "Download",
        # The page session's token count, before any request (the browser test sees it grow).
        '<p id="tokens">Tokens used in this session: 0</p>',
    ):
        assert text in page
    assert '<option value="go">go</option>' in page and "textContent" in page


def test_an_unsigned_call_generates_stores_and_links(local_api: str) -> None:
    status, text = fetch(
        f"{local_api}/code-generation",
        {"instruction": "<b>fizz</b> buzz", "language": "python"},
        "POST",
    )
    assert status == 200, text
    body = json.loads(text)
    assert (
        body["code"].startswith("# [offline stand-in, no model]") and "<b>fizz</b>" in body["code"]
    )
    # The link points at the local S3 endpoint and downloads the stored code.
    status, downloaded = fetch(body["download_url"])
    assert status == 200 and downloaded == body["code"]


def test_bad_input_is_refused_over_http(local_api: str) -> None:
    status, text = fetch(
        f"{local_api}/code-generation", {"instruction": "x", "language": "cobol"}, "POST"
    )
    assert status == 400 and json.loads(text)["problems"][0]["field"] == "language"


def test_the_client_works_against_it(local_api: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{local_api}/code-generation"
    assert client.main(["reverse a linked list", "--language", "go", "--url", url]) == 0
    captured = capsys.readouterr()
    assert "// reverse a linked list" in captured.out and "stored as generated/" in captured.err


def test_events_carry_the_local_identity_and_a_signed_calls_key() -> None:
    event = api_event(
        "POST",
        "/code-generation?x=1",
        {
            "Host": "127.0.0.1:8504",
            "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20261123/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00",
        },
        b'{"a": 1}',
        "127.0.0.1",
    )
    iam = event["requestContext"]["authorizer"]["iam"]
    assert iam["userArn"] == LOCAL_CALLER and iam["accessKey"] == "testing"
    assert event["rawPath"] == "/code-generation" and event["rawQueryString"] == "x=1"
    assert event["headers"]["host"] == "127.0.0.1:8504" and event["body"] == '{"a": 1}'
    binary = api_event("POST", "/code-generation", {}, b"\xff\xfe", "127.0.0.1")
    assert binary["isBase64Encoded"] is True


def raw_exchange(base: str, request: bytes, wait: float = 10.0) -> bytes:
    """Send ``request`` as is and read until the server closes the connection."""
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(base)
    with socket.create_connection((url.hostname, url.port), timeout=wait) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("length", ["ten", "-5", "1e3", "²"])
def test_a_bad_content_length_gets_400_and_the_server_keeps_serving(
    local_api: str, length: str
) -> None:
    answer = raw_exchange(
        local_api,
        f"POST /code-generation HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n{{}}".encode(),
    )
    assert answer.startswith(b"HTTP/1.0 400") or answer.startswith(b"HTTP/1.1 400"), answer[:80]
    assert b"Content-Length must be a number" in answer
    assert fetch(f"{local_api}/healthz") == (200, "ok\n")


def test_a_body_cut_short_is_not_processed_and_the_server_keeps_serving(local_api: str) -> None:
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(local_api)
    with socket.create_connection((url.hostname, url.port), timeout=10) as connection:
        connection.sendall(
            b"POST /code-generation HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n"
            b'{"instruction": "half'
        )
        connection.shutdown(socket.SHUT_WR)
        assert connection.recv(65536) == b""
    assert fetch(f"{local_api}/healthz") == (200, "ok\n")


@pytest.fixture
def in_process() -> Iterator[Callable[..., tuple[str, int]]]:
    """Starts make_server(...) on a free port in this process; stops what it started."""
    with ExitStack() as started:

        def start(**limits: Any) -> tuple[str, int]:
            server = started.enter_context(serving(make_server("127.0.0.1", 0, **limits)))
            return server.server_address[:2]

        yield start


def test_a_trickling_request_is_dropped_at_the_deadline(
    in_process: Callable[..., tuple[str, int]],
) -> None:
    address = in_process(request_deadline=0.5)
    with socket.create_connection(address, timeout=5) as connection:
        connection.sendall(b"POST /code-generation HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        closed = False
        # One header byte every 0.1 s: each read gets data long before the 30 s idle timeout, so
        # a close within 5 s (ten times the deadline, for a busy machine) is the deadline's.
        while time.monotonic() - started < 5 and not closed:
            try:
                connection.sendall(b"X")
                connection.settimeout(0.1)
                closed = connection.recv(1024) == b""
            except TimeoutError:
                continue
            except OSError:
                closed = True
        assert closed


def test_connections_past_the_limit_get_a_503_at_once(
    in_process: Callable[..., tuple[str, int]],
) -> None:
    address = in_process(max_connections=2)
    held = [socket.create_connection(address, timeout=5) for _ in range(2)]
    try:
        # Both slots are taken once the server has accepted them: wait for a third to be refused.
        with socket.create_connection(address, timeout=5) as extra:
            reply = extra.recv(1024)
        assert reply.startswith(b"HTTP/1.1 503") and b"Retry-After: 1" in reply
    finally:
        for connection in held:
            connection.close()
    status, _ = fetch_when_served(f"http://{address[0]}:{address[1]}/healthz")
    assert status == 200


def fetch_when_served(url: str) -> tuple[int, str]:
    """The server frees the held slots as it notices the closed connections."""
    deadline = time.monotonic() + 5
    while True:
        status, text = fetch(url)
        if status != 503 or time.monotonic() > deadline:
            return status, text


def test_the_openapi_document_describes_the_api(in_process: Callable[..., tuple[str, int]]) -> None:
    host, port = in_process()
    status, text = fetch(f"http://{host}:{port}/openapi.json")
    document = json.loads(text)
    assert status == 200 and document["openapi"].startswith("3.")
    post = document["paths"]["/code-generation"]["post"]
    assert {"200", "400", "429", "503", "504"} <= set(post["responses"])
    request = document["components"]["schemas"]["CodeRequest"]
    assert request["required"] == ["instruction", "language"]
