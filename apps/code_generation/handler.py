"""The Lambda behind ``POST|PUT /code-generation`` (API Gateway HTTP API, payload 2.0, IAM auth).

One route, so no routing framework: :func:`lambda_handler` checks the caller, the body's size,
encoding and content type, parses the body within its bounds and validates it
(:mod:`code_generation.request`), and turns every failure into a status code and a JSON
``{"error", "problems"?}`` body that says what to do, so no failure reaches API Gateway as a
bare 500. The statuses and bodies are those openapi.json documents.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError
from genai_common.errors import Target, error_code, explain
from genai_common.metering import BudgetExceeded, Usage, metering_scope
from genai_common.presign import SigningUnavailable
from genai_common.safe_json import JsonInputError, loads_object

from code_generation.deadline import DeadlineExceeded, run_within
from code_generation.extract import extract_code
from code_generation.languages import LANGUAGES
from code_generation.logs import invocation, json_logger
from code_generation.model import CodeModel, code_model
from code_generation.request import (
    MAX_BODY_BYTES,
    MAX_BODY_DEPTH,
    CodeRequest,
    InvalidRequest,
    Problem,
    parse_request,
)
from code_generation.settings import CodeGenerationSettings, ModelOption, load_settings
from code_generation.store import CodeStore, code_store

ROUTE = "/code-generation"
# Bedrock's throttling has already outlasted the client's adaptive retries when it gets here.
RETRY_AFTER_SECONDS = 10
# Time kept back from the Lambda's own timeout to answer before the runtime ends the call.
RESPONSE_MARGIN_SECONDS = 1.0
_THROTTLED = {"ThrottlingException", "TooManyRequestsException", "ServiceQuotaExceededException"}
_UNAVAILABLE = {"ServiceUnavailableException", "ModelNotReadyException"}
# The OpenAI-compatible client's failures (by name: the Lambda zip carries no openai package).
_SERVER_STATUS = {"RateLimitError": 429, "APIConnectionError": 503, "InternalServerError": 503}
_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
_RETRY = {"Retry-After": str(RETRY_AFTER_SECONDS)}
_METHODS = ("POST", "PUT")
_JSON = "application/json"

logger = json_logger("code_generation")


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        problems: list[Problem] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.problems, self.headers = problems, headers or {}


@dataclass(frozen=True)
class Service:
    settings: CodeGenerationSettings
    model: CodeModel
    store: CodeStore


# The local server's own deadline (``serve --deadline``): no API Gateway stands in front of it,
# so its 29 s limit does not bind, and a model on a laptop's CPU needs longer.
LOCAL_DEADLINE: dict[str, float] = {}


@cache
def service() -> Service:
    """Settings and clients, built once per container (outside the per-request path)."""
    settings = load_settings()
    if "seconds" in LOCAL_DEADLINE:
        settings = replace(settings, deadline_seconds=LOCAL_DEADLINE["seconds"])
    return Service(
        settings=settings,
        model=code_model(settings, timeout=settings.deadline_seconds),
        store=code_store(settings),
    )


def _json(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """The response API Gateway's payload 2.0 takes from a function."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": _JSON, **(headers or {})},
        "body": json.dumps(body, ensure_ascii=False),
        "isBase64Encoded": False,
    }


def _refusal(
    status: int,
    message: str,
    problems: list[Problem] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"error": message}
    if problems:
        body["problems"] = [{"field": p.field, "message": p.message} for p in problems]
    return _json(status, body, headers)


def _choose(catalog: tuple[ModelOption, ...], label: str | None) -> ModelOption:
    if label is None:
        return catalog[0]
    for option in catalog:
        if option.label.lower() == label.lower():
            return option
    labels = ", ".join(option.label for option in catalog)
    raise ApiError(
        400,
        "the request is not valid",
        [Problem("model", f"must be one of the catalog's models: {labels}")],
    )


def _request_id(context: Any) -> str:
    # Lambda's request id ties the stored object to the invocation's logs.
    request_id = getattr(context, "aws_request_id", None)
    if isinstance(request_id, str) and _REQUEST_ID.fullmatch(request_id):
        return request_id
    return str(uuid.uuid4())


def _deadline(settings: CodeGenerationSettings, started: float, context: Any) -> float:
    """Seconds left for the model: the API's deadline, or the Lambda's own timeout if sooner."""
    seconds = settings.deadline_seconds - (time.monotonic() - started)
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if callable(remaining):
        seconds = min(seconds, remaining() / 1000 - RESPONSE_MARGIN_SECONDS)
    return max(0.0, seconds)


def _ask(model: CodeModel, option: ModelOption, request: CodeRequest, seconds: float) -> str:
    """The code the model writes; ``seconds`` is the time this request gives it."""
    language = LANGUAGES[request.language]
    try:
        answer = model(option.model_id, request.instruction, language)
    except BudgetExceeded as refused:
        raise ApiError(
            429, str(refused), headers={"Retry-After": str(refused.retry_after)}
        ) from None
    except ClientError as error:
        code = error_code(error)
        message = explain(error, Target.model(option.model_id))
        if code in _THROTTLED:
            raise ApiError(429, message, headers=_RETRY) from error
        if code in _UNAVAILABLE:
            raise ApiError(503, message, headers=_RETRY) from error
        if code == "ModelTimeoutException":
            raise ApiError(
                504,
                f"The model {option.label} took too long to answer (Bedrock's own limit), so "
                "nothing was stored. Try again, or ask for less code at once.",
                headers=_RETRY,
            ) from error
        raise ApiError(502, message) from error
    except (ReadTimeoutError, ConnectTimeoutError) as error:
        raise DeadlineExceeded(seconds) from error
    except Exception as error:  # any provider's failure is the upstream's, reported as such
        name = type(error).__name__
        if name == "APITimeoutError":
            raise DeadlineExceeded(seconds) from error
        logger.exception("the model call failed", extra={"model": option.model_id})
        message = explain(error, Target.model(option.model_id))
        if name in _SERVER_STATUS:
            raise ApiError(_SERVER_STATUS[name], message, headers=_RETRY) from error
        raise ApiError(502, message) from error
    if answer.stop_reason == "guardrail_intervened":
        raise ApiError(
            502,
            "The platform guardrail blocked this request or the model's answer, so no code was "
            "generated. Rephrase the instruction.",
        )
    code = extract_code(answer.text, language)
    if code is None and answer.stop_reason == "max_tokens":
        raise ApiError(
            502,
            "The model's answer was cut off before its code block ended. Ask for less code at "
            "once, e.g. one function.",
        )
    if code is None:
        raise ApiError(
            502,
            "The model answered without a code block, so there is no code to store. Try again "
            "or make the instruction more specific.",
        )
    return code


def _store(
    store: CodeStore,
    option: ModelOption,
    request: CodeRequest,
    code: str,
    caller: str,
    request_id: str,
    usage: Usage,
) -> dict[str, Any]:
    settings = service().settings
    language = LANGUAGES[request.language]
    now = datetime.now(UTC)
    key = store.key(request_id, language.extension, now)
    metadata = {
        "language": language.name,
        "model": option.label,
        "model-id": option.model_id,
        "requested-by": caller,
        "request-id": request_id,
    }
    try:
        # Signed first: a link needs no object to exist, and a link that cannot be signed then
        # leaves nothing stored that the caller was not told about.
        link = store.download_link(key, settings.download_url_seconds, now)
    except SigningUnavailable as error:
        logger.exception("signing the download link failed", extra={"key": key})
        raise ApiError(
            503,
            f"The code was generated but {error}, so nothing was stored. Try again in "
            f"{RETRY_AFTER_SECONDS} seconds.",
            headers=_RETRY,
        ) from error
    try:
        store.put(key, code, metadata)
    except (ClientError, BotoCoreError) as error:
        logger.exception("storing the code failed", extra={"key": key})
        raise ApiError(
            502,
            f"The code was generated but could not be stored ({type(error).__name__}). "
            "Try again in a moment.",
        ) from error
    logger.info(
        "code generated",
        extra={"key": key, "language": language.name, "model": option.label, "caller": caller},
    )
    return {
        "code": code,
        "language": language.name,
        "model": option.label,
        "s3_key": key,
        "download_url": link.url,
        "download_url_expires_at": link.expires_at_text(),
        "request_id": request_id,
        "usage": {"input_tokens": usage.input_tokens, "output_tokens": usage.output_tokens},
    }


def generate(request: CodeRequest, caller: str, context: Any) -> dict[str, Any]:
    started = time.monotonic()
    current = service()
    option = _choose(current.settings.catalog(), request.model)
    seconds = _deadline(current.settings, started, context)
    # Only the model call runs against the clock: a call abandoned at the deadline must not
    # store anything after its caller was told that nothing was stored.
    # The caller's IAM identity is the key of its daily token budget; the meter reports each
    # model call's tokens, which the response carries.
    spent: list[Usage] = []
    with metering_scope(caller, spent.append):
        code = run_within(seconds, lambda: _ask(current.model, option, request, seconds))
    usage = Usage(sum(u.input_tokens for u in spent), sum(u.output_tokens for u in spent))
    return _store(current.store, option, request, code, caller, _request_id(context), usage)


def _too_slow(error: DeadlineExceeded) -> dict[str, Any]:
    logger.warning("deadline passed", extra={"seconds": error.seconds})
    # The limit this request had: DEADLINE_SECONDS, or less when the function's own timeout
    # came first; never rounded down to a misleading "0 s".
    limit = f"{max(error.seconds, 0.1):.1f}".removesuffix(".0")
    return _refusal(
        504,
        f"The model did not finish within {limit} s, this request's time limit, so nothing "
        "was stored. Try again, or ask for less code at once.",
        headers=_RETRY,
    )


def _caller(event: dict[str, Any]) -> str | None:
    context = event.get("requestContext")
    authorizer = context.get("authorizer") if isinstance(context, dict) else None
    iam = authorizer.get("iam") if isinstance(authorizer, dict) else None
    arn = iam.get("userArn") if isinstance(iam, dict) else None
    return arn if isinstance(arn, str) and arn.startswith("arn:") else None


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    with invocation(_request_id(context)):
        try:
            return _handle(event, context)
        except ApiError as error:
            return _refusal(error.status, error.message, error.problems, error.headers)
        except DeadlineExceeded as error:
            return _too_slow(error)
        except Exception:
            logger.exception("unexpected failure")
            return _json(500, {"error": "an unexpected error occurred; try again later"})


def _handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Checks that need no parsing come first: who is calling, and how much they sent."""
    caller = _caller(event) if isinstance(event, dict) else None
    if caller is None:
        return _refusal(
            401, "this API needs an IAM identity: sign the request with SigV4 (execute-api)"
        )
    if _body_bytes(event) > MAX_BODY_BYTES:
        return _refusal(
            413, f"the request body is over {MAX_BODY_BYTES // 1024} KiB; shorten the instruction"
        )
    try:
        text = _body_text(event)
    except ValueError as problem:
        return _refusal(400, "the request is not valid", [Problem("body", str(problem))])
    if _path(event) != ROUTE or _method(event) not in _METHODS:
        return _refusal(404, f"no such route; use POST {ROUTE}")
    content_type = _header(event, "content-type").strip()
    if content_type and not content_type.startswith(_JSON):
        return _refusal(415, "send the request as JSON (Content-Type: application/json)")
    try:
        body = (
            loads_object(text, max_bytes=MAX_BODY_BYTES, max_depth=MAX_BODY_DEPTH) if text else {}
        )
        request = parse_request(body)
    except JsonInputError as error:
        # genai_common.safe_json says what the body is: "not valid JSON (...)", "nested ...".
        return _refusal(400, "the request is not valid", [Problem("body", f"is {error}")])
    except InvalidRequest as invalid:
        return _refusal(400, "the request is not valid", invalid.problems)
    return _json(200, generate(request, caller, context))


def _path(event: dict[str, Any]) -> str:
    """The route's path: a named stage's name leads the raw path ($default has none)."""
    path = str(event.get("rawPath") or "")
    context = event.get("requestContext")
    stage = context.get("stage") if isinstance(context, dict) else None
    if isinstance(stage, str) and stage != "$default":
        return path.removeprefix(f"/{stage}")
    return path


def _method(event: dict[str, Any]) -> str:
    http = (event.get("requestContext") or {}).get("http")
    return str(http.get("method", "")).upper() if isinstance(http, dict) else ""


def _header(event: dict[str, Any], name: str) -> str:
    headers = event.get("headers")
    if not isinstance(headers, dict):
        return ""
    # API Gateway lower-cases header names; a hand-made event may not.
    return next((str(v) for k, v in headers.items() if str(k).lower() == name), "")


def _body_text(event: dict[str, Any]) -> str | None:
    """The body as text: API Gateway base64-encodes a body that is not UTF-8 text."""
    body = event.get("body")
    if body is None:
        return None
    if not isinstance(body, str):
        raise ValueError("is not text")
    if not event.get("isBase64Encoded"):
        return body
    try:
        data = base64.b64decode(body, validate=True)
    except binascii.Error:
        raise ValueError("is marked base64-encoded but is not base64") from None
    try:
        return data.decode()
    except UnicodeDecodeError as error:
        raise ValueError(f"is not UTF-8 text (byte {error.start + 1})") from None


def _body_bytes(event: dict[str, Any]) -> int:
    body = event.get("body")
    if not isinstance(body, str):
        return 0
    # Base64 carries three bytes in four characters.
    return len(body) * 3 // 4 if event.get("isBase64Encoded") else len(body.encode())
