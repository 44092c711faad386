"""Generated code in S3: one object per request, with who asked for what, and its link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import boto3
from botocore.config import Config
from genai_common.aws import client_config

from code_generation.settings import CodeGenerationSettings

# S3 user metadata travels as HTTP headers: printable ASCII only, everything else escaped.
_METADATA_SAFE = " :/@+=,.-_()[]"


def s3_client(settings: CodeGenerationSettings) -> Any:
    """The platform's client policy, signing with SigV4: S3 refuses presigned URLs of
    SSE-KMS objects signed any other way."""
    endpoint = str(settings.aws_endpoint_url).rstrip("/") if settings.aws_endpoint_url else None
    config = client_config(settings).merge(Config(signature_version="s3v4"))
    return boto3.session.Session().client("s3", config=config, endpoint_url=endpoint)


@dataclass(frozen=True)
class CodeStore:
    s3: Any
    bucket: str
    prefix: str

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

    def download_url(self, key: str, seconds: int) -> str:
        return str(
            self.s3.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=seconds
            )
        )
