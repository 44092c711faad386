"""Turn a failed Bedrock or model-server call into a message a user can act on.

The advice depends on what the call was addressed to: an agent that does not exist needs
its id checked, not model access enabled. :class:`Target` says what that was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)

from genai_common.metering.budget import BudgetExceeded

_NOT_ENABLED_HINTS = (
    "don't have access to the model",
    "not authorized to invoke this model",
    "model access",
    "not enabled",
    "isn't supported",
    "is not supported",
    "use case details",
)
_THROTTLED = {"throttlingexception", "toomanyrequestsexception", "servicequotaexceededexception"}
_UNAVAILABLE = {"modelnotreadyexception", "serviceunavailableexception", "modeltimeoutexception"}
# IAM's denial names the action and, usually, the resource: quoting them saves a search.
_DENIED_ACTION = re.compile(r"not authorized to perform: ([\w:*-]+)(?: on resource: (\S+))?")


@dataclass(frozen=True)
class Target:
    """What a call was addressed to, and the settings that name it."""

    kind: Literal["model", "agent", "knowledge base"]
    identifier: str
    settings: str

    @classmethod
    def model(cls, model_id: str) -> Target:
        return cls("model", model_id, "CHAT_MODELS")

    @classmethod
    def agent(cls, agent_id: str, alias_id: str) -> Target:
        return cls("agent", f"{agent_id} (alias {alias_id})", "AGENT_ID and AGENT_ALIAS_ID")

    @classmethod
    def knowledge_base(cls, knowledge_base_id: str) -> Target:
        return cls("knowledge base", knowledge_base_id, "KNOWLEDGE_BASE_ID")

    def __str__(self) -> str:
        return f"{self.kind} {self.identifier}"


def error_code(error: ClientError) -> str:
    """The AWS error code of ``error`` (e.g. ThrottlingException), or "" when it has none."""
    return str(error.response.get("Error", {}).get("Code", ""))


def is_throttling(error: BaseException) -> bool:
    """Whether ``error`` is the service refusing for rate (Bedrock's or a model server's)."""
    if isinstance(error, ClientError):
        return error_code(error).lower() in _THROTTLED
    return type(error).__name__ == "RateLimitError"


def explain(error: Exception, target: Target) -> str:
    """A short, user-facing explanation of ``error`` raised while calling ``target``."""
    if isinstance(error, BudgetExceeded):
        return str(error)
    if isinstance(error, ClientError):
        code = error_code(error)
        message = error.response.get("Error", {}).get("Message", "")
        return _explain_client_error(code.lower(), message, target)
    if isinstance(error, NoCredentialsError):
        return "No AWS credentials were found: this app needs an IAM role (EKS Pod Identity)."
    if isinstance(error, (ConnectTimeoutError, ReadTimeoutError, EndpointConnectionError)):
        return f"Bedrock did not answer in time for {target}. Please try again."
    name = type(error).__name__
    if name == "RateLimitError":
        return "The model server is rate limiting requests. Wait a few seconds and try again."
    if name in {"APIConnectionError", "APITimeoutError"}:
        return "The model server could not be reached. Check OPENAI_BASE_URL and try again."
    return f"The call to {target} failed ({name}). Please try again; the conversation is kept."


def _explain_client_error(code: str, message: str, target: Target) -> str:
    lowered = message.lower()
    if code in _THROTTLED:
        return (
            f"Bedrock is throttling requests to {target} right now. "
            "Wait a few seconds and send your message again."
        )
    if code == "accessdeniedexception" and (denied := _DENIED_ACTION.search(message)):
        action, resource = denied.group(1), denied.group(2) or str(target)
        return (
            f"This app's IAM role may not call {action} on {resource}. "
            "Ask a platform engineer to grant it in the app's Pod Identity role."
        )
    if target.kind == "model" and (
        code == "resourcenotfoundexception" or any(h in lowered for h in _NOT_ENABLED_HINTS)
    ):
        return (
            f"Model {target.identifier} is not enabled for this account and Region. "
            "Enable it under Amazon Bedrock > Model access, or pick another model."
        )
    if code == "resourcenotfoundexception":
        return (
            f"The {target} does not exist in this account and Region. "
            f"Check {target.settings} against the bedrock stack's outputs."
        )
    if code == "accessdeniedexception":
        if target.kind == "model":
            return (
                f"This app's IAM role may not call {target.identifier} (access denied). "
                "Ask a platform engineer to add it to the app's model catalog."
            )
        return (
            f"Access to the {target} was denied: {message or 'no reason given'}. "
            "If it names a model, enable that model under Amazon Bedrock > Model access; "
            "otherwise ask a platform engineer to check the app's Pod Identity role."
        )
    if code in _UNAVAILABLE:
        return f"The {target} is temporarily unavailable. Please try again in a moment."
    if code == "validationexception":
        return f"Bedrock rejected the request to {target}: {message}"
    return f"Bedrock returned an error for {target} ({code or 'unknown'}): {message}"
