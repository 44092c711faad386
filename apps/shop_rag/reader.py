"""Where a catalog file may come from: the catalog prefix of one S3 bucket, or one local folder.

``/load_data`` takes its source from the request, so the service reads only from places the
operator configured: ``s3://<CATALOG_BUCKET>/<CATALOG_PREFIX>...`` or a file name under
``CATALOG_DIR``. Anything else (another bucket, ``..``, an absolute path, a symbolic link out
of the folder, a URL) is refused before any read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from shop_rag.errors import ServiceError
from shop_rag.settings import ShopSettings

# Linux file systems' NAME_MAX, and S3's limit on an object key; both count UTF-8 bytes.
MAX_NAME_BYTES = 255
MAX_KEY_BYTES = 1024


class SourceError(ServiceError):
    """The source is not one this service may read (400), does not exist (404), is too
    large (413), or S3 failed (502, 503)."""

    status = 400


@dataclass(frozen=True)
class S3Source:
    bucket: str
    key: str

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


@dataclass(frozen=True)
class LocalSource:
    path: Path
    name: str

    def __str__(self) -> str:
        return self.name


def _utf8_size(text: str) -> int:
    try:
        return len(text.encode())
    except UnicodeEncodeError:
        raise SourceError("the source is not valid Unicode text (a lone surrogate)") from None


def _safe_parts(text: str) -> list[str]:
    """The path's segments, refusing empty ones, ``.`` and ``..`` (no way out, no aliases)."""
    if "\\" in text or "\x00" in text:
        raise SourceError("the source may not contain backslashes or NUL characters")
    parts = text.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise SourceError("the source may not contain '..', '.' or empty path segments")
    return parts


def resolve(source: str, settings: ShopSettings) -> S3Source | LocalSource:
    """The place ``source`` names, if this service may read it."""
    if source.startswith("s3://"):
        return _resolve_s3(source.removeprefix("s3://"), settings)
    if "://" in source:
        raise SourceError("a source is s3://<bucket>/<key> or a file name under CATALOG_DIR")
    if settings.catalog_dir is None:
        raise SourceError("local catalog files are off: set CATALOG_DIR, or use an s3:// source")
    if source.startswith("/") or PurePosixPath(source).is_absolute():
        raise SourceError("a local source is a file name relative to CATALOG_DIR, not a path")
    # Name lengths are checked here: the file system would refuse them with an OSError.
    for part in _safe_parts(source):
        if (size := _utf8_size(part)) > MAX_NAME_BYTES:
            raise SourceError(
                f"the name {part[:40]}... in the source is {size} bytes long; file and folder "
                f"names are at most {MAX_NAME_BYTES} bytes"
            )
    root = settings.catalog_dir.resolve()
    try:
        path = (root / source).resolve()
        # resolve() follows symbolic links: one pointing out of the folder ends up outside it.
        if not path.is_relative_to(root):
            raise SourceError("the source leads out of CATALOG_DIR")
        if not path.is_file():
            raise SourceError(f"no catalog file {source} under CATALOG_DIR", status=404)
    except OSError as error:  # a loop of symbolic links, a folder it may not enter
        raise SourceError(
            f"{source} under CATALOG_DIR cannot be opened: {error.strerror}"
        ) from None
    return LocalSource(path, source)


def _resolve_s3(rest: str, settings: ShopSettings) -> S3Source:
    if settings.catalog_bucket is None:
        raise SourceError("s3:// sources are off: set CATALOG_BUCKET")
    bucket, _, key = rest.partition("/")
    allowed = f"s3://{settings.catalog_bucket}/{settings.catalog_prefix}"
    if bucket != settings.catalog_bucket or not key.startswith(settings.catalog_prefix):
        raise SourceError(f"s3:// sources must start with {allowed}")
    if key == settings.catalog_prefix or key.endswith("/"):
        raise SourceError(f"the source names a folder; name a file under {allowed}")
    _safe_parts(key)
    if (size := _utf8_size(key)) > MAX_KEY_BYTES:
        raise SourceError(f"the S3 key is {size} bytes long; S3 keys are at most {MAX_KEY_BYTES}")
    return S3Source(bucket, key)


def read(source: S3Source | LocalSource, settings: ShopSettings, s3: Any) -> bytes:
    """The file's bytes, refusing files over CATALOG_MAX_MB before reading them."""
    limit = settings.catalog_max_mb * 1024 * 1024
    too_big = f"{source} is larger than CATALOG_MAX_MB ({settings.catalog_max_mb} MB)"
    if isinstance(source, LocalSource):
        if source.path.stat().st_size > limit:
            raise SourceError(too_big, status=413)
        return source.path.read_bytes()
    try:
        response = s3.get_object(Bucket=source.bucket, Key=source.key)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchKey", "404", "NoSuchBucket"):
            raise SourceError(f"{source} does not exist", status=404) from error
        if code in ("AccessDenied", "403"):
            raise SourceError(
                f"this service's IAM role may not read {source} (s3:GetObject)", status=502
            ) from error
        raise SourceError(f"S3 refused to read {source}: {code}", status=502) from error
    except BotoCoreError as error:
        raise SourceError(
            f"S3 could not be reached to read {source}: {error}", status=503
        ) from error
    body = response["Body"]
    if response.get("ContentLength", 0) > limit:
        body.close()
        raise SourceError(too_big, status=413)
    return body.read()
