"""A Bedrock runtime that answers over botocore's real HTTP layer.

botocore's Stubber cannot express event streams, so ``ConverseStream`` replies are encoded
here as real ``application/vnd.amazon.eventstream`` frames and parsed by botocore with the
service model, exactly as a reply from AWS would be. Each event is first validated against
its shape in the model, so a fixture that AWS could not send fails the test.
"""

from __future__ import annotations

import binascii
import json
import struct
from collections.abc import Iterator
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.validate import validate_parameters


def _header(name: str, value: str) -> bytes:
    key, val = name.encode(), value.encode()
    return struct.pack("B", len(key)) + key + struct.pack("!BH", 7, len(val)) + val


def _frame(headers: dict[str, str], payload: bytes) -> bytes:
    encoded = b"".join(_header(k, v) for k, v in headers.items())
    prelude = struct.pack("!II", 16 + len(encoded) + len(payload), len(encoded))
    message = prelude + struct.pack("!I", binascii.crc32(prelude)) + encoded + payload
    return message + struct.pack("!I", binascii.crc32(message))


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, *args: Any, **kwargs: Any) -> Iterator[bytes]:
        yield self._body

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        return self._body

    def close(self) -> None:
        self._body = b""


class FakeBedrockRuntime:
    """Queues replies for one boto3 ``bedrock-runtime`` client and records the requests."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._replies: list[tuple[int, dict[str, str], bytes]] = []
        self.requests: list[dict[str, Any]] = []
        stream_shape = client.meta.service_model.operation_model("ConverseStream").output_shape
        self._event_shapes = stream_shape.members["stream"].members
        client.meta.events.register("before-send.bedrock-runtime", self._send)

    def stream(
        self, *texts: str, stop_reason: str = "end_turn", error: tuple[str, str] | None = None
    ) -> None:
        """A ConverseStream reply streaming ``texts`` as deltas, optionally ending in an in-stream exception."""
        events: list[tuple[str, dict[str, Any]]] = [("messageStart", {"role": "assistant"})]
        events += [
            ("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": t}}) for t in texts
        ]
        frames = [self._event(name, body) for name, body in events]
        if error:
            frames.append(
                _frame(
                    {
                        ":exception-type": error[0],
                        ":content-type": "application/json",
                        ":message-type": "exception",
                    },
                    json.dumps({"message": error[1]}).encode(),
                )
            )
        else:
            frames += [
                self._event("contentBlockStop", {"contentBlockIndex": 0}),
                self._event("messageStop", {"stopReason": stop_reason}),
                self._event(
                    "metadata",
                    {
                        "usage": {
                            "inputTokens": 12,
                            "outputTokens": len(texts),
                            "totalTokens": 12 + len(texts),
                        },
                        "metrics": {"latencyMs": 42},
                    },
                ),
            ]
        self._replies.append(
            (200, {"content-type": "application/vnd.amazon.eventstream"}, b"".join(frames))
        )

    def error(self, status: int, code: str, message: str) -> None:
        """An HTTP error reply, as Bedrock sends before any event (e.g. AccessDeniedException)."""
        body = json.dumps({"message": message}).encode()
        self._replies.append(
            (status, {"content-type": "application/json", "x-amzn-errortype": code}, body)
        )

    def _event(self, name: str, body: dict[str, Any]) -> bytes:
        validate_parameters(body, self._event_shapes[name])
        headers = {
            ":event-type": name,
            ":content-type": "application/json",
            ":message-type": "event",
        }
        return _frame(headers, json.dumps(body).encode())

    def _send(self, request: Any, **kwargs: Any) -> AWSResponse:
        assert self._replies, f"unexpected Bedrock call to {request.url}"
        self.requests.append(json.loads(request.body))
        status, headers, body = self._replies.pop(0)
        return AWSResponse(request.url, status, headers, _Raw(body))
