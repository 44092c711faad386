"""boto3 clients with the platform's retry, timeout and endpoint policy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

import boto3
from botocore.config import Config
from botocore.retries.standard import RetryEventAdapter, StandardRetryConditions


class ClientSettings(Protocol):
    """What the client policy reads: PlatformSettings has it, and so has a Lambda's own settings
    class, which need not import pydantic for it."""

    @property
    def aws_region(self) -> str: ...
    @property
    def aws_endpoint_url(self) -> object | None: ...
    @property
    def aws_max_attempts(self) -> int: ...
    @property
    def aws_interactive_max_attempts(self) -> int: ...
    @property
    def aws_connect_timeout(self) -> float: ...
    @property
    def aws_read_timeout(self) -> float: ...


@dataclass(frozen=True)
class Retry:
    """A failed attempt that the client is about to repeat."""

    operation: str
    attempt: int
    max_attempts: int
    reason: str


_on_retry: ContextVar[Callable[[Retry], None] | None] = ContextVar("on_retry", default=None)


@contextmanager
def retry_notices(callback: Callable[[Retry], None]) -> Iterator[None]:
    """Call ``callback`` before each retry of a call made in this context (a page shows it)."""
    token = _on_retry.set(callback)
    try:
        yield
    finally:
        _on_retry.reset(token)


def client_config(settings: ClientSettings, interactive: bool = False) -> Config:
    """Adaptive retries back off on throttling; bounded timeouts keep a hung call from
    holding a request forever. Interactive calls get the short retry budget."""
    attempts = settings.aws_interactive_max_attempts if interactive else settings.aws_max_attempts
    return Config(
        region_name=settings.aws_region,
        retries={"mode": "adaptive", "total_max_attempts": attempts},
        connect_timeout=settings.aws_connect_timeout,
        read_timeout=settings.aws_read_timeout,
        user_agent_extra="genai-platform",
    )


def aws_client(service: str, settings: ClientSettings, *, interactive: bool = False) -> Any:
    """A client for ``service`` using the default credential chain.

    ``AWS_ENDPOINT_URL`` (the local-mode moto server) redirects every client. Pass
    ``interactive=True`` for calls a person waits on: fewer retries, and each retry is
    reported to the :func:`retry_notices` callback of the calling context.
    """
    endpoint = str(settings.aws_endpoint_url).rstrip("/") if settings.aws_endpoint_url else None
    config = client_config(settings, interactive)
    client = boto3.session.Session().client(service, config=config, endpoint_url=endpoint)
    max_attempts = config.retries["total_max_attempts"]

    # botocore's own retry conditions, so a notice appears exactly when it will retry.
    conditions = StandardRetryConditions(max_attempts=max_attempts)
    adapter = RetryEventAdapter()

    def notice(**kwargs: Any) -> None:
        # An observer of the retry decision: it returns None, so it never alters it.
        callback = _on_retry.get()
        if callback is None:
            return
        context = adapter.create_retry_context(**kwargs)
        if not conditions.is_retryable(context):
            return
        reason = context.get_error_code() or type(context.caught_exception).__name__
        operation = getattr(context.operation_model, "name", "call")
        callback(Retry(operation, context.attempt_number + 1, max_attempts, reason))

    client.meta.events.register("needs-retry", notice)
    return client
