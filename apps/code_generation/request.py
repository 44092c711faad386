"""The request body and its validation: every problem is reported, by field."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from code_generation.languages import LANGUAGES

MAX_INSTRUCTION_CHARS = 4000
# Bodies past this are refused (413) before parsing: an instruction at its limit, JSON-escaped
# at six bytes a character (\uXXXX), still fits.
MAX_BODY_BYTES = 32 * 1024
# C0 controls, DEL and C1 controls; tab, line feed and carriage return are ordinary text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class CodeRequest(BaseModel):
    """What a caller asks for; unknown fields are refused so a misspelt one is not ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    instruction: Annotated[str, Field(min_length=1, max_length=MAX_INSTRUCTION_CHARS)]
    language: str
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


class CodeResponse(BaseModel):
    """A generated program: its code, where it is stored, and a short-lived link to it."""

    code: str
    language: str
    model: str
    s3_key: str
    download_url: str
    request_id: str
