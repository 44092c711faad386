"""Fuzzing an HTTP API from its OpenAPI document with schemathesis, the same way for every API.

Requests are drawn from the document both as it allows them (positive) and as it forbids
them (negative: wrong types, missing fields, out-of-range values); every answer must be no
5xx and must match what the document says of its status. Bounded, and derandomized by the
suite's Hypothesis profile: a run is the same every time and short enough for the test command.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance


def fuzz(schema: Any, *, max_examples: int, **call: Any) -> None:
    """Send ``max_examples`` generated requests to ``schema``'s API and check every answer;
    ``call`` goes to each request (e.g. ``base_url``)."""
    cases = schema.as_strategy(GenerationMode.POSITIVE) | schema.as_strategy(
        GenerationMode.NEGATIVE
    )

    # Derandomized by the test suite's profile (tests/conftest.py).
    @settings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def run(case: Any) -> None:
        case.call_and_validate(checks=[not_a_server_error, response_schema_conformance], **call)

    run()
