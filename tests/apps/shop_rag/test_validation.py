"""Request validation as properties: any body gets a 4xx with a message or is accepted whole,
and the service answers normally afterwards."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from shop_rag.app import MAX_PROMPT_CHARS, GenerateRequest

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20))
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
bodies = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "prompt": st.one_of(
                st.text(max_size=50), st.just("x" * (MAX_PROMPT_CHARS + 1)), json_values
            ),
            "session_id": st.one_of(
                st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True), json_values
            ),
            "stream": json_values,
            "extra": json_values,
        },
    ),
)


SESSION = re.compile(r"[A-Za-z0-9_-]{1,128}")


def valid(body: object) -> bool:
    """What the API promises to accept, written out independently of pydantic."""
    if not isinstance(body, dict) or set(body) - {"prompt", "session_id", "stream"}:
        return False
    prompt, session = body.get("prompt"), body.get("session_id")
    return (
        isinstance(prompt, str)
        and 1 <= len(prompt) <= MAX_PROMPT_CHARS
        and bool(prompt.strip())
        and (session is None or (isinstance(session, str) and bool(SESSION.fullmatch(session))))
        and isinstance(body.get("stream", False), bool)
    )


@given(bodies)
def test_a_request_is_valid_exactly_when_every_field_is(body: object) -> None:
    try:
        request = GenerateRequest.model_validate(body)
    except ValidationError:
        assert not valid(body)
    else:
        assert valid(body)
        assert request.prompt == body["prompt"]  # type: ignore[index]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies.filter(lambda b: not valid(b)), cut=st.booleans())
def test_the_api_answers_bad_bodies_with_a_4xx_message(
    shop: TestClient, body: object, cut: bool
) -> None:
    data = json.dumps(body).encode()
    if cut:
        data = data[: len(data) // 2]  # not JSON any more, or an empty body
    response = shop.post("/generate", content=data, headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 422), (body, response.text)
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]
    assert shop.get("/healthz").status_code == 200
