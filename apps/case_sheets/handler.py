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

from case_sheets.fields import Case, InputError, Problem, parse_case, parse_case_id, shown
from case_sheets.store import CaseStore, Record

logger = logging.getLogger()
logger.setLevel(logging.INFO)

ID_LENGTH = 12
# Bedrock takes at most 25 KB from an action-group Lambda. Echoed long fields are previews
# (the workbook holds the full text): with client and case name, at most 1,300 characters,
# under 16 KB even at 12 bytes a character (an astral character escaped as two \uXXXX by a
# runtime that escapes non-ASCII), which leaves room for the presigned URL.
PREVIEW_CHARS = 300


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


def fingerprint_of(session: str, case: Case) -> str:
    """The request's identity: the same case in the same session is the same request.

    A SHA-256 digest, not the text: it is stored with the record to tell a retry from another
    case that maps to the same id.
    """
    canonical = json.dumps(
        {"session": session, "case": {**case.texts(), "budget": str(case.budget)}},
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def case_id_for(fingerprint: str) -> str:
    digest = base64.b32encode(bytes.fromhex(fingerprint)).decode()
    return "cs-" + digest[:ID_LENGTH].lower()


def generate_case_sheet(event: dict[str, Any]) -> dict[str, Any]:
    case = parse_case(_values(event))
    # The same request in the same session (a retried invocation) maps to the same id; any
    # other request gets a new one. No counter, no coordination.
    session = event.get("sessionId")
    fingerprint = fingerprint_of(session if isinstance(session, str) else uuid.uuid4().hex, case)
    case_id = case_id_for(fingerprint)
    cases = store()
    record = cases.get(case_id) or cases.claim(case_id, case, fingerprint, _now())
    if record.fingerprint != fingerprint:
        # Another case holds the id (60 bits of a hash: a collision, or a tampered record).
        # 409: the request is valid but conflicts with what is stored. The id follows from
        # the session and the fields, so the same request can never succeed: the message
        # says to change one of them rather than to retry.
        raise HttpError(
            409,
            f"case id {case_id} already belongs to another case, so this case cannot be stored "
            "under it. Do not send the same request again: start a new conversation (a new "
            "session gives a new id) or change a detail of the case, such as the case name.",
        )
    cases.ensure_sheet(record)
    return _with_link(cases, record)


def check_case(event: dict[str, Any]) -> dict[str, Any]:
    case_id = parse_case_id(_values(event))
    cases = store()
    record = cases.get(case_id)
    if record is None:
        raise HttpError(404, f"no case sheet has the id {case_id}")
    cases.ensure_sheet(record)
    return _with_link(cases, record)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _with_link(cases: CaseStore, record: Record) -> dict[str, Any]:
    seconds = int(os.environ.get("PRESIGN_SECONDS", "3600"))
    return {**_public(record), "sheetUrl": cases.download_url(record.sheet_key, seconds)}


def _preview(text: str) -> str:
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def _public(record: Record) -> dict[str, Any]:
    case = record.case
    return {
        "id": record.case_id,
        "client": case.client,
        "casename": case.casename,
        "challenge": _preview(case.challenge),
        "solution": _preview(case.solution),
        "budget": float(case.budget),
        "kpi": _preview(case.kpi),
        "createdAt": record.created_at,
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
                404,
                f"unknown action {shown(api_path) if api_path else '(none)'}; "
                f"use {' or '.join(ROUTES)}",
            )
        if method.upper() != "POST":
            raise HttpError(
                405, f"{api_path} takes POST, not {shown(method) if method else '(none)'}"
            )
        status, body = 200, route(event)
    except InputError as error:
        status, body = (
            400,
            {
                "error": str(error),
                "problems": [
                    {"field": problem.field, "message": problem.for_user()}
                    for problem in error.problems
                ],
            },
        )
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
            # Not escaped: an escaped astral character takes 12 bytes of the response limit.
            "responseBody": {"application/json": {"body": json.dumps(body, ensure_ascii=False)}},
        },
        "sessionAttributes": attributes if isinstance(attributes, dict) else {},
        "promptSessionAttributes": prompt_attributes if isinstance(prompt_attributes, dict) else {},
    }
