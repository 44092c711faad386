"""Creates the knowledge base's vector index in its OpenSearch Serverless collection.

Terraform invokes this Lambda (aws_lambda_invocation) with the index it declares; the Lambda
runs in the VPC and reaches the private collection through its VPC endpoint, so whoever runs
Terraform needs no network path to the collection's data plane, and the collection's access
policy names this function's role rather than whoever runs Terraform.

Event: {"endpoint": "https://<id>.<region>.aoss.amazonaws.com", "index": "<name>",
"body": {"settings": {...}, "mappings": {"properties": {...}}}}.

- no index: created with the declared body;
- an index whose declared fields match (same types; for vectors the same dimension, engine
  and space): left alone. Fields that ingestion adds to the live mapping are ignored, so a
  re-invocation never drops vectors;
- an index whose declared fields differ (e.g. a new embedding dimension): deleted and
  created again; the knowledge base needs a new ingestion afterwards.

Access and network policies take a minute or so to apply to a new role, so 401/403 answers
are retried until the deadline. Any other failure raises: Terraform reports it and the apply
stops. Only botocore is needed, which the Lambda runtime ships.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.httpsession import URLLib3Session

logger = logging.getLogger()
logger.setLevel(logging.INFO)

# Attributes of a declared field that must match the live mapping for the index to be kept.
COMPARED = ("type", "dimension")
COMPARED_METHOD = ("engine", "space_type", "name")
NOT_YET_AUTHORIZED = (401, 403)
# As modules/bedrock-knowledge-base validates index_name; nothing else reaches the URL path.
INDEX_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,254}$")


class VectorIndexError(Exception):
    """The index could not be brought to the declared state."""


@dataclass(frozen=True)
class Response:
    status: int
    body: dict[str, Any]


Send = Callable[[str, str, bytes | None], Response]


def signed_sender(endpoint: str, region: str, timeout: float = 30.0) -> Send:
    """Sends SigV4-signed requests for the 'aoss' service with the function's credentials."""
    session = botocore.session.get_session()
    http = URLLib3Session(timeout=timeout)

    def send(method: str, path: str, body: bytes | None) -> Response:
        data = body or b""
        headers = {
            "Content-Type": "application/json",
            # OpenSearch Serverless requires the payload hash as a signed header.
            "X-Amz-Content-SHA256": hashlib.sha256(data).hexdigest(),
        }
        request = AWSRequest(method=method, url=f"{endpoint}{path}", data=data, headers=headers)
        SigV4Auth(session.get_credentials(), "aoss", region).add_auth(request)
        answer = http.send(request.prepare())
        try:
            parsed = json.loads(answer.content or b"{}")
        except ValueError:
            parsed = {"raw": answer.content[:500].decode("utf-8", "replace")}
        return Response(answer.status_code, parsed if isinstance(parsed, dict) else {})

    return send


def differences(declared: Mapping[str, Any], live: Mapping[str, Any]) -> list[str]:
    """Declared fields that the live mapping lacks or defines otherwise."""
    found = []
    for name, field in declared.items():
        actual = live.get(name)
        if not isinstance(actual, Mapping):
            found.append(f"{name}: missing")
            continue
        for key in COMPARED:
            if key in field and field[key] != actual.get(key):
                found.append(f"{name}.{key}: {actual.get(key)!r} != {field[key]!r}")
        method, live_method = field.get("method") or {}, actual.get("method") or {}
        for key in COMPARED_METHOD:
            if key in method and method[key] != live_method.get(key):
                found.append(f"{name}.method.{key}: {live_method.get(key)!r} != {method[key]!r}")
    return found


class Index:
    def __init__(
        self,
        send: Send,
        name: str,
        *,
        deadline: float,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.send = send
        self.path = f"/{name}"
        self.name = name
        self.deadline = deadline
        self.sleep = sleep or time.sleep
        self.clock = clock or time.monotonic

    def call(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> Response:
        """One request, retried while the collection's policies are still propagating."""
        data = json.dumps(body).encode() if body is not None else None
        delay = 2.0
        while True:
            response = self.send(method, path, data)
            if response.status not in NOT_YET_AUTHORIZED:
                return response
            if self.clock() + delay > self.deadline:
                raise VectorIndexError(
                    f"{method} {path}: still {response.status} at the deadline: the collection's "
                    f"data access policy must name this function's role ({response.body})"
                )
            logger.info("%s %s: %s, retrying in %.0f s", method, path, response.status, delay)
            self.sleep(delay)
            delay = min(delay * 1.5, 15.0)

    def live_properties(self) -> dict[str, Any] | None:
        response = self.call("GET", f"{self.path}/_mapping")
        if response.status == 404:
            return None
        if response.status != 200:
            raise VectorIndexError(
                f"reading the mapping of {self.name}: {response.status} {response.body}"
            )
        mapping = response.body.get(self.name, {}).get("mappings", {})
        return mapping.get("properties", {})

    def create(self, body: Mapping[str, Any]) -> None:
        response = self.call("PUT", self.path, body)
        already = response.body.get("error", {}).get("type") == "resource_already_exists_exception"
        if response.status != 200 and not already:
            raise VectorIndexError(f"creating {self.name}: {response.status} {response.body}")

    def delete(self) -> None:
        response = self.call("DELETE", self.path)
        if response.status not in (200, 404):
            raise VectorIndexError(f"deleting {self.name}: {response.status} {response.body}")

    def wait_until_visible(self) -> None:
        """A new index is readable shortly after it is created; Bedrock checks it right away."""
        while self.live_properties() is None:
            if self.clock() > self.deadline:
                raise VectorIndexError(f"{self.name} was created but is still not visible")
            self.sleep(2.0)

    def ensure(self, body: Mapping[str, Any]) -> dict[str, Any]:
        declared = body.get("mappings", {}).get("properties", {})
        live = self.live_properties()
        if live is None:
            self.create(body)
            self.wait_until_visible()
            return {"status": "created", "index": self.name}
        changed = differences(declared, live)
        if not changed:
            return {"status": "unchanged", "index": self.name}
        logger.info("replacing %s: %s", self.name, "; ".join(changed))
        self.delete()
        self.create(body)
        self.wait_until_visible()
        return {"status": "replaced", "index": self.name, "changes": changed}


def parse_event(event: object) -> tuple[str, str, dict[str, Any]]:
    if not isinstance(event, dict):
        raise ValueError("the event must be a JSON object")
    endpoint, name, body = event.get("endpoint"), event.get("index"), event.get("body")
    if not isinstance(endpoint, str) or urlsplit(endpoint).scheme not in ("https", "http"):
        raise ValueError("endpoint must be the collection's URL")
    if not isinstance(name, str) or not INDEX_NAME.fullmatch(name):
        raise ValueError("index must be a lower-case index name")
    if not isinstance(body, dict) or not isinstance(body.get("mappings"), dict):
        raise ValueError("body must hold the index's settings and mappings")
    return endpoint.rstrip("/"), name, body


def lambda_handler(event: object, context: Any) -> dict[str, Any]:
    endpoint, name, body = parse_event(event)
    # Leave time to report before the Lambda's own timeout ends the invocation.
    remaining = context.get_remaining_time_in_millis() / 1000 if context else 300.0
    deadline = time.monotonic() + max(remaining - 10.0, 5.0)
    send = signed_sender(endpoint, os.environ["AWS_REGION"])
    result = Index(send, name, deadline=deadline).ensure(body)
    logger.info("%s", json.dumps(result))
    return result
