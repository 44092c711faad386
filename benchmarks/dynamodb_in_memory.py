"""The shopping history table's DynamoDB calls answered in memory behind boto3's own client.

The API keeps paying what it pays against DynamoDB (botocore builds, signs and parses every
request); the table itself costs it nothing, as a remote service costs no CPU of the caller.
moto in the same process would not: its transactions copy the whole table under one lock, so
the API's latency would grow with the number of items written and measure moto.

Only what ``shop_rag.history`` sends is served: Query of one session (newest first, Limit) and
TransactWriteItems of Puts conditioned on attribute_not_exists. The history's semantics against
the real API shapes are tested in tests/apps/shop_rag with moto; this is a benchmark's stand-in.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

from botocore.awsrequest import AWSResponse


class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


class InMemoryHistoryTable:
    """Attach to a boto3 DynamoDB client: its requests are answered here after ``latency_ms``
    (a network round trip, spent waiting rather than computing)."""

    def __init__(self, latency_ms: float = 0.0) -> None:
        self._sessions: dict[str, dict[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._latency = latency_ms / 1000
        self.calls = 0

    def attach(self, client: Any) -> None:
        client.meta.events.register("before-send.dynamodb", self._answer)

    def _answer(self, request: Any, **_: Any) -> AWSResponse:
        target = request.headers["X-Amz-Target"]
        operation = (target.decode() if isinstance(target, bytes) else target).split(".")[-1]
        body = json.loads(request.body)
        with self._lock:
            self.calls += 1
            status, answer = getattr(self, f"_{operation}")(body)
        if self._latency:
            time.sleep(self._latency)
        headers = {"content-type": "application/x-amz-json-1.0"}
        if status != 200:
            headers["x-amzn-ErrorType"] = answer["__type"]
        return AWSResponse(request.url, status, headers, _Body(json.dumps(answer).encode()))

    def _Query(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        session = body["ExpressionAttributeValues"][":s"]["S"]
        turns = self._sessions.get(session, {})
        ordered = sorted(turns, reverse=not body.get("ScanIndexForward", True))
        items = [turns[t] for t in ordered[: body.get("Limit", len(ordered))]]
        return 200, {"Items": items, "Count": len(items), "ScannedCount": len(items)}

    def _TransactWriteItems(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        puts = [entry["Put"]["Item"] for entry in body["TransactItems"]]
        taken = [
            float(item["turn"]["N"]) in self._sessions.get(item["sessionId"]["S"], {})
            for item in puts
        ]
        if any(taken):
            reasons = [{"Code": "ConditionalCheckFailed" if t else "None"} for t in taken]
            return 400, {
                "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                "message": "Transaction cancelled",
                "CancellationReasons": reasons,
            }
        for item in puts:
            self._sessions.setdefault(item["sessionId"]["S"], {})[float(item["turn"]["N"])] = item
        return 200, {}
