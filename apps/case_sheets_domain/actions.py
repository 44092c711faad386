"""The agent's two actions on a request's values: create a case sheet, look one up.

Whoever receives a request hands its values to :func:`perform`: the action-group Lambda,
from a Bedrock Agent event, or the agent assistant's local forms. Status and body are those of
the action group's OpenAPI schema. Nothing raises out of :func:`perform`: every failure is a
status and a message the agent, or the page, can relay.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import cache
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as EndpointUnreachable
from genai_common.presign import SigningUnavailable, link_signer

from case_sheets_domain.fields import Case, InputError, parse_case, parse_case_id, shown
from case_sheets_domain.settings import SettingsError, case_settings
from case_sheets_domain.store import CaseStore, DamagedRecord, Record

logger = logging.getLogger(__name__)

ID_LENGTH = 12
# Bedrock takes at most 25 KB from an action-group Lambda. Echoed long fields are previews
# (the workbook holds the full text): with client and case name, at most 1,300 characters,
# under 16 KB even at 12 bytes a character (an astral character escaped as two \uXXXX by a
# runtime that escapes non-ASCII), which leaves room for the presigned URL.
PREVIEW_CHARS = 300
# What a throttled caller is told to wait, after the clients' own retries have run out. Bedrock
# Agent responses carry no headers: the wait is a field of the body.
RETRY_AFTER_SECONDS = 5
_THROTTLED = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
}
_UNAVAILABLE = {"SlowDown", "ServiceUnavailable", "InternalServerError", "RequestTimeout"}


class HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@cache
def store() -> CaseStore:
    """Settings and clients, read and built once per container, outside the per-invocation
    path; raises SettingsError before anything is written."""
    settings = case_settings()
    config = Config(
        retries={"mode": "adaptive", "total_max_attempts": 4}, connect_timeout=3, read_timeout=10
    )
    session = boto3.session.Session()

    def client(service: str, **credentials: str) -> Any:
        # SigV4 for S3: presigned URLs of SSE-KMS objects are refused with any other signature.
        merged = config.merge(Config(signature_version="s3v4")) if service == "s3" else config
        return session.client(service, config=merged, **credentials)

    s3 = client("s3")
    return CaseStore(
        dynamodb=client("dynamodb"),
        s3=s3,
        table=settings.table,
        bucket=settings.bucket,
        prefix=settings.prefix,
        presign_seconds=settings.presign_seconds,
        links=link_signer(
            s3, session.get_credentials(), settings.signing_role_arn, "case-sheets", client
        ),
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


def generate_case_sheet(values: Mapping[str, object], session: object) -> dict[str, Any]:
    case = parse_case(values)
    # The same request in the same session (a retried invocation) maps to the same id; any
    # other request gets a new one. No counter, no coordination.
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


def check_case(values: Mapping[str, object], _session: object) -> dict[str, Any]:
    case_id = parse_case_id(values)
    cases = store()
    record = cases.get(case_id)
    if record is None:
        raise HttpError(404, f"no case sheet has the id {case_id}")
    cases.ensure_sheet(record)
    return _with_link(cases, record)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _with_link(cases: CaseStore, record: Record) -> dict[str, Any]:
    link = cases.download_link(record.sheet_key, datetime.now(UTC))
    return {**_public(record), "sheetUrl": link.url, "sheetUrlExpiresAt": link.expires_at_text()}


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


ROUTES: dict[str, Callable[[Mapping[str, object], object], dict[str, Any]]] = {
    "/generateCaseSheet": generate_case_sheet,
    "/checkCase": check_case,
}


def _dependency_failure(error: ClientError | BotoCoreError) -> tuple[int, dict[str, Any]]:
    """429 when throttled and 503 when unavailable, both with the wait; 500 otherwise."""
    code = error.response.get("Error", {}).get("Code", "") if isinstance(error, ClientError) else ""
    name = code or type(error).__name__
    if code in _THROTTLED:
        status, what = 429, "is throttling requests"
    elif code in _UNAVAILABLE or isinstance(error, (EndpointUnreachable, HTTPClientError)):
        status, what = 503, "is not answering right now"
    else:
        return 500, {"error": f"the case store is unavailable ({name}); try again later"}
    return status, {
        "error": f"the case store {what} ({name}); try again in {RETRY_AFTER_SECONDS} seconds",
        "retryAfterSeconds": RETRY_AFTER_SECONDS,
    }


def perform(
    api_path: str, method: str, read_values: Callable[[], Mapping[str, object]], session: object
) -> tuple[int, dict[str, Any]]:
    """Route one request to its action: the HTTP status and the JSON body to answer with.

    ``read_values`` is called once the action is known, so an unknown action or method is
    reported as such whatever the request carries; ``session`` is the caller's session id.
    """
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
        return 200, route(read_values(), session)
    except InputError as error:
        return 400, {
            "error": str(error),
            "problems": [
                {"field": problem.field, "message": problem.for_user()}
                for problem in error.problems
            ],
        }
    except HttpError as error:
        return error.status, {"error": error.message}
    except (SettingsError, DamagedRecord) as error:
        # Neither goes away by retrying: the message says who must act.
        logger.error("%s on %s", error, api_path)
        return 500, {"error": str(error)}
    except SigningUnavailable as error:
        # The case is stored: the same request again finds it and returns its link.
        logger.exception("signing failure on %s", api_path)
        return 503, {
            "error": f"{error}; the case is stored, try again in {RETRY_AFTER_SECONDS} seconds",
            "retryAfterSeconds": RETRY_AFTER_SECONDS,
        }
    except (ClientError, BotoCoreError) as error:
        logger.exception("dependency failure on %s", api_path)
        return _dependency_failure(error)
    except Exception:  # the agent must always get an answer it can relay
        logger.exception("unexpected failure on %s", api_path)
        return 500, {"error": "an unexpected error occurred; try again later"}
