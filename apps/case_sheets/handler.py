"""The action-group Lambda: Bedrock Agent events in, the documented response envelope out.

Event and response follow "Define Lambda functions for your Amazon Bedrock agent's action
groups" (messageVersion 1.0, API schema). Nothing raises out of the handler: every failure is
an envelope with an httpStatusCode and a message the agent can relay.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from case_sheets.fields import InputError, parse_case
from case_sheets.store import CaseStore
from case_sheets.workbook import build_workbook

logger = logging.getLogger()
logger.setLevel(logging.INFO)

ID_LENGTH = 12


class HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@cache
def store() -> CaseStore:
    """Clients built once per container, outside the per-invocation path."""
    config = Config(
        retries={"mode": "adaptive", "total_max_attempts": 4}, connect_timeout=3, read_timeout=10
    )
    return CaseStore(
        dynamodb=boto3.client("dynamodb", config=config),
        # SigV4: presigned URLs of SSE-KMS objects are refused with any other signature.
        s3=boto3.client("s3", config=config.merge(Config(signature_version="s3v4"))),
        table=os.environ["CASE_TABLE"],
        bucket=os.environ["CASE_BUCKET"],
        prefix=os.environ.get("CASE_PREFIX", "case-sheets/"),
    )


def _values(event: dict[str, Any]) -> dict[str, object]:
    """Parameters and JSON body properties, by name (Bedrock sends every value as a string)."""
    values: dict[str, object] = {}
    for item in event.get("parameters") or []:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            values[item["name"]] = item.get("value")
    body = event.get("requestBody") or {}
    content = body.get("content") if isinstance(body, dict) else None
    json_body = content.get("application/json") if isinstance(content, dict) else None
    if content and json_body is None:
        raise HttpError(415, "the request body must be application/json")
    properties = json_body.get("properties") if isinstance(json_body, dict) else None
    for item in properties or []:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            values[item["name"]] = item.get("value")
    return values


def case_id_for(fingerprint: str) -> str:
    digest = base64.b32encode(hashlib.sha256(fingerprint.encode()).digest()).decode()
    return "cs-" + digest[:ID_LENGTH].lower()


def generate_case_sheet(event: dict[str, Any]) -> dict[str, Any]:
    case = parse_case(_values(event))
    # The same request in the same session (a retried invocation) maps to the same id; any
    # other request gets a new one. No counter, no coordination.
    session = (
        event.get("sessionId") if isinstance(event.get("sessionId"), str) else uuid.uuid4().hex
    )
    fingerprint = json.dumps({"session": session, "case": case.as_dict()}, sort_keys=True)
    case_id = case_id_for(fingerprint)
    cases = store()
    record = cases.get(case_id)
    if record is None:
        created_at = datetime.now(UTC).replace(microsecond=0).isoformat()
        workbook = build_workbook(case_id, case, created_at)
        record = cases.create(case_id, case, fingerprint, created_at, workbook)
    if record["fingerprint"] != fingerprint:  # a hash collision, or a tampered request
        raise HttpError(409, f"case id {case_id} is taken; send the request again")
    return _with_link(cases, record)


def check_case(event: dict[str, Any]) -> dict[str, Any]:
    raw = _values(event).get("caseSheetId")
    if not isinstance(raw, str) or not raw.strip():
        raise InputError("caseSheetId is required")
    case_id = raw.strip().lower()
    if len(case_id) > 64:
        raise InputError("caseSheetId is too long to be a case id")
    cases = store()
    record = cases.get(case_id)
    if record is None:
        raise HttpError(404, f"no case sheet has the id {case_id}")
    return _with_link(cases, record)


def _with_link(cases: CaseStore, record: dict[str, Any]) -> dict[str, Any]:
    seconds = int(os.environ.get("PRESIGN_SECONDS", "3600"))
    return {**_public(record), "sheetUrl": cases.download_url(record["sheetKey"], seconds)}


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record["caseSheetId"],
        "client": record["client"],
        "casename": record["casename"],
        "challenge": record["challenge"],
        "solution": record["solution"],
        "budget": record["budget"],
        "kpi": record["kpi"],
        "createdAt": record["createdAt"],
    }


ROUTES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "/generateCaseSheet": generate_case_sheet,
    "/checkCase": check_case,
}


def _text(value: object, default: str) -> str:
    return value if isinstance(value, str) else default


def lambda_handler(event: Any, context: Any = None) -> dict[str, Any]:
    """Route one action-group invocation; always returns a well-formed response envelope."""
    event = event if isinstance(event, dict) else {}
    api_path = _text(event.get("apiPath"), "")
    method = _text(event.get("httpMethod"), "")
    try:
        route = ROUTES.get(api_path)
        if route is None:
            raise HttpError(
                404, f"unknown action {api_path or '(none)'}; use {' or '.join(ROUTES)}"
            )
        if method.upper() != "POST":
            raise HttpError(405, f"{api_path} takes POST, not {method or '(none)'}")
        status, body = 200, route(event)
    except InputError as error:
        status, body = 400, {"error": str(error)}
    except HttpError as error:
        status, body = error.status, {"error": error.message}
    except (ClientError, BotoCoreError, KeyError) as error:
        logger.exception("dependency failure on %s", api_path)
        status, body = (
            500,
            {"error": f"the case store is unavailable ({type(error).__name__}); try again later"},
        )
    except Exception:  # the agent must always get an answer it can relay
        logger.exception("unexpected failure on %s", api_path)
        status, body = 500, {"error": "an unexpected error occurred; try again later"}
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
            "responseBody": {"application/json": {"body": json.dumps(body)}},
        },
        "sessionAttributes": attributes if isinstance(attributes, dict) else {},
        "promptSessionAttributes": prompt_attributes if isinstance(prompt_attributes, dict) else {},
    }
