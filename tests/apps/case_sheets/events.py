"""Bedrock Agent action-group events, shaped as AWS documents them (messageVersion 1.0)."""

from __future__ import annotations

from typing import Any

CASE = {
    "client": "AnyCompany Bank",
    "casename": "Fraud detection platform",
    "challenge": "Card fraud losses grew 40% in a year and rules could not keep up.",
    "solution": "A streaming pipeline with Amazon Kinesis and a SageMaker model scoring each payment.",
    "budget": "250000",
    "kpi": "30% fewer fraudulent transactions",
}


def event(
    api_path: str,
    properties: dict[str, str],
    *,
    method: str = "POST",
    session_id: str = "111122223333444",
    parameters: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        "messageVersion": "1.0",
        "agent": {
            "name": "genai-dev-competency-agent",
            "id": "AGENT12345",
            "alias": "ALIAS12345",
            "version": "1",
        },
        "inputText": "Create a case sheet for AnyCompany Bank",
        "sessionId": session_id,
        "actionGroup": "case-sheets",
        "apiPath": api_path,
        "httpMethod": method,
        "parameters": [
            {"name": k, "type": "string", "value": v} for k, v in (parameters or {}).items()
        ],
        "requestBody": {
            "content": {
                "application/json": {
                    "properties": [
                        {"name": k, "type": "number" if k == "budget" else "string", "value": v}
                        for k, v in properties.items()
                    ]
                }
            }
        },
        "sessionAttributes": {"user": "maria"},
        "promptSessionAttributes": {"today": "2026-11-23"},
    }
