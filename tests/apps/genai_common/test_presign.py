"""Presigned links capped by the lifetime of the credentials that sign them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
from botocore.config import Config
from botocore.credentials import Credentials, RefreshableCredentials
from genai_common.presign import MAX_LINK_SECONDS, credentials_expiry, link_seconds, presigned_get

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_the_wanted_lifetime_is_cut_to_what_the_credentials_have_left() -> None:
    assert link_seconds(900, None, NOW) == 900
    assert link_seconds(900, NOW + timedelta(hours=1), NOW) == 900
    assert link_seconds(900, NOW + timedelta(seconds=301.7), NOW) == 301
    assert link_seconds(900, NOW - timedelta(seconds=5), NOW) == 1
    assert link_seconds(30 * 24 * 3600, None, NOW) == MAX_LINK_SECONDS


def session_credentials(expiry: datetime) -> RefreshableCredentials:
    def refresh() -> dict[str, Any]:
        return {
            "access_key": "AKIA",
            "secret_key": "secret",
            "token": "token",
            "expiry_time": expiry.isoformat(),
        }

    return RefreshableCredentials.create_from_metadata(refresh(), refresh, "test")


def test_the_expiry_is_read_from_refreshable_credentials_only() -> None:
    expiry = datetime.now(UTC) + timedelta(hours=2)
    assert credentials_expiry(session_credentials(expiry)) == expiry
    assert credentials_expiry(Credentials("AKIA", "secret")) is None
    assert credentials_expiry(None) is None


def test_the_link_says_when_it_stops_working() -> None:
    now = datetime.now(UTC)
    credentials = session_credentials(now + timedelta(minutes=20))
    s3 = boto3.session.Session().client(
        "s3",
        region_name="us-east-1",
        aws_access_key_id="AKIA",
        aws_secret_access_key="testing",
        aws_session_token="token",
        config=Config(signature_version="s3v4"),
    )
    link = presigned_get(s3, credentials, "bucket", "code/a.py", 3600, now)
    expires = int(parse_qs(urlsplit(link.url).query)["X-Amz-Expires"][0])
    assert 1190 <= expires <= 1200
    assert link.expires_at == now + timedelta(seconds=expires)
    assert link.expires_at_text() == link.expires_at.replace(microsecond=0).isoformat()
