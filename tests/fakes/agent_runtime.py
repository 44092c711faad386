"""A Bedrock agent runtime whose InvokeAgent replies are real event-stream frames.

Like :mod:`tests.fakes.bedrock_runtime`: each event is validated against its shape in the
service model, encoded as botocore would receive it from AWS, and parsed by botocore.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.validate import validate_parameters

from tests.fakes.bedrock_runtime import _frame, _Raw


def _wire(value: Any) -> Any:
    """Blobs travel base64-encoded inside the JSON payload."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: _wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wire(v) for v in value]
    return value


class FakeAgentRuntime:
    """Queues InvokeAgent replies for one boto3 ``bedrock-agent-runtime`` client."""

    def __init__(self, client: Any) -> None:
        self.requests: list[dict[str, Any]] = []
        self._replies: list[bytes] = []
        output = client.meta.service_model.operation_model("InvokeAgent").output_shape
        self._shapes = output.members["completion"].members
        client.meta.events.register("before-send.bedrock-agent-runtime.InvokeAgent", self._send)

    def reply(
        self, *events: tuple[str, dict[str, Any]], error: tuple[str, str] | None = None
    ) -> None:
        frames = []
        for name, body in events:
            validate_parameters(body, self._shapes[name])
            headers = {
                ":event-type": name,
                ":content-type": "application/json",
                ":message-type": "event",
            }
            frames.append(_frame(headers, json.dumps(_wire(body)).encode()))
        if error:
            headers = {
                ":exception-type": error[0],
                ":content-type": "application/json",
                ":message-type": "exception",
            }
            frames.append(_frame(headers, json.dumps({"message": error[1]}).encode()))
        self._replies.append(b"".join(frames))

    def _send(self, request: Any, **kwargs: Any) -> AWSResponse:
        assert self._replies, f"unexpected InvokeAgent call to {request.url}"
        self.requests.append({"url": request.url, **json.loads(request.body)})
        headers = {
            "content-type": "application/vnd.amazon.eventstream",
            "x-amz-bedrock-agent-session-id": "session-x",
        }
        return AWSResponse(request.url, 200, headers, _Raw(self._replies.pop(0)))


def chunk(text: str) -> tuple[str, dict[str, Any]]:
    return ("chunk", {"bytes": text.encode()})


def trace(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return (
        "trace",
        {
            "agentId": "AGENT12345",
            "agentAliasId": "ALIAS12345",
            "sessionId": "session-x",
            "agentVersion": "1",
            "trace": body,
        },
    )
