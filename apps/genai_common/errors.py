"""Turn a failed model call into a message a user can act on."""

from __future__ import annotations

from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)

_NOT_ENABLED_HINTS = (
    "don't have access to the model",
    "not authorized to invoke this model",
    "model access",
    "not enabled",
    "isn't supported",
    "is not supported",
    "use case details",
)


def explain(error: Exception, model_id: str) -> str:
    """A short, user-facing explanation of ``error`` raised while calling ``model_id``."""
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        message = error.response.get("Error", {}).get("Message", "")
        return _explain_client_error(code.lower(), message, model_id)
    if isinstance(error, NoCredentialsError):
        return "No AWS credentials were found: this app needs an IAM role (EKS Pod Identity)."
    if isinstance(error, (ConnectTimeoutError, ReadTimeoutError, EndpointConnectionError)):
        return "The model service did not answer in time. Please try again."
    name = type(error).__name__
    if name == "RateLimitError":
        return "The model server is rate limiting requests. Wait a few seconds and try again."
    if name in {"APIConnectionError", "APITimeoutError"}:
        return "The model server could not be reached. Check OPENAI_BASE_URL and try again."
    return f"The model call failed ({name}). Please try again; the conversation is kept."


def _explain_client_error(code: str, message: str, model_id: str) -> str:
    lowered = message.lower()
    if code in {"throttlingexception", "toomanyrequestsexception", "servicequotaexceededexception"}:
        return (
            "Bedrock is throttling requests for this model right now. "
            "Wait a few seconds and send your message again."
        )
    if any(hint in lowered for hint in _NOT_ENABLED_HINTS) or code == "resourcenotfoundexception":
        return (
            f"Model {model_id} is not enabled for this account and Region. "
            "Enable it under Amazon Bedrock > Model access, or pick another model."
        )
    if code == "accessdeniedexception":
        return (
            f"This app's IAM role may not call {model_id} (access denied). "
            "Ask a platform engineer to add it to the app's model catalog."
        )
    if code in {"modelnotreadyexception", "serviceunavailableexception", "modeltimeoutexception"}:
        return "The model is temporarily unavailable. Please try again in a moment."
    if code == "validationexception":
        return f"Bedrock rejected the request: {message}"
    return f"Bedrock returned an error ({code or 'unknown'}): {message}"
