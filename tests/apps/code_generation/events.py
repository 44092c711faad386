"""API Gateway HTTP API (payload 2.0) events, from the JSON fixtures in events/."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).with_name("events")
CALLER = "arn:aws:sts::123456789012:assumed-role/Developer/maria"


@cache
def _fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def event(
    body: dict[str, Any] | str | None = None,
    *,
    fixture: str = "post_code_generation",
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The fixture, with ``body`` (a dict is sent as JSON, a str as is) and extra headers."""
    built = copy.deepcopy(_fixture(fixture))
    if body is not None:
        built["body"] = body if isinstance(body, str) else json.dumps(body)
        built["isBase64Encoded"] = False
    built["headers"].update(headers or {})
    return built


def fixture(name: str) -> dict[str, Any]:
    return copy.deepcopy(_fixture(name))
