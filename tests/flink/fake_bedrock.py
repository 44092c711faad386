"""A Bedrock runtime for the Flink job's tests and benchmark: a real boto3 client whose HTTP
layer answers Converse in-process, after a simulated model latency, throttling a chosen share
of the calls. Throttling is decided by a hash of the review and the attempt number, so a
replay of the same input meets the same throttling."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from typing import Any

import boto3
from botocore import UNSIGNED
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from review_stream.analysis import TOOL_NAME

_NEGATIVE = ("not ", "never", "bad", "poor", "broke", "disappoint", "return", "worst", "cheap")


def _fraction(*parts: object) -> float:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, *args: Any, **kwargs: Any) -> Any:
        yield self._body

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        return self._body


class ConverseAnswers:
    """Answers Converse requests: a tool call with a summary and a naive sentiment, a
    ThrottlingException for ``throttle_rate`` of the attempts, and an invalid tool input
    (sentiment "neutral") for ``bad_output_rate`` of the reviews."""

    def __init__(
        self,
        latency_s: float,
        throttle_rate: float,
        bad_output_rate: float,
        answer_log: str | None = None,
    ) -> None:
        self.latency_s = latency_s
        # The benchmark's clock: when each answer left the model, as the job saw it.
        self._log = open(answer_log, "a", buffering=1) if answer_log else None  # noqa: SIM115
        self.throttle_rate = throttle_rate
        self.bad_output_rate = bad_output_rate
        self._attempts: dict[str, int] = {}
        self._lock = threading.Lock()

    def __call__(self, request: Any, **kwargs: Any) -> AWSResponse:
        body = json.loads(request.body)
        text = body["messages"][0]["content"][0]["text"]
        key = hashlib.sha256(text.encode()).hexdigest()
        with self._lock:
            attempt = self._attempts[key] = self._attempts.get(key, 0) + 1
        time.sleep(self.latency_s)
        if _fraction(key, attempt) < self.throttle_rate:
            error = {"message": "Too many requests, please wait before trying again."}
            headers = {
                "content-type": "application/json",
                "x-amzn-errortype": "ThrottlingException",
            }
            return AWSResponse(request.url, 429, headers, _Raw(json.dumps(error).encode()))
        review = text.removeprefix("<review>\n").removesuffix("\n</review>")
        sentiment = "negative" if any(w in review.lower() for w in _NEGATIVE) else "positive"
        if _fraction(key, "bad") < self.bad_output_rate:
            sentiment = "neutral"
        reply = {
            "output": {
                "message": {
                    "role": "assistant",
                    "content": [
                        {
                            "toolUse": {
                                "toolUseId": "tooluse_" + key[:22],
                                "name": TOOL_NAME,
                                "input": {
                                    "summary": review[:80].split("\n")[0],
                                    "sentiment": sentiment,
                                },
                            }
                        }
                    ],
                }
            },
            "stopReason": "tool_use",
            "usage": {"inputTokens": 200, "outputTokens": 40, "totalTokens": 240},
            "metrics": {"latencyMs": int(self.latency_s * 1000)},
        }
        headers = {"content-type": "application/json"}
        if self._log is not None:
            with self._lock:
                self._log.write(f"{time.perf_counter()}\n")
        return AWSResponse(request.url, 200, headers, _Raw(json.dumps(reply).encode()))


def fake_bedrock_client(
    settings: Any,
    *,
    latency_s: float,
    throttle_rate: float,
    bad_output_rate: float = 0.0,
    answer_log: str | None = None,
) -> Any:
    """A ``bedrock-runtime`` client for the job's settings, answered by :class:`ConverseAnswers`."""
    # Unsigned: the requests never leave this process, so no credentials are involved.
    client = boto3.session.Session(region_name="us-east-1").client(
        "bedrock-runtime",
        config=Config(
            signature_version=UNSIGNED,
            retries={"mode": "standard", "total_max_attempts": 1},
            max_pool_connections=settings.capacity,
        ),
    )
    answers = ConverseAnswers(latency_s, throttle_rate, bad_output_rate, answer_log)
    client.meta.events.register("before-send.bedrock-runtime.Converse", answers)
    return client
