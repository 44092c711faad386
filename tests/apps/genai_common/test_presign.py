"""Presigned links capped by the lifetime of the credentials that sign them, and the signing
role's sessions: their length, their reuse, their failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from botocore.config import Config
from botocore.credentials import Credentials, RefreshableCredentials
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber
from genai_common.presign import (
    MAX_LINK_SECONDS,
    SESSION_MARGIN_SECONDS,
    Link,
    OwnCredentials,
    RoleSessions,
    SigningUnavailable,
    credentials_expiry,
    link_seconds,
    link_signer,
    presigned_get,
    session_seconds,
)

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


ROLE = "arn:aws:iam::123456789012:role/genai-dev-code-generation-signer"


def role_sessions() -> tuple[RoleSessions, Stubber]:
    """Sessions of the signing role from a stubbed STS: each test queues what STS answers."""
    sts = boto3.session.Session().client(
        "sts", region_name="us-east-1", aws_access_key_id="AKIA", aws_secret_access_key="x"
    )

    def s3_for(credentials: Any) -> Any:
        return boto3.session.Session().client(
            "s3",
            region_name="us-east-1",
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
            config=Config(signature_version="s3v4"),
        )

    return RoleSessions(ROLE, "code-generation", sts, s3_for), Stubber(sts)


def assumed(stubber: Stubber, key_id: str, duration: int, expiry: datetime) -> None:
    stubber.add_response(
        "assume_role",
        {
            "Credentials": {
                "AccessKeyId": key_id,
                "SecretAccessKey": "secret",
                "SessionToken": "token",
                "Expiration": expiry,
            }
        },
        {"RoleArn": ROLE, "RoleSessionName": "code-generation", "DurationSeconds": duration},
    )


def query(link: Link) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(link.url).query).items()}


def test_a_role_session_of_the_links_length_plus_the_margin_signs_the_full_link() -> None:
    sessions, stubber = role_sessions()
    assumed(
        stubber,
        "ASIAFIRST".ljust(16, "0"),
        900 + SESSION_MARGIN_SECONDS,
        NOW + timedelta(seconds=1200),
    )
    with stubber:
        link = sessions.link("bucket", "code/a.py", 900, NOW)
    assert query(link)["X-Amz-Expires"] == "900"
    assert query(link)["X-Amz-Credential"].startswith("ASIAFIRST")
    assert link.expires_at == NOW + timedelta(seconds=900)
    stubber.assert_no_pending_responses()


def test_the_session_is_reused_until_it_could_not_carry_a_full_link() -> None:
    sessions, stubber = role_sessions()
    assumed(stubber, "ASIAFIRST".ljust(16, "0"), 1200, NOW + timedelta(seconds=1200))
    assumed(stubber, "ASIASECOND".ljust(16, "0"), 1200, NOW + timedelta(seconds=1501))
    with stubber:
        first = sessions.link("bucket", "a", 900, NOW)
        # 300 s later the session has exactly 900 s left: still enough, no STS call.
        reused = sessions.link("bucket", "b", 900, NOW + timedelta(seconds=300))
        renewed = sessions.link("bucket", "c", 900, NOW + timedelta(seconds=301))
    assert query(first)["X-Amz-Credential"].startswith("ASIAFIRST")
    assert query(reused)["X-Amz-Credential"].startswith("ASIAFIRST")
    assert query(reused)["X-Amz-Expires"] == "900"
    assert query(renewed)["X-Amz-Credential"].startswith("ASIASECOND")
    assert renewed.expires_at == NOW + timedelta(seconds=1201)
    stubber.assert_no_pending_responses()


def test_short_links_ask_for_stss_shortest_session_and_long_ones_are_cut_to_an_hour() -> None:
    assert session_seconds(60) == 900
    assert session_seconds(3600) == 3600
    sessions, stubber = role_sessions()
    # Role chaining: an hour at most, so a two-hour link lives as long as its session.
    assumed(stubber, "ASIALONG".ljust(16, "0"), 3600, NOW + timedelta(seconds=3600))
    with stubber:
        link = sessions.link("bucket", "a", 7200, NOW)
    assert query(link)["X-Amz-Expires"] == "3600"
    assert link.expires_at == NOW + timedelta(hours=1)


@pytest.mark.parametrize("code", ["Throttling", "AccessDenied"])
def test_an_sts_error_is_signing_unavailable_naming_it(code: str) -> None:
    sessions, stubber = role_sessions()
    stubber.add_client_error("assume_role", code)
    with stubber, pytest.raises(SigningUnavailable, match=f"STS {code}"):
        sessions.link("bucket", "a", 900, NOW)


def test_an_unreachable_sts_is_signing_unavailable() -> None:
    class Unreachable:
        def assume_role(self, **_: Any) -> Any:
            raise EndpointConnectionError(endpoint_url="https://sts.us-east-1.amazonaws.com")

    sessions = RoleSessions(ROLE, "code-generation", Unreachable(), lambda _: None)
    with pytest.raises(SigningUnavailable, match="STS EndpointConnectionError"):
        sessions.link("bucket", "a", 900, NOW)


def test_without_a_role_the_callers_own_credentials_sign() -> None:
    s3 = boto3.session.Session().client(
        "s3",
        region_name="us-east-1",
        aws_access_key_id="AKIAOWN",
        aws_secret_access_key="x",
        config=Config(signature_version="s3v4"),
    )
    signer = link_signer(s3, None, None, "code-generation", boto3.client)
    assert isinstance(signer, OwnCredentials)
    assert query(signer.link("bucket", "a", 900, NOW))["X-Amz-Expires"] == "900"
