"""The API on a local port: each HTTP request becomes an API Gateway HTTP API (payload 2.0)
event, with a local IAM identity, for the same ``lambda_handler`` the Lambda runs.

Signatures are not checked (there is no IAM here): signed and unsigned calls both pass as
the local developer, and a signed call's access key id is passed on as API Gateway would.
``GET /openapi.json`` serves the API's OpenAPI document (openapi.json beside this module).

A connection must deliver its whole request within REQUEST_DEADLINE_SECONDS, however slowly
it trickles it, and at most MAX_CONNECTIONS are served at once; others get a 503 at once.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import threading
import uuid
from contextlib import suppress
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from code_generation.handler import lambda_handler
from code_generation.lambda_context import LocalContext
from code_generation.page import render_page
from code_generation.request import MAX_INSTRUCTION_CHARS

LOCAL_ACCOUNT = "000000000000"
LOCAL_CALLER = f"arn:aws:iam::{LOCAL_ACCOUNT}:user/local-developer"
# API Gateway's own payload limit: past it, the request never reaches the function.
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
# Ample for any client on this machine; a client slower than this is holding a thread hostage.
REQUEST_DEADLINE_SECONDS = 10.0
MAX_CONNECTIONS = 32
_BUSY_BODY = json.dumps({"message": "too many connections; try again"}).encode()
_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
    b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(_BUSY_BODY), _BUSY_BODY)
)
_ACCESS_KEY = re.compile(r"Credential=([A-Za-z0-9]+)/")
OPENAPI = Path(__file__).with_name("openapi.json")


def api_event(
    method: str,
    target: str,
    headers: dict[str, str],
    body: bytes,
    source_ip: str,
) -> dict[str, Any]:
    """The event API Gateway would send for this request (IAM authorization, $default stage)."""
    url = urlsplit(target)
    headers = {name.lower(): value for name, value in headers.items()}
    signed = _ACCESS_KEY.search(headers.get("authorization", ""))
    now = datetime.now(UTC)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": url.path,
        "rawQueryString": url.query,
        "headers": headers,
        "requestContext": {
            "accountId": LOCAL_ACCOUNT,
            "apiId": "local",
            "authorizer": {
                "iam": {
                    "accessKey": signed.group(1) if signed else "local",
                    "accountId": LOCAL_ACCOUNT,
                    "callerId": "local-developer",
                    "cognitoIdentity": None,
                    "principalOrgId": None,
                    "userArn": LOCAL_CALLER,
                    "userId": "local-developer",
                }
            },
            "domainName": headers.get("host", "127.0.0.1"),
            "domainPrefix": "local",
            "http": {
                "method": method,
                "path": url.path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": base64.b64encode(uuid.uuid4().bytes[:10]).decode(),
            "routeKey": "$default",
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if body:
        try:
            event["body"] = body.decode()
        except UnicodeDecodeError:
            event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
    return event


class _Handler(BaseHTTPRequestHandler):
    server_version = "code-generation-local"
    # A client that stops reading or writing altogether loses its connection after this many
    # seconds of silence (the request deadline covers one that trickles).
    timeout = 30
    server: LocalServer

    def handle_one_request(self) -> None:
        # The request line, headers and body must all arrive before the deadline: a watchdog
        # shuts the socket then, which ends any read still waiting on it.
        self.expired = threading.Event()
        watchdog = threading.Timer(self.server.request_deadline, self._expire)
        watchdog.daemon = True
        self.watchdog = watchdog
        watchdog.start()
        try:
            super().handle_one_request()
        finally:
            watchdog.cancel()

    def _expire(self) -> None:
        self.expired.set()
        self.close_connection = True
        with suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, format: str, *args: Any) -> None:
        print(f"{self.address_string()} {format % args}", flush=True)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, status: HTTPStatus, message: str) -> None:
        # As API Gateway answers what never reaches the function; the connection is not reused,
        # since the body, if any, was not read.
        self.close_connection = True
        body = json.dumps({"message": message}).encode()
        self._send(status, body, {"Content-Type": "application/json", "Connection": "close"})

    def _serve(self) -> None:
        if self.expired.is_set():
            return  # the headers were cut short by the deadline: nobody is listening
        path = urlsplit(self.path).path
        if self.command in ("GET", "HEAD") and path == "/openapi.json":
            self._send(200, OPENAPI.read_bytes(), {"Content-Type": "application/json"})
            return
        if self.command in ("GET", "HEAD") and path == "/":
            page = render_page(MAX_INSTRUCTION_CHARS).encode()
            self._send(200, page, {"Content-Type": "text/html; charset=utf-8"})
            return
        if self.command in ("GET", "HEAD") and path == "/healthz":
            self._send(200, b"ok\n", {"Content-Type": "text/plain"})
            return
        declared = self.headers.get("Content-Length") or "0"
        if not (declared.isascii() and declared.isdigit()):
            self._refuse(HTTPStatus.BAD_REQUEST, "Content-Length must be a number of bytes")
            return
        length = int(declared)
        if length > MAX_PAYLOAD_BYTES:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "Request Entity Too Large")
            return
        try:
            body = self.rfile.read(length) if length else b""
        except TimeoutError:
            body = b""
        self.watchdog.cancel()
        if len(body) < length or self.expired.is_set():
            # The client hung up, went silent or missed the deadline before its body was whole.
            self.close_connection = True
            return
        event = api_event(self.command, self.path, dict(self.headers), body, self.client_address[0])
        response = lambda_handler(event, LocalContext(timeout_seconds=30.0))
        payload = response.get("body") or ""
        data = base64.b64decode(payload) if response.get("isBase64Encoded") else payload.encode()
        headers = {str(k): str(v) for k, v in (response.get("headers") or {}).items()}
        self._send(int(response["statusCode"]), data, headers)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _serve


class LocalServer(ThreadingHTTPServer):
    """A thread per connection, up to ``max_connections`` at once."""

    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], request_deadline: float, max_connections: int
    ) -> None:
        super().__init__(address, _Handler)
        self.request_deadline = request_deadline
        self._slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            # Answered from the accepting thread: a short write to a fresh socket, bounded.
            with suppress(OSError):
                request.settimeout(1)
                request.sendall(_BUSY)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def make_server(
    host: str,
    port: int,
    *,
    request_deadline: float = REQUEST_DEADLINE_SECONDS,
    max_connections: int = MAX_CONNECTIONS,
) -> LocalServer:
    return LocalServer((host, port), request_deadline, max_connections)
