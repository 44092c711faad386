"""The Lambda behind ``POST|PUT /code-generation`` (API Gateway HTTP API, payload 2.0, IAM auth).

Powertools' resolver routes the event and validates the body against :class:`CodeRequest`;
the handlers below turn every failure into a status code and a JSON ``{"error", "problems"?}``
body that says what to do, so no failure reaches API Gateway as a bare 500.
"""

from __future__ import annotations

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
from genai_common.settings import ModelOption, load_settings

from code_generation.deadline import DeadlineExceeded, run_within
from code_generation.extract import extract_code
from code_generation.languages import LANGUAGES
from code_generation.model import CodeModel, code_model
from code_generation.request import MAX_BODY_BYTES, CodeRequest, CodeResponse
from code_generation.settings import CodeGenerationSettings
from code_generation.store import CodeStore, s3_client

ROUTE = "/code-generation"
# Bedrock's throttling has already outlasted the client's adaptive retries when it gets here.
RETRY_AFTER_SECONDS = 10
# Time kept back from the Lambda's own timeout to answer before the runtime ends the call.
RESPONSE_MARGIN_SECONDS = 1.0
_THROTTLED = {"ThrottlingException", "TooManyRequestsException", "ServiceQuotaExceededException"}
_UNAVAILABLE = {"ServiceUnavailableException", "ModelNotReadyException"}
_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")

logger = Logger()
app = APIGatewayHttpResolver(enable_validation=True)


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
        store=CodeStore(s3_client(settings), settings.code_bucket, settings.code_prefix),
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


def _ask(model: CodeModel, option: ModelOption, request: CodeRequest) -> str:
    language = LANGUAGES[request.language]
    try:
        answer = model(option.model_id, request.instruction, language)
    except ClientError as error:
        code = error_code(error)
        message = explain(error, Target.model(option.model_id))
        if code in _THROTTLED:
            raise ApiError(
                429, message, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
            ) from error
        if code in _UNAVAILABLE:
            raise ApiError(
                503, message, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
            ) from error
        raise ApiError(502, message) from error
    except (ReadTimeoutError, ConnectTimeoutError) as error:
        raise DeadlineExceeded(service().settings.deadline_seconds) from error
    except Exception as error:  # any provider's failure is the upstream's, reported as such
        logger.exception("the model call failed", extra={"model": option.model_id})
        raise ApiError(502, explain(error, Target.model(option.model_id))) from error
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
) -> CodeResponse:
    settings = service().settings
    language = LANGUAGES[request.language]
    key = store.key(request_id, language.extension, datetime.now(UTC))
    metadata = {
        "language": language.name,
        "model": option.label,
        "model-id": option.model_id,
        "requested-by": caller,
        "request-id": request_id,
    }
    try:
        store.put(key, code, metadata)
        url = store.download_url(key, settings.download_url_seconds)
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
        download_url=url,
        request_id=request_id,
    )


@app.route(ROUTE, method=["POST", "PUT"])
def generate(request: CodeRequest) -> CodeResponse:
    started = time.monotonic()
    caller = app.current_event.request_context.authorizer.iam.user_arn
    assert caller is not None  # lambda_handler refuses events without an identity
    current = service()
    option = _choose(current.settings.catalog(), request.model)
    seconds = _deadline(current.settings, started)
    try:
        # Only the model call runs against the clock: a call abandoned at the deadline
        # must not store anything after its caller was told that nothing was stored.
        code = run_within(seconds, lambda: _ask(current.model, option, request))
    except DeadlineExceeded:
        raise DeadlineExceeded(current.settings.deadline_seconds) from None
    return _store(current.store, option, request, code, caller, _request_id())


def _problem(error: dict[str, Any]) -> dict[str, str]:
    location = [str(part) for part in error.get("loc", ()) if part != "body"]
    if error.get("type") == "json_invalid":
        detail = error.get("ctx", {}).get("error", "malformed")
        return {"field": "body", "message": f"is not valid JSON ({detail})"}
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
    return _json(
        504,
        {
            "error": f"The model did not finish within {error.seconds:.0f} s, the API's time "
            "limit, so nothing was stored. Try again, or ask for less code at once."
        },
    )


@app.exception_handler(NotFoundError)
def _not_found(_: NotFoundError) -> Response:
    return _json(404, {"error": f"no such route; use POST {ROUTE}"})


@app.exception_handler(Exception)
def _unexpected(_: Exception) -> Response:
    logger.exception("unexpected failure")
    return _json(500, {"error": "an unexpected error occurred; try again later"})


def _refusal(status: int, message: str) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"error": message}),
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
    return app.resolve(event, context)


def _body_bytes(event: dict[str, Any]) -> int:
    body = event.get("body")
    if not isinstance(body, str):
        return 0
    # Base64 carries three bytes in four characters.
    return len(body) * 3 // 4 if event.get("isBase64Encoded") else len(body.encode())
