"""Every answer fits Bedrock's 25 KB limit on an action-group Lambda's response.

The runtime serializes the envelope: recent Python runtimes keep non-ASCII characters as they
are, older ones escape them (an astral character becomes 12 bytes). Both must fit, for the
longest text every field accepts, in the characters that grow most.
"""

from __future__ import annotations

import json
from typing import Any

from case_sheets.handler import lambda_handler
from case_sheets_domain.fields import MAX_LENGTHS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.apps.case_sheets.events import CASE, event
from tests.apps.case_sheets.test_handler import body

LIMIT = 25_000  # bytes: Bedrock's 25 KB, read as decimal kilobytes to be safe
# A presigned URL signed with a Lambda role's session token; moto's are shorter.
URL_ROOM = 2048

# Astral (4 bytes raw, 12 escaped), CJK (3 / 6), accented (2 / 6), and the characters JSON
# escapes twice on the way through the body string and the envelope.
heavy = st.sampled_from(["😀", "\U0001d54f", "中", "é", '"', "\\"])
patterns = st.lists(heavy, min_size=1, max_size=6).map("".join)


def longest(pattern: str, name: str) -> str:
    return (pattern * MAX_LENGTHS[name])[: MAX_LENGTHS[name]]


def encoded_sizes(response: dict[str, Any]) -> list[int]:
    url = body(response).get("sheetUrl", "")
    return [
        len(json.dumps(response, ensure_ascii=ascii_only).encode()) - len(url) + URL_ROOM
        for ascii_only in (False, True)
    ]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.fixed_dictionaries({name: patterns for name in MAX_LENGTHS}))
def test_the_longest_case_in_any_characters_gets_an_answer_under_the_limit(
    aws: dict[str, Any], pattern: dict[str, str]
) -> None:
    fields = {name: longest(pattern[name], name) for name in MAX_LENGTHS}
    created = lambda_handler(event("/generateCaseSheet", {**CASE, **fields}))
    assert created["response"]["httpStatusCode"] == 200, body(created)
    found = lambda_handler(event("/checkCase", {"caseSheetId": body(created)["id"]}))
    for response in (created, found):
        assert max(encoded_sizes(response)) < LIMIT, encoded_sizes(response)
    echoed = body(found)
    assert echoed["client"] == fields["client"] and echoed["casename"] == fields["casename"]
    for name in ("challenge", "solution", "kpi"):
        assert fields[name].startswith(echoed[name].removesuffix("…"))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.fixed_dictionaries({name: patterns for name in MAX_LENGTHS}))
def test_refusing_every_field_at_once_stays_under_the_limit(
    aws: dict[str, Any], pattern: dict[str, str]
) -> None:
    fields = {name: longest(pattern[name], name) + "\x00" for name in MAX_LENGTHS}
    response = lambda_handler(event("/generateCaseSheet", {**CASE, **fields, "budget": "1.000"}))
    assert response["response"]["httpStatusCode"] == 400
    assert max(encoded_sizes(response)) < LIMIT
