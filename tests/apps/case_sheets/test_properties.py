"""Arbitrary events never make the handler raise, and always get a well-formed envelope."""

from __future__ import annotations

import json
from typing import Any

from case_sheets.handler import lambda_handler
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    assert inner["httpStatusCode"] in {200, 400, 404, 405, 409, 415, 500}
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
