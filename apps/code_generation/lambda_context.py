"""A Lambda context for invocations outside Lambda (local server, tests, benchmark)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LocalContext:
    """The attributes the handler reads from Lambda's context, and a few more that Lambda's has."""

    timeout_seconds: float = 30.0
    function_name: str = "code-generation-local"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = (
        "arn:aws:lambda:us-east-1:000000000000:function:code-generation-local"
    )
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        return int((self.timeout_seconds - (time.monotonic() - self.started)) * 1000)
