"""A Kubernetes API client for an EKS cluster, authenticated like `aws eks get-token`."""

from __future__ import annotations

import base64
import tempfile
import time
from collections.abc import Callable
from typing import Any

from botocore.credentials import Credentials
from botocore.hooks import HierarchicalEmitter
from botocore.model import ServiceId
from botocore.signers import RequestSigner
from kubernetes import client

AUTHENTICATOR_PREFIX = "k8s-aws-v1."
# EKS accepts tokens for 15 minutes; a short one is enough for a smoke check.
PRESIGN_SECONDS = 60
# A client that lives longer (watching a training Job for hours) signs a new token before any
# request made after this age, well inside the 15 minutes.
TOKEN_MAX_AGE_SECONDS = 10 * 60


def eks_token(credentials: Credentials, cluster_name: str, region: str) -> str:
    """A presigned STS GetCallerIdentity URL that names the cluster, as the EKS authenticator expects."""
    # The signer holds its emitter weakly: keep one alive for the call.
    emitter = HierarchicalEmitter()
    signer = RequestSigner(ServiceId("sts"), region, "sts", "v4", credentials, emitter)
    url = signer.generate_presigned_url(
        {
            "method": "GET",
            "url": f"https://sts.{region}.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
            "body": {},
            "headers": {"x-k8s-aws-id": cluster_name},
            "context": {},
        },
        region_name=region,
        expires_in=PRESIGN_SECONDS,
        operation_name="",
    )
    return AUTHENTICATOR_PREFIX + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


def api_client(
    eks: Any,
    credentials: Credentials,
    cluster_name: str,
    region: str,
    clock: Callable[[], float] = time.monotonic,
) -> client.ApiClient:
    cluster = eks.describe_cluster(name=cluster_name)["cluster"]
    configuration = client.Configuration()
    configuration.host = cluster["endpoint"]
    with tempfile.NamedTemporaryFile("wb", suffix=".crt", delete=False) as ca:
        ca.write(base64.b64decode(cluster["certificateAuthority"]["data"]))
    configuration.ssl_ca_cert = ca.name
    signed_at = clock()
    configuration.api_key = {
        "authorization": f"Bearer {eks_token(credentials, cluster_name, region)}"
    }

    def refresh(configuration: client.Configuration) -> None:
        nonlocal signed_at
        if clock() - signed_at >= TOKEN_MAX_AGE_SECONDS:
            signed_at = clock()
            token = eks_token(credentials, cluster_name, region)
            configuration.api_key["authorization"] = f"Bearer {token}"

    # The client calls this before every request it authenticates.
    configuration.refresh_api_key_hook = refresh
    # Fail a check fast rather than hang on an unreachable private endpoint.
    configuration.retries = 1
    return client.ApiClient(configuration)
