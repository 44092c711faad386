"""The API on a local port: each HTTP request becomes an API Gateway HTTP API (payload 2.0)
event, with a local IAM identity, for the same ``lambda_handler`` the Lambda runs.

Signatures are not checked (there is no IAM here): signed and unsigned calls both pass as
the local developer, and a signed call's access key id is passed on as API Gateway would.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
_ACCESS_KEY = re.compile(r"Credential=([A-Za-z0-9]+)/")


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
    # A client that trickles its request, or stops halfway, loses its connection after this many
    # seconds of silence instead of holding a thread for ever.
    timeout = 30

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
        path = urlsplit(self.path).path
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
        if len(body) < length:
            # The client hung up (or went silent past the timeout) before its body was complete.
            self.close_connection = True
            return
        event = api_event(self.command, self.path, dict(self.headers), body, self.client_address[0])
        response = lambda_handler(event, LocalContext(timeout_seconds=30.0))
        payload = response.get("body") or ""
        data = base64.b64decode(payload) if response.get("isBase64Encoded") else payload.encode()
        headers = {str(k): str(v) for k, v in (response.get("headers") or {}).items()}
        self._send(int(response["statusCode"]), data, headers)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _serve


def make_server(host: str, port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), _Handler)
    server.daemon_threads = True
    return server
