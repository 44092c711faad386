"""openapi.json, the API's one document (the local server serves it, the fuzz test draws from it),
against what the handler does: the body's rules are the validators', and answers match it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import code_generation
import pytest
from code_generation.languages import LANGUAGES
from code_generation.request import (
    FIELDS,
    MAX_INSTRUCTION_CHARS,
    MAX_MODEL_CHARS,
    InvalidRequest,
    parse_request,
)
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from .conftest import invoke
from .events import event

DOCUMENT = json.loads(Path(code_generation.__file__).with_name("openapi.json").read_text())
SCHEMAS = DOCUMENT["components"]["schemas"]
REQUEST = SCHEMAS["CodeRequest"]


def schema(name: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": DOCUMENT["components"]}
    )


def refused(body: dict[str, Any]) -> set[str]:
    """The fields parse_request names as wrong in ``body`` (none: accepted)."""
    try:
        parse_request(body)
    except InvalidRequest as error:
        return {problem.field for problem in error.problems}
    return set()


def test_the_document_is_valid_openapi() -> None:
    validate(DOCUMENT)
    operations = DOCUMENT["paths"]["/code-generation"]
    assert set(operations) == {"post", "put"}
    for operation in operations.values():
        body = operation["requestBody"]["content"]
        assert list(body) == ["application/json"]


def test_the_body_rules_are_the_validators() -> None:
    assert set(REQUEST["properties"]) == set(FIELDS)
    assert REQUEST["additionalProperties"] is False
    assert refused({"instruction": "x", "language": "go", "extra": 1}) == {"extra"}
    for name in REQUEST["required"]:
        body = {"instruction": "x", "language": "go"}
        del body[name]
        assert refused(body) == {name}
    assert set(REQUEST["required"]) == set(FIELDS) - {"model"}
    instruction = REQUEST["properties"]["instruction"]
    assert instruction["maxLength"] == MAX_INSTRUCTION_CHARS
    for length in (instruction["minLength"], instruction["maxLength"]):
        assert refused({"instruction": "x" * length, "language": "go"}) == set()
    for length in (instruction["minLength"] - 1, instruction["maxLength"] + 1):
        assert refused({"instruction": "x" * length, "language": "go"}) == {"instruction"}
    assert REQUEST["properties"]["language"]["enum"] == list(LANGUAGES)
    for name in REQUEST["properties"]["language"]["enum"]:
        assert refused({"instruction": "x", "language": name.upper()}) == set()
    model = REQUEST["properties"]["model"]["anyOf"][0]
    assert model["maxLength"] == MAX_MODEL_CHARS
    assert refused({"instruction": "x", "language": "go", "model": "m" * (MAX_MODEL_CHARS + 1)})
    assert refused({"instruction": "x", "language": "go", "model": None}) == set()


def test_a_generated_answer_matches_the_document(s3: Any) -> None:
    status, _, body = invoke(event())
    assert status == 200
    schema("CodeResponse").validate(body)
    assert set(body) == set(SCHEMAS["CodeResponse"]["required"])


@pytest.mark.parametrize(
    ("body", "status"),
    [({"instruction": "x", "language": "cobol", "extra": 1}, 400), ("x" * 40_000, 413)],
)
def test_refusals_match_the_document(s3: Any, body: dict[str, Any] | str, status: int) -> None:
    answered, _, answer = invoke(event(body))
    assert answered == status
    assert str(status) in DOCUMENT["paths"]["/code-generation"]["post"]["responses"]
    schema("ErrorBody").validate(answer)
