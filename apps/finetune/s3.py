"""s3:// locations and folder copies between S3 and the local disk."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Bucket naming rules of S3 (general purpose buckets), and its longest key (UTF-8 bytes).
_BUCKET_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789.-")
MAX_KEY_BYTES = 1024


@dataclass(frozen=True)
class S3Location:
    bucket: str
    key: str

    @classmethod
    def parse(cls, uri: str) -> S3Location:
        bucket, _, key = uri.removeprefix("s3://").partition("/")
        if (
            not uri.startswith("s3://")
            or not 3 <= len(bucket) <= 63
            or not set(bucket) <= _BUCKET_CHARS
            or ".." in key.split("/")
        ):
            raise ValueError(f"{uri!r} is not an s3://bucket/key URI")
        if len(key.encode("utf-8", "surrogatepass")) > MAX_KEY_BYTES:
            raise ValueError(f"{uri[:80]}...: the key is longer than S3's {MAX_KEY_BYTES} bytes")
        return cls(bucket, key)

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.key}"

    def child(self, name: str) -> S3Location:
        return S3Location(self.bucket, f"{self.key.rstrip('/')}/{name}".lstrip("/"))

    def prefix(self) -> str:
        """The key as a folder prefix, ending in one slash."""
        return self.key.rstrip("/") + "/" if self.key else ""


def keys(s3: Any, folder: S3Location) -> Iterator[str]:
    for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket=folder.bucket, Prefix=folder.prefix()
    ):
        yield from (item["Key"] for item in page.get("Contents", []))


def upload_folder(s3: Any, local: Path, folder: S3Location, last: Iterable[str] = ()) -> list[str]:
    """Uploads every file below ``local``; the names in ``last`` go after all the others, so a
    reader that waits for them never sees a half-copied folder. Returns the keys written."""
    last = tuple(last)
    files = sorted(p for p in local.rglob("*") if p.is_file())
    files.sort(key=lambda p: p.relative_to(local).as_posix() in last)
    written = []
    for path in files:
        key = folder.child(path.relative_to(local).as_posix()).key
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        s3.upload_file(str(path), folder.bucket, key, ExtraArgs={"ContentType": content_type})
        written.append(key)
    return written


def download_folder(s3: Any, folder: S3Location, local: Path) -> Path:
    """Copies every object below ``folder`` into ``local``; returns ``local``."""
    prefix = folder.prefix()
    for key in keys(s3, folder):
        relative = Path(key.removeprefix(prefix))
        if ".." in relative.parts or relative.is_absolute():
            raise ValueError(f"s3://{folder.bucket}/{key}: refusing a key outside {folder}")
        target = local / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        s3.download_file(folder.bucket, key, str(target))
    return local


def delete_folder(s3: Any, folder: S3Location) -> None:
    batch: list[dict[str, str]] = []
    for key in keys(s3, folder):
        batch.append({"Key": key})
        if len(batch) == 1000:
            s3.delete_objects(Bucket=folder.bucket, Delete={"Objects": batch, "Quiet": True})
            batch = []
    if batch:
        s3.delete_objects(Bucket=folder.bucket, Delete={"Objects": batch, "Quiet": True})
