"""Failures the API reports to its caller: an HTTP status, a message a person can act on,
and for throttling how long to wait. Anything else is a bug and stays a 500."""

from __future__ import annotations

from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)
from genai_common.errors import Target, explain
from genai_common.metering import BudgetExceeded

# What a throttled caller is told to wait; Bedrock's own advice is "a few seconds".
RETRY_AFTER_SECONDS = 5
_THROTTLED = {"throttlingexception", "toomanyrequestsexception", "servicequotaexceededexception"}
_UNAVAILABLE = {
    "modelnotreadyexception",
    "serviceunavailableexception",
    "modeltimeoutexception",
    "internalserverexception",
}


class ServiceError(Exception):
    """A failure with the HTTP status that describes it."""

    status = 500

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status

    @property
    def retry_after(self) -> int | None:
        return RETRY_AFTER_SECONDS if self.status == 429 else None


class UpstreamError(ServiceError):
    """A call to a model (chat or embeddings) failed: 429 when throttled or over the token
    budget (genai_common.metering), 503 when the model is unreachable or not ready, 502 when it
    refused the request."""

    def __init__(self, error: Exception, target: Target) -> None:
        if isinstance(error, BudgetExceeded):
            super().__init__(str(error), 429)
        else:
            super().__init__(explain(error, target), _status(error))
        self.error = error

    @property
    def retry_after(self) -> int | None:
        # A spent token budget comes back at the next UTC day, not in a few seconds.
        if isinstance(self.error, BudgetExceeded):
            return self.error.retry_after
        return super().retry_after


def _status(error: Exception) -> int:
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "").lower()
        if code in _THROTTLED:
            return 429
        return 503 if code in _UNAVAILABLE else 502
    if isinstance(
        error, (ConnectTimeoutError, ReadTimeoutError, EndpointConnectionError, NoCredentialsError)
    ):
        return 503
    name = type(error).__name__  # OpenAI-compatible servers, without importing openai
    if name == "RateLimitError":
        return 429
    if name in {"APIConnectionError", "APITimeoutError", "InternalServerError"}:
        return 503
    return 502


def embeddings_target(model_id: str) -> Target:
    return Target("model", model_id, "EMBEDDINGS_MODEL_ID")
