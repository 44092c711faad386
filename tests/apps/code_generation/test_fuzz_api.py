"""The local server fuzzed from the OpenAPI document it serves (schemathesis over HTTP): no
request gets a 500, and every answer matches the document. The handler behind it is the
Lambda's, on the offline model and moto's S3."""

from __future__ import annotations

import pytest
import schemathesis
from code_generation import handler
from code_generation.local_server import make_server

from tests.apps.fuzzing import fuzz
from tests.fakes.serving import serving


@pytest.mark.usefixtures("s3")
def test_no_request_gets_a_500_or_an_answer_off_the_schema() -> None:
    with serving(make_server("127.0.0.1", 0)) as server:
        host, port = server.server_address[:2]
        base = f"http://{host}:{port}"
        handler.service()  # settings read now, inside the s3 fixture's environment
        fuzz(schemathesis.openapi.from_url(f"{base}/openapi.json"), max_examples=120, base_url=base)
