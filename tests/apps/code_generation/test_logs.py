"""The function's log lines: JSON that CloudWatch Logs Insights reads field by field."""

from __future__ import annotations

import io
import json
import logging

from code_generation.logs import JsonFormatter, invocation


def test_a_line_carries_the_invocation_and_its_extra_fields() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("code_generation.test_logs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with invocation("req-1"):
            logger.warning("code generated for %s", "maria", extra={"key": "generated/a.go"})
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "code generated for maria" and first["level"] == "WARNING"
    assert first["request_id"] == "req-1" and first["key"] == "generated/a.go"
    assert second["request_id"] is None and "ValueError: boom" in second["exception"]
