"""boto3 clients with the platform's retry, timeout and endpoint policy."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from genai_common.settings import PlatformSettings


def client_config(settings: PlatformSettings) -> Config:
    """Adaptive retries back off on throttling; bounded timeouts keep a hung call from
    holding a request forever."""
    return Config(
        region_name=settings.aws_region,
        retries={"mode": "adaptive", "total_max_attempts": settings.aws_max_attempts},
        connect_timeout=settings.aws_connect_timeout,
        read_timeout=settings.aws_read_timeout,
        user_agent_extra="genai-platform",
    )


def aws_client(service: str, settings: PlatformSettings) -> Any:
    """A client for ``service`` using the default credential chain.

    ``AWS_ENDPOINT_URL`` (the local-mode moto server) redirects every client.
    """
    endpoint = str(settings.aws_endpoint_url).rstrip("/") if settings.aws_endpoint_url else None
    return boto3.session.Session().client(
        service, config=client_config(settings), endpoint_url=endpoint
    )
