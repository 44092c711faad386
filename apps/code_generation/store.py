"""Generated code in S3: one object per request, with who asked for what, and its link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import boto3
from botocore.config import Config
from genai_common.aws import client_config
from genai_common.presign import Link, LinkSigner, link_signer

from code_generation.settings import CodeGenerationSettings

# S3 user metadata travels as HTTP headers: printable ASCII only, everything else escaped.
_METADATA_SAFE = " :/@+=,.-_()[]"


def code_store(settings: CodeGenerationSettings) -> CodeStore:
    """The store on the platform's client policy; its links are signed by the signing role's
    sessions when SIGNING_ROLE_ARN is set (deployed), else by the function's own credentials."""
    endpoint = settings.aws_endpoint_url.rstrip("/") if settings.aws_endpoint_url else None
    config = client_config(settings)
    session = boto3.session.Session()

    def client(service: str, **credentials: str) -> Any:
        # SigV4 for S3: it refuses presigned URLs of SSE-KMS objects signed any other way.
        merged = config.merge(Config(signature_version="s3v4")) if service == "s3" else config
        return session.client(service, config=merged, endpoint_url=endpoint, **credentials)

    s3 = client("s3")
    links = link_signer(
        s3, session.get_credentials(), settings.signing_role_arn, "code-generation", client
    )
    return CodeStore(s3, settings.code_bucket, settings.code_prefix, links)


@dataclass(frozen=True)
class CodeStore:
    s3: Any
    bucket: str
    prefix: str
    links: LinkSigner

    def key(self, request_id: str, extension: str, now: datetime) -> str:
        return f"{self.prefix}{now:%Y/%m/%d}/{request_id}.{extension}"

    def put(self, key: str, code: str, metadata: dict[str, str]) -> None:
        self.s3.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=code.encode(),
            ContentType="text/plain; charset=utf-8",
            # The link downloads a file named after the request rather than opening a page.
            ContentDisposition=f'attachment; filename="{key.rsplit("/", 1)[-1]}"',
            Metadata={name: quote(value, safe=_METADATA_SAFE) for name, value in metadata.items()},
        )

    def download_link(self, key: str, seconds: int, now: datetime) -> Link:
        """A link for ``seconds``, or until the signing credentials expire if sooner; raises
        :class:`~genai_common.presign.SigningUnavailable` when no signing session can be had."""
        return self.links.link(self.bucket, key, seconds, now)
