"""Presigned S3 download links that live as long as they say.

A presigned URL stops working when the credentials that signed it expire, whatever its
``X-Amz-Expires`` says. A Lambda's role session can end minutes after a link is signed, and its
environment does not say when, so a deployed function signs with sessions of a dedicated
signing role (``SIGNING_ROLE_ARN``), whose length it chose: every link is capped by the
remaining lifetime of what signed it, and the caller is told the true expiry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

# SigV4 presigned URLs are valid for at most seven days.
MAX_LINK_SECONDS = 7 * 24 * 3600
# STS's shortest session, and the longest a role assumed from a role's session may ask for.
MIN_SESSION_SECONDS = 900
MAX_CHAINED_SESSION_SECONDS = 3600
# A signing session outlives the link it was fetched for by this much, so later links reuse it
# for that long (warm invocations make no STS call) and still get their full lifetime.
SESSION_MARGIN_SECONDS = 300


@dataclass(frozen=True)
class Link:
    url: str
    expires_at: datetime

    def expires_at_text(self) -> str:
        """ISO 8601, UTC, to the second: what a response states."""
        return self.expires_at.replace(microsecond=0).isoformat()


class SigningUnavailable(Exception):
    """STS gave no signing session (throttled, unreachable or refused): no link can be made now."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"the download link could not be signed ({reason})")
        self.reason = reason


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


def _signed(
    s3: Any, expiry: datetime | None, bucket: str, key: str, wanted: int, now: datetime
) -> Link:
    seconds = link_seconds(wanted, expiry, now)
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=seconds
    )
    return Link(str(url), now + timedelta(seconds=seconds))


def presigned_get(
    s3: Any, credentials: Any, bucket: str, key: str, wanted: int, now: datetime
) -> Link:
    """A GET link to ``s3://bucket/key`` for ``wanted`` seconds, or until ``credentials``
    (those ``s3`` signs with) expire if sooner; ``now`` is an aware datetime."""
    return _signed(s3, credentials_expiry(credentials), bucket, key, wanted, now)


class LinkSigner(Protocol):
    def link(self, bucket: str, key: str, wanted: int, now: datetime) -> Link: ...


@dataclass(frozen=True)
class OwnCredentials:
    """Links signed by the caller's own client (local mode, where no signing role exists)."""

    s3: Any
    credentials: Any

    def link(self, bucket: str, key: str, wanted: int, now: datetime) -> Link:
        return presigned_get(self.s3, self.credentials, bucket, key, wanted, now)


@dataclass(frozen=True)
class _Session:
    s3: Any
    expiry: datetime


def session_seconds(link: int) -> int:
    """The session to ask STS for, to sign a ``link``-second link and leave the margin."""
    return min(max(MIN_SESSION_SECONDS, link + SESSION_MARGIN_SECONDS), MAX_CHAINED_SESSION_SECONDS)


class RoleSessions:
    """Links signed with sessions of a dedicated signing role, each of a known length.

    One session is kept (the signer lives as long as the container's store) and reused while it
    can carry a full link; once less than that is left, a new one is assumed. A link never
    outlives the session that signed it: role chaining caps a session at an hour, so longer
    links are cut to what the session has left, and the stated expiry says so.
    """

    def __init__(
        self,
        role_arn: str,
        session_name: str,
        sts: Any,
        s3_for: Callable[[Mapping[str, Any]], Any],
    ) -> None:
        self._role_arn, self._session_name = role_arn, session_name
        # s3_for builds an S3 client from an AssumeRole answer's Credentials.
        self._sts, self._s3_for = sts, s3_for
        self._session: _Session | None = None

    def link(self, bucket: str, key: str, wanted: int, now: datetime) -> Link:
        session = self._current(
            min(wanted, MAX_CHAINED_SESSION_SECONDS - SESSION_MARGIN_SECONDS), now
        )
        return _signed(session.s3, session.expiry, bucket, key, wanted, now)

    def _current(self, seconds: int, now: datetime) -> _Session:
        session = self._session
        if session is None or session.expiry - now < timedelta(seconds=seconds):
            session = self._session = self._assume(seconds)
        return session

    def _assume(self, seconds: int) -> _Session:
        try:
            answer = self._sts.assume_role(
                RoleArn=self._role_arn,
                RoleSessionName=self._session_name,
                DurationSeconds=session_seconds(seconds),
            )
        except ClientError as error:
            raise SigningUnavailable(
                f"STS {error.response.get('Error', {}).get('Code', 'error')}"
            ) from error
        except BotoCoreError as error:
            raise SigningUnavailable(f"STS {type(error).__name__}") from error
        credentials = answer["Credentials"]
        return _Session(self._s3_for(credentials), credentials["Expiration"])


def link_signer(
    s3: Any,
    credentials: Any,
    role_arn: str | None,
    session_name: str,
    client: Callable[..., Any],
) -> LinkSigner:
    """Sessions of ``role_arn`` when it is set, else ``s3`` with its ``credentials``.

    ``client(service, **keys)`` builds a client on the caller's config (timeouts, retries,
    endpoint, SigV4 for S3), with ``keys`` its credentials when given.
    """
    if role_arn is None:
        return OwnCredentials(s3, credentials)
    return RoleSessions(
        role_arn,
        session_name,
        client("sts"),
        lambda c: client(
            "s3",
            aws_access_key_id=c["AccessKeyId"],
            aws_secret_access_key=c["SecretAccessKey"],
            aws_session_token=c["SessionToken"],
        ),
    )
