"""The Lambda behind ``POST|PUT /code-generation`` (API Gateway HTTP API, payload 2.0, IAM auth).

Powertools' resolver routes the event and validates the body against :class:`CodeRequest`;
the handlers below turn every failure into a status code and a JSON ``{"error", "problems"?}``
body that says what to do, so no failure reaches API Gateway as a bare 500.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError
from genai_common.errors import Target, error_code, explain
from genai_common.metering import BudgetExceeded, Usage, metering_scope
from genai_common.presign import SigningUnavailable
from genai_common.safe_json import loads_object
from genai_common.settings import ModelOption, load_settings

from code_generation.deadline import DeadlineExceeded, run_within
from code_generation.extract import extract_code
from code_generation.languages import LANGUAGES
from code_generation.model import CodeModel, code_model
from code_generation.request import (
    MAX_BODY_BYTES,
    MAX_BODY_DEPTH,
    RESPONSES,
    CodeRequest,
    CodeResponse,
    TokenUsage,
)
from code_generation.settings import CodeGenerationSettings
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


def _json_body(text: str) -> dict[str, object]:
    """The body's object, parsed within the body's bounds; Powertools reports a
    :class:`~genai_common.safe_json.JsonInputError` as a body that is not JSON (400)."""
    return loads_object(text, max_bytes=MAX_BODY_BYTES, max_depth=MAX_BODY_DEPTH)


logger = Logger()
app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=_json_body)


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        problems: list[dict[str, str]] | None = None,
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


@cache
def service() -> Service:
    """Settings and clients, built once per container (outside the per-request path)."""
    settings = load_settings(CodeGenerationSettings)  # type: ignore[call-arg]
    return Service(
        settings=settings,
        model=code_model(settings, timeout=settings.deadline_seconds),
        store=code_store(settings),
    )


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(body, ensure_ascii=False),
        headers=headers,
    )


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
        [{"field": "model", "message": f"must be one of the catalog's models: {labels}"}],
    )


def _request_id() -> str:
    # Lambda's request id ties the stored object to the invocation's logs.
    request_id = getattr(app.lambda_context, "aws_request_id", None)
    if isinstance(request_id, str) and _REQUEST_ID.fullmatch(request_id):
        return request_id
    return str(uuid.uuid4())


def _deadline(settings: CodeGenerationSettings, started: float) -> float:
    """Seconds left for the model: the API's deadline, or the Lambda's own timeout if sooner."""
    seconds = settings.deadline_seconds - (time.monotonic() - started)
    remaining = getattr(app.lambda_context, "get_remaining_time_in_millis", None)
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
    usage: TokenUsage,
) -> CodeResponse:
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
    return CodeResponse(
        code=code,
        language=language.name,
        model=option.label,
        s3_key=key,
        download_url=link.url,
        download_url_expires_at=link.expires_at_text(),
        request_id=request_id,
        usage=usage,
    )


@app.route(ROUTE, method=["POST", "PUT"], responses=RESPONSES)
def generate(request: CodeRequest) -> CodeResponse:
    started = time.monotonic()
    caller = app.current_event.request_context.authorizer.iam.user_arn
    assert caller is not None  # lambda_handler refuses events without an identity
    current = service()
    option = _choose(current.settings.catalog(), request.model)
    seconds = _deadline(current.settings, started)
    # Only the model call runs against the clock: a call abandoned at the deadline must not
    # store anything after its caller was told that nothing was stored.
    # The caller's IAM identity is the key of its daily token budget; the meter reports each
    # model call's tokens, which the response carries.
    spent: list[Usage] = []
    with metering_scope(caller, spent.append):
        code = run_within(seconds, lambda: _ask(current.model, option, request, seconds))
    usage = TokenUsage(
        input_tokens=sum(u.input_tokens for u in spent),
        output_tokens=sum(u.output_tokens for u in spent),
    )
    return _store(current.store, option, request, code, caller, _request_id(), usage)


def _problem(error: dict[str, Any]) -> dict[str, str]:
    location = [str(part) for part in error.get("loc", ()) if part != "body"]
    if error.get("type") == "json_invalid":
        # genai_common.safe_json says what the body is: "not valid JSON (...)", "nested ...".
        detail = error.get("ctx", {}).get("error", "not valid JSON")
        return {"field": "body", "message": f"is {detail}"}
    if not location:
        return {"field": "body", "message": "must be a JSON object with instruction and language"}
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    return {"field": ".".join(location), "message": message}


@app.exception_handler(RequestValidationError)
def _invalid(error: RequestValidationError) -> Response:
    problems = [_problem(e) for e in error.errors()]
    return _json(400, {"error": "the request is not valid", "problems": problems})


@app.exception_handler(RequestUnsupportedContentType)
def _unsupported(_: RequestUnsupportedContentType) -> Response:
    return _json(415, {"error": "send the request as JSON (Content-Type: application/json)"})


@app.exception_handler(ApiError)
def _api_error(error: ApiError) -> Response:
    body: dict[str, Any] = {"error": error.message}
    if error.problems:
        body["problems"] = error.problems
    return _json(error.status, body, error.headers)


@app.exception_handler(DeadlineExceeded)
def _too_slow(error: DeadlineExceeded) -> Response:
    logger.warning("deadline passed", extra={"seconds": error.seconds})
    # The limit this request had: DEADLINE_SECONDS, or less when the function's own timeout
    # came first; never rounded down to a misleading "0 s".
    limit = f"{max(error.seconds, 0.1):.1f}".removesuffix(".0")
    return _json(
        504,
        {
            "error": f"The model did not finish within {limit} s, this request's time limit, "
            "so nothing was stored. Try again, or ask for less code at once."
        },
        _RETRY,
    )


@app.exception_handler(NotFoundError)
def _not_found(_: NotFoundError) -> Response:
    return _json(404, {"error": f"no such route; use POST {ROUTE}"})


@app.exception_handler(Exception)
def _unexpected(_: Exception) -> Response:
    logger.exception("unexpected failure")
    return _json(500, {"error": "an unexpected error occurred; try again later"})


def _refusal(
    status: int, message: str, problems: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"error": message}
    if problems:
        body["problems"] = problems
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
        "isBase64Encoded": False,
    }


def _caller(event: dict[str, Any]) -> str | None:
    context = event.get("requestContext")
    authorizer = context.get("authorizer") if isinstance(context, dict) else None
    iam = authorizer.get("iam") if isinstance(authorizer, dict) else None
    arn = iam.get("userArn") if isinstance(iam, dict) else None
    return arn if isinstance(arn, str) and arn.startswith("arn:") else None


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Checks that need no parsing come first: who is calling, and how much they sent."""
    if not isinstance(event, dict) or _caller(event) is None:
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
        return _refusal(
            400, "the request is not valid", [{"field": "body", "message": str(problem)}]
        )
    # Powertools gets the body as text: its own base64 decoding raises on a body that is not UTF-8.
    return app.resolve({**event, "body": text, "isBase64Encoded": False}, context)


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
