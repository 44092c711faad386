"""Hostile input: validation accepts exactly the well-formed requests, and the handler never
answers anything but 200, 400 or 413 to whatever body arrives."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest
from code_generation.languages import LANGUAGES
from code_generation.request import MAX_INSTRUCTION_CHARS, InvalidRequest, parse_request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import invoke
from .events import event, fixture

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# Unicode's White_Space, stripped from both ends. Python's str.strip() also strips
# U+001C-U+001F, which the request refuses as control characters instead.
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
WHITE_SPACE += "\u2028\u2029\u202f\u205f\u3000"


def strip(text: str) -> str:
    return text.strip(WHITE_SPACE)


languages = st.sampled_from(list(LANGUAGES)) | st.text(max_size=20)


@given(instruction=st.text(max_size=MAX_INSTRUCTION_CHARS + 50), language=languages)
def test_validation_accepts_exactly_the_well_formed(instruction: str, language: str) -> None:
    well_formed = (
        0 < len(strip(instruction)) <= MAX_INSTRUCTION_CHARS
        and not CONTROL.search(strip(instruction))
        and strip(language).lower() in LANGUAGES
    )
    try:
        request = parse_request({"instruction": instruction, "language": language})
    except InvalidRequest as error:
        assert not well_formed, error
        return
    assert well_formed
    assert request.language in LANGUAGES and request.instruction == strip(instruction)


bodies = st.one_of(
    st.text(max_size=300),
    st.builds(
        json.dumps,
        st.dictionaries(
            st.sampled_from(["instruction", "language", "model", "extra"]),
            st.one_of(
                st.text(max_size=60), st.integers(), st.none(), st.lists(st.text(max_size=5))
            ),
        ),
    ),
)


@pytest.mark.usefixtures("s3")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies)
def test_the_handler_answers_every_body_with_a_clear_status(body: str) -> None:
    status, _, answer = invoke(event(body))
    assert status in (200, 400), answer
    if status == 400:
        assert answer["error"] and answer["problems"]
        assert all(p["field"] and p["message"] for p in answer["problems"])
    else:
        assert answer["code"] and answer["s3_key"]


def _delivered(
    name: str, body: bytes | str | None, encoded: bool, method: str, headers: dict[str, str]
) -> dict[str, Any]:
    """A real API Gateway HTTP API event with the body, method and headers a caller chose."""
    built = fixture(name)
    if body is None:
        built.pop("body", None)
    elif encoded:
        data = body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")
        built["body"] = base64.b64encode(data).decode()
    else:
        built["body"] = body if isinstance(body, str) else body.decode("latin-1")
    built["isBase64Encoded"] = encoded
    built["requestContext"]["http"]["method"] = method
    built["headers"].update(headers)
    return built


delivered_events = st.builds(
    _delivered,
    name=st.sampled_from(["post_code_generation", "put_seed_body", "named_stage", "base64_body"]),
    body=st.none() | st.binary(max_size=200) | st.text(max_size=200) | bodies,
    encoded=st.booleans(),
    method=st.sampled_from(["POST", "PUT", "GET", "DELETE", "PATCH", "OPTIONS"]),
    headers=st.dictionaries(
        st.sampled_from(["content-type", "content-encoding", "accept"]),
        st.sampled_from(["application/json", "text/plain", "application/json; charset=utf-8", ""]),
        max_size=2,
    ),
)


@pytest.mark.usefixtures("s3")
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(built=delivered_events)
def test_any_delivered_event_is_answered_with_a_json_4xx_or_200(built: dict[str, Any]) -> None:
    status, headers, answer = invoke(built)
    assert status in (200, 400, 404, 413, 415), answer
    assert headers["content-type"] == "application/json"
    assert ("code" in answer) if status == 200 else answer["error"]
