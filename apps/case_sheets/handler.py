"""The action-group Lambda: Bedrock Agent events in, the documented response envelope out.

Event and response follow "Define Lambda functions for your Amazon Bedrock agent's action
groups" (messageVersion 1.0, API schema); the actions themselves are
:mod:`case_sheets_domain.actions`. Nothing raises out of the handler: every failure is an
envelope with an httpStatusCode and a message the agent can relay.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from case_sheets_domain.actions import HttpError, perform
from case_sheets_domain.fields import InputError, Problem
from case_sheets_domain.settings import SettingsError, case_settings

logger = logging.getLogger(__name__)

# Cold start: a wrong setting is logged here, once; each invocation then answers with the same
# message (actions.store() reads the settings first), before anything is written.
try:
    case_settings()
except SettingsError as error:
    logger.error("%s", error)


def _named(items: object, source: str) -> list[tuple[str, object]]:
    if items is None:
        return []
    if not isinstance(items, list) or not all(
        isinstance(item, dict) and isinstance(item.get("name"), str) for item in items
    ):
        raise InputError(Problem(source, "must be a list of {name, value} objects"))
    return [(item["name"], item.get("value")) for item in items]


def _values(event: dict[str, Any]) -> dict[str, object]:
    """Parameters and JSON body properties, by name (Bedrock sends every value as a string)."""
    body = event.get("requestBody")
    content = body.get("content") if isinstance(body, dict) else None
    if (body is not None and not isinstance(body, dict)) or not isinstance(
        content, (dict, type(None))
    ):
        raise InputError(Problem("requestBody", "must be {content: {application/json: ...}}"))
    if content and "application/json" not in content:
        raise HttpError(415, "the request body must be application/json")
    json_body = content.get("application/json") if content else None
    if json_body is not None and not isinstance(json_body, dict):
        raise InputError(Problem("requestBody", "must hold {properties: [...]} as JSON"))
    properties = json_body.get("properties") if json_body else None
    return dict(
        _named(event.get("parameters"), "parameters") + _named(properties, "requestBody properties")
    )


def _text(value: object, default: str) -> str:
    return value if isinstance(value, str) else default


def lambda_handler(event: Any, context: Any = None) -> dict[str, Any]:
    """Route one action-group invocation; always returns a well-formed response envelope."""
    event = event if isinstance(event, dict) else {}
    api_path = _text(event.get("apiPath"), "")
    method = _text(event.get("httpMethod"), "")
    status, body = perform(api_path, method, lambda: _values(event), event.get("sessionId"))
    return envelope(event, api_path, method, status, body)


def envelope(
    event: dict[str, Any], api_path: str, method: str, status: int, body: dict[str, Any]
) -> dict[str, Any]:
    attributes = event.get("sessionAttributes")
    prompt_attributes = event.get("promptSessionAttributes")
    return {
        "messageVersion": "1.0",
        "response": {
            "actionGroup": _text(event.get("actionGroup"), ""),
            "apiPath": api_path,
            "httpMethod": method,
            "httpStatusCode": status,
            # Not escaped: an escaped astral character takes 12 bytes of the response limit.
            "responseBody": {"application/json": {"body": json.dumps(body, ensure_ascii=False)}},
        },
        "sessionAttributes": attributes if isinstance(attributes, dict) else {},
        "promptSessionAttributes": prompt_attributes if isinstance(prompt_attributes, dict) else {},
    }
