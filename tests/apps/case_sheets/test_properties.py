"""Arbitrary events never make the handler raise, and always get a well-formed envelope."""

from __future__ import annotations

import json
from typing import Any

from case_sheets.handler import lambda_handler
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.apps.case_sheets.conftest import stored
from tests.apps.case_sheets.events import CASE, event

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30))
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
named = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.sampled_from([*CASE, "caseSheetId", "other"]),
            "type": st.just("string"),
            "value": json_values,
        }
    ),
    max_size=8,
)
events = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "messageVersion": json_values,
            "actionGroup": json_values,
            "apiPath": st.one_of(
                st.sampled_from(["/generateCaseSheet", "/checkCase", "/x", ""]), json_values
            ),
            "httpMethod": st.one_of(st.sampled_from(["POST", "GET", "post"]), json_values),
            "sessionId": json_values,
            "parameters": st.one_of(named, json_values),
            "requestBody": st.one_of(
                st.builds(lambda p: {"content": {"application/json": {"properties": p}}}, named),
                json_values,
            ),
            "sessionAttributes": json_values,
        },
    ),
)


def well_formed(response: dict[str, Any]) -> None:
    assert response["messageVersion"] == "1.0"
    inner = response["response"]
    assert isinstance(inner["actionGroup"], str) and isinstance(inner["apiPath"], str)
    assert isinstance(inner["httpMethod"], str)
    # No 500: with a working store, nothing an event holds is the function's failure.
    assert inner["httpStatusCode"] in {200, 400, 404, 405, 409, 415}, inner
    payload = json.loads(inner["responseBody"]["application/json"]["body"])
    assert isinstance(payload, dict)
    assert isinstance(response["sessionAttributes"], dict)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events)
def test_arbitrary_events_get_an_envelope(aws: dict[str, Any], e: Any) -> None:
    well_formed(lambda_handler(e))


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(st.sampled_from(list(CASE)), json_values))
def test_arbitrary_case_fields_are_accepted_or_refused_with_400(
    aws: dict[str, Any], fields: dict[str, Any]
) -> None:
    response = lambda_handler(event("/generateCaseSheet", {**CASE, **fields}))
    well_formed(response)
    assert response["response"]["httpStatusCode"] in {200, 400}


any_character = st.one_of(
    st.characters(),
    st.characters(categories=["Cs", "Cc", "Cn"]),
    st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", "😀", "\ufffe", ",", "."]),
)
amounts = st.one_of(
    st.floats(),
    st.integers(min_value=-(10**50), max_value=10**50),
    st.decimals().map(str),
    st.text(st.sampled_from("0123456789.,-+$ eE"), max_size=24),
)
field_values = st.one_of(st.text(any_character, max_size=60), amounts)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(st.sampled_from(list(CASE)), field_values))
def test_any_text_or_number_is_a_200_or_a_400_that_writes_nothing(
    aws: dict[str, Any], fields: dict[str, Any]
) -> None:
    before = stored(aws)
    response = lambda_handler(event("/generateCaseSheet", {**CASE, **fields}))
    well_formed(response)
    code = response["response"]["httpStatusCode"]
    assert code in {200, 400}, json.loads(
        response["response"]["responseBody"]["application/json"]["body"]
    )
    if code == 400:
        assert stored(aws) == before
    # The runtime must be able to send the answer: no lone surrogate reaches it.
    json.dumps(response, ensure_ascii=False).encode()


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.text(any_character, max_size=80), amounts))
def test_any_case_id_is_answered_without_a_500(aws: dict[str, Any], case_id: Any) -> None:
    response = lambda_handler(event("/checkCase", {"caseSheetId": case_id}))
    assert response["response"]["httpStatusCode"] in {400, 404}
    json.dumps(response, ensure_ascii=False).encode()


not_a_list = st.one_of(
    st.dictionaries(st.text(max_size=5), scalars, min_size=1, max_size=3),
    st.text(min_size=1, max_size=10),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.lists(scalars, min_size=1, max_size=3),  # a list, but not of {name, value} objects
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(["parameters", "properties", "requestBody", "content"]), not_a_list)
def test_a_malformed_event_is_a_400_naming_the_part(
    aws: dict[str, Any], part: str, value: Any
) -> None:
    e = event("/generateCaseSheet", CASE)
    if part == "parameters":
        e["parameters"] = value
    elif part == "properties":
        e["requestBody"]["content"]["application/json"]["properties"] = value
    elif part == "requestBody":
        e["requestBody"] = value if not isinstance(value, dict) else [value]
    else:
        e["requestBody"]["content"] = value if not isinstance(value, dict) else [value]
    response = lambda_handler(e)["response"]
    error = json.loads(response["responseBody"]["application/json"]["body"])["error"]
    assert response["httpStatusCode"] == 400
    assert error.startswith("requestBody" if part != "parameters" else "parameters")
    assert stored(aws) == (0, 0)
