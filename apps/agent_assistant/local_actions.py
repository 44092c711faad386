"""Local mode: the agent's two actions, called on the real handler without an agent runtime."""

from __future__ import annotations

import json
from typing import Any

from case_sheets.handler import lambda_handler


def call_action(
    api_path: str, fields: dict[str, str], session_id: str
) -> tuple[int, dict[str, Any]]:
    """Invoke the action-group handler with the event an agent would send; status and body."""
    event = {
        "messageVersion": "1.0",
        "agent": {"name": "local-forms", "id": "LOCALFORMS", "alias": "LOCAL", "version": "DRAFT"},
        "sessionId": session_id,
        "inputText": "",
        "actionGroup": "case-sheets",
        "apiPath": api_path,
        "httpMethod": "POST",
        "parameters": [],
        "requestBody": {
            "content": {
                "application/json": {
                    "properties": [
                        {
                            "name": name,
                            "type": "number" if name == "budget" else "string",
                            "value": value,
                        }
                        for name, value in fields.items()
                    ]
                }
            }
        },
        "sessionAttributes": {},
        "promptSessionAttributes": {},
    }
    response = lambda_handler(event)["response"]
    return response["httpStatusCode"], json.loads(
        response["responseBody"]["application/json"]["body"]
    )
