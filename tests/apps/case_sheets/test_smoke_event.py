"""The smoke check's checkCase event is one the real handler understands (and answers 404)."""

from __future__ import annotations

import json
from typing import Any

from case_sheets.handler import lambda_handler
from platform_smoke.aws_checks import check_case_event


def test_the_smoke_checks_event_gets_the_404_it_expects(aws: dict[str, Any]) -> None:
    response = lambda_handler(check_case_event("cs-smokeabcdef12"))["response"]
    assert response["httpStatusCode"] == 404
    assert response["apiPath"] == "/checkCase"
    assert json.loads(response["responseBody"]["application/json"]["body"]) == {
        "error": "no case sheet has the id cs-smokeabcdef12"
    }
