"""Generated code in S3: one object per request, with who asked for what, and its link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import boto3
from botocore.config import Config
from genai_common.aws import client_config
from genai_common.presign import Link, presigned_get

from code_generation.settings import CodeGenerationSettings

# S3 user metadata travels as HTTP headers: printable ASCII only, everything else escaped.
_METADATA_SAFE = " :/@+=,.-_()[]"


def code_store(settings: CodeGenerationSettings) -> CodeStore:
    """The store on the platform's client policy, signing with SigV4: S3 refuses presigned URLs
    of SSE-KMS objects signed any other way."""
    endpoint = str(settings.aws_endpoint_url).rstrip("/") if settings.aws_endpoint_url else None
    config = client_config(settings).merge(Config(signature_version="s3v4"))
    session = boto3.session.Session()
    s3 = session.client("s3", config=config, endpoint_url=endpoint)
    # The client signs with the session's credentials: this same object, refreshed in place.
    return CodeStore(s3, settings.code_bucket, settings.code_prefix, session.get_credentials())


@dataclass(frozen=True)
class CodeStore:
    s3: Any
    bucket: str
    prefix: str
    # What the links are signed with: a link works no longer than these do.
    credentials: Any = None

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
        """A link for ``seconds``, or until the signing credentials expire if sooner."""
        return presigned_get(self.s3, self.credentials, self.bucket, key, seconds, now)
