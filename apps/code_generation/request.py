"""The request body and its validation: every problem is reported, by field.

The rules are those openapi.json (beside this module) states for the body; a test holds the two
together. Messages read as the platform's other APIs word them (pydantic's), so a caller sees
the same wording whichever API refused it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from code_generation.languages import LANGUAGES

MAX_INSTRUCTION_CHARS = 4000
MAX_MODEL_CHARS = 100
# Bodies past this are refused (413) before parsing: an instruction at its limit, JSON-escaped
# at six bytes a character (\uXXXX), still fits.
MAX_BODY_BYTES = 32 * 1024
# The body is a flat object: anything nested deeper is refused before it is parsed.
MAX_BODY_DEPTH = 4
# C0 controls, DEL and C1 controls; tab, line feed and carriage return are ordinary text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Unicode's White_Space, stripped from both ends of every string. Not str.strip(): it also
# strips U+001C-U+001F, which the instruction refuses as control characters instead.
WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
FIELDS = ("instruction", "language", "model")


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


class InvalidRequest(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class CodeRequest:
    """What a caller asks for: ``language`` a key of LANGUAGES, ``model`` a catalog label."""

    instruction: str
    language: str
    model: str | None = None


def _string(value: object) -> str:
    """The string stripped of white space, or ValueError saying why it is none."""
    if not isinstance(value, str):
        raise ValueError("Input should be a valid string")
    # A lone surrogate (a \\ud800 escape) is no text: it cannot be stored or sent as UTF-8.
    if _SURROGATE.search(value):
        raise ValueError(
            "Input should be a valid string, unable to parse raw data as a unicode string"
        )
    return value.strip(WHITE_SPACE)


def _text(value: object, max_chars: int) -> str:
    text = _string(value)
    if not text:
        raise ValueError("String should have at least 1 character")
    if len(text) > max_chars:
        raise ValueError(f"String should have at most {max_chars} characters")
    return text


def _instruction(value: object) -> str:
    text = _text(value, MAX_INSTRUCTION_CHARS)
    if match := _CONTROL.search(text):
        raise ValueError(
            f"contains the control character U+{ord(match.group()):04X} at position "
            f"{match.start() + 1}; send plain text (tabs and line breaks are fine)"
        )
    return text


def _language(value: object) -> str:
    name = _string(value).lower()
    if name not in LANGUAGES:
        raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
    return name


def parse_request(body: dict[str, object]) -> CodeRequest:
    """The request in ``body`` (a JSON object), or :class:`InvalidRequest` with every problem;
    unknown fields are refused so a misspelt one is not ignored."""
    problems = [
        Problem(name, "Extra inputs are not permitted") for name in body if name not in FIELDS
    ]
    values: dict[str, str | None] = {}
    checks = {"instruction": _instruction, "language": _language}
    for name, check in checks.items():
        if name not in body:
            problems.append(Problem(name, "Field required"))
            continue
        try:
            values[name] = check(body[name])
        except ValueError as error:
            problems.append(Problem(name, str(error)))
    if body.get("model") is not None:
        try:
            values["model"] = _text(body["model"], MAX_MODEL_CHARS)
        except ValueError as error:
            problems.append(Problem("model", str(error)))
    if problems:
        raise InvalidRequest(problems)
    return CodeRequest(**values)  # type: ignore[arg-type]
