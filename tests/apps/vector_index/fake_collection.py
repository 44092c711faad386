"""An OpenSearch Serverless collection on localhost, for the index manager's tests.

It answers the three index operations the Lambda uses (GET /<index>/_mapping, PUT /<index>,
DELETE /<index>) the way the service does, refuses requests that are not SigV4-signed for
the 'aoss' service with a matching X-Amz-Content-SHA256, and can answer 403 to the first N
requests, as a collection does while its access policies are still propagating.
"""

from __future__ import annotations

import hashlib
import json
import re
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from tests.fakes.json_server import serve_json

AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=\w+/\d{8}/(?P<region>[a-z0-9-]+)/aoss/aws4_request, "
    r"SignedHeaders=(?P<headers>[a-z0-9;-]+), Signature=[0-9a-f]{64}$"
)


@dataclass
class Collection:
    indices: dict[str, dict[str, Any]] = field(default_factory=dict)
    forbidden_first: int = 0
    requests: list[tuple[str, str]] = field(default_factory=list)
    unsigned: list[str] = field(default_factory=list)

    def answer(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
        self.requests.append((method, path))
        if self.forbidden_first > 0:
            self.forbidden_first -= 1
            return 403, {"status": 403, "message": "User does not have permissions"}
        parts = path.strip("/").split("/")
        name = parts[0]
        if method == "GET" and parts[1:] == ["_mapping"]:
            if name not in self.indices:
                return 404, {"error": {"type": "index_not_found_exception"}, "status": 404}
            return 200, {name: {"mappings": self.indices[name]["mappings"]}}
        if method == "PUT" and len(parts) == 1:
            if name in self.indices:
                return 400, {"error": {"type": "resource_already_exists_exception"}}
            self.indices[name] = json.loads(body)
            return 200, {"acknowledged": True, "index": name}
        if method == "DELETE" and len(parts) == 1:
            if self.indices.pop(name, None) is None:
                return 404, {"error": {"type": "index_not_found_exception"}}
            return 200, {"acknowledged": True}
        return 405, {"error": f"{method} {path} is not emulated"}


def serve(collection: Collection) -> AbstractContextManager[str]:
    def answer(method: str, path: str, headers: Message, body: bytes) -> tuple[int, dict[str, Any]]:
        signature = AUTHORIZATION.match(headers.get("Authorization", ""))
        signed = signature.group("headers").split(";") if signature else []
        digest = headers.get("X-Amz-Content-SHA256")
        if (
            not signature
            or "x-amz-content-sha256" not in signed
            or digest != hashlib.sha256(body).hexdigest()
        ):
            collection.unsigned.append(path)
            return 403, {"message": "not signed for aoss"}
        return collection.answer(method, path, body)

    return serve_json(answer)
