"""Presigned S3 download links that live as long as they say.

A presigned URL stops working when the credentials that signed it expire, whatever its
``X-Amz-Expires`` says. A Lambda's or a pod's role session can end minutes after a link is
signed, so the link's lifetime is capped by the session's remaining lifetime, and the caller
is told the true expiry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

# SigV4 presigned URLs are valid for at most seven days.
MAX_LINK_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Link:
    url: str
    expires_at: datetime

    def expires_at_text(self) -> str:
        """ISO 8601, UTC, to the second: what a response states."""
        return self.expires_at.replace(microsecond=0).isoformat()


def credentials_expiry(credentials: Any) -> datetime | None:
    """When ``credentials`` (botocore's) stop working; None for keys that do not expire or
    whose expiry the provider did not say (a Lambda's environment carries none unless
    AWS_CREDENTIAL_EXPIRATION is set)."""
    if credentials is None:
        return None
    # Refreshes credentials that are about to expire, so the expiry read next is the new one.
    credentials.get_frozen_credentials()
    # botocore keeps a refreshable credential's expiry here and has no public accessor for it.
    expiry = getattr(credentials, "_expiry_time", None)
    return expiry if isinstance(expiry, datetime) else None


def link_seconds(wanted: int, expiry: datetime | None, now: datetime) -> int:
    """``wanted`` seconds, cut to what is left of credentials expiring at ``expiry`` (at least
    one second: a link signed by credentials in their last second still gets signed)."""
    seconds = min(wanted, MAX_LINK_SECONDS)
    if expiry is not None:
        seconds = min(seconds, int((expiry - now) / timedelta(seconds=1)))
    return max(seconds, 1)


def presigned_get(
    s3: Any, credentials: Any, bucket: str, key: str, wanted: int, now: datetime
) -> Link:
    """A GET link to ``s3://bucket/key`` for ``wanted`` seconds, or until ``credentials``
    (those ``s3`` signs with) expire if sooner; ``now`` is an aware datetime."""
    seconds = link_seconds(wanted, credentials_expiry(credentials), now)
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=seconds
    )
    return Link(str(url), now + timedelta(seconds=seconds))
