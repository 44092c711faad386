"""The request body and its validation: every problem is reported, by field."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from code_generation.languages import LANGUAGES

MAX_INSTRUCTION_CHARS = 4000
# Bodies past this are refused (413) before parsing: an instruction at its limit, JSON-escaped
# at six bytes a character (\uXXXX), still fits.
MAX_BODY_BYTES = 32 * 1024
# The body is a flat object: anything nested deeper is refused before it is parsed.
MAX_BODY_DEPTH = 4
# C0 controls, DEL and C1 controls; tab, line feed and carriage return are ordinary text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class CodeRequest(BaseModel):
    """What a caller asks for; unknown fields are refused so a misspelt one is not ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    instruction: Annotated[str, Field(min_length=1, max_length=MAX_INSTRUCTION_CHARS)]
    # The document lists the languages; any letter case is accepted.
    language: Annotated[str, Field(json_schema_extra={"enum": list(LANGUAGES)})]
    model: Annotated[str | None, Field(min_length=1, max_length=100)] = None

    @field_validator("instruction")
    @classmethod
    def _printable(cls, value: str) -> str:
        if match := _CONTROL.search(value):
            raise ValueError(
                f"contains the control character U+{ord(match.group()):04X} at position "
                f"{match.start() + 1}; send plain text (tabs and line breaks are fine)"
            )
        return value

    @field_validator("language")
    @classmethod
    def _allowed(cls, value: str) -> str:
        name = value.lower()
        if name not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return name


class TokenUsage(BaseModel):
    """The model tokens this request used (a UI adds them up per session)."""

    input_tokens: int
    output_tokens: int


class CodeResponse(BaseModel):
    """A generated program: its code, where it is stored, a short-lived link to it, and the
    tokens generating it took."""

    code: str
    language: str
    model: str
    s3_key: str
    download_url: str
    # When the link stops working (ISO 8601, UTC): DOWNLOAD_URL_SECONDS after the request, or
    # sooner when the credentials that signed it expire first.
    download_url_expires_at: str
    request_id: str
    usage: TokenUsage


class Problem(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    """Every refusal: what went wrong, and for an invalid request each field to correct."""

    error: str
    problems: list[Problem] | None = None


def _answer(description: str, model: type[BaseModel] = ErrorBody) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"model": model}}}


# The API's answers, as its OpenAPI document states them (GET /openapi.json locally).
RESPONSES: dict[int, Any] = {
    200: _answer("The code, where it is stored, and a link to download it.", CodeResponse),
    400: _answer("The request is not valid; each problem names the field to correct."),
    401: _answer("The request is not signed with an IAM identity (SigV4, execute-api)."),
    404: _answer("No such route."),
    413: _answer("The body is over the limit."),
    415: _answer("The body is not sent as application/json."),
    429: _answer(
        "The model is throttling requests, or a daily token budget is used up; wait "
        "Retry-After seconds."
    ),
    502: _answer("The model failed or refused, or the code could not be stored."),
    503: _answer(
        "The model, or the signing of the download link, is not available right now; wait "
        "Retry-After seconds."
    ),
    504: _answer("The model did not answer within the time limit; nothing was stored."),
}
