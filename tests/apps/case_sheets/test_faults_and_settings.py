"""Throttling, settings and stored items the action group cannot use, and how long links live."""

from __future__ import annotations

import importlib
import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from case_sheets import handler
from case_sheets.handler import lambda_handler
from case_sheets_domain import actions
from case_sheets_domain.settings import SettingsError, case_settings

from tests.apps.case_sheets.conftest import TABLE, stored
from tests.apps.case_sheets.events import CASE, event
from tests.apps.case_sheets.test_handler import body, status


def failing(error: Exception) -> Any:
    def fail(**_: Any) -> Any:
        raise error

    return fail


@pytest.mark.parametrize(
    ("service", "operation", "error", "expected"),
    [
        (
            "dynamodb",
            "get_item",
            ClientError(
                {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "x"}},
                "GetItem",
            ),
            429,
        ),
        (
            "dynamodb",
            "put_item",
            ClientError({"Error": {"Code": "ThrottlingException", "Message": "x"}}, "PutItem"),
            429,
        ),
        (
            "s3",
            "put_object",
            ClientError({"Error": {"Code": "SlowDown", "Message": "x"}}, "PutObject"),
            503,
        ),
        ("dynamodb", "get_item", ReadTimeoutError(endpoint_url="https://dynamodb"), 503),
    ],
    ids=["read-throttled", "write-throttled", "s3-slow-down", "timeout"],
)
def test_a_busy_store_is_a_429_or_503_saying_how_long_to_wait(
    aws: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    service: str,
    operation: str,
    error: Exception,
    expected: int,
) -> None:
    monkeypatch.setattr(getattr(actions.store(), service), operation, failing(error))
    response = lambda_handler(event("/generateCaseSheet", CASE))
    answer = body(response)
    assert status(response) == expected
    assert answer["retryAfterSeconds"] == actions.RETRY_AFTER_SECONDS
    assert f"try again in {actions.RETRY_AFTER_SECONDS} seconds" in answer["error"]


@pytest.mark.parametrize(
    ("variables", "problem"),
    [
        ({"PRESIGN_SECONDS": "abc"}, "PRESIGN_SECONDS must be whole seconds from 1 to 604800"),
        ({"PRESIGN_SECONDS": "0"}, "PRESIGN_SECONDS must be whole seconds"),
        ({"PRESIGN_SECONDS": "1e9"}, "not '1e9'"),
        ({"CASE_TABLE": ""}, "CASE_TABLE is not set"),
        ({"CASE_BUCKET": "Not_A_Bucket"}, "CASE_BUCKET 'Not_A_Bucket' is not an S3 bucket name"),
        ({"CASE_PREFIX": "../x"}, "CASE_PREFIX '../x' must be a key prefix"),
    ],
)
def test_a_wrong_setting_is_named_before_anything_is_written(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], problem: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    actions.store.cache_clear()
    response = lambda_handler(event("/generateCaseSheet", CASE))
    assert status(response) == 500
    message = body(response)["error"]
    assert message.startswith("the case-sheet action group is misconfigured: ")
    assert problem in message and "try again later" not in message
    assert stored(aws) == (0, 0)


def test_an_unset_table_is_named_and_every_problem_is_listed_at_once() -> None:
    with pytest.raises(SettingsError) as caught:
        case_settings({"PRESIGN_SECONDS": "-1"})
    message = str(caught.value)
    assert "CASE_TABLE is not set" in message and "CASE_BUCKET is not set" in message
    assert "PRESIGN_SECONDS must be whole seconds" in message
    assert case_settings({"CASE_TABLE": TABLE, "CASE_BUCKET": "b-1"}).presign_seconds == 3600


def test_a_wrong_setting_is_logged_at_cold_start(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("CASE_TABLE", TABLE)
    monkeypatch.setenv("CASE_BUCKET", "genai-dev-case-sheets")
    monkeypatch.setenv("PRESIGN_SECONDS", "abc")
    with caplog.at_level(logging.ERROR):
        importlib.reload(handler)
    assert "PRESIGN_SECONDS must be whole seconds" in caplog.text


def test_a_damaged_record_is_named_not_retried(aws: dict[str, Any]) -> None:
    aws["dynamodb"].put_item(
        TableName=TABLE, Item={"caseSheetId": {"S": "cs-damaged00001"}, "budget": {"S": "x"}}
    )
    response = lambda_handler(event("/checkCase", {"caseSheetId": "cs-damaged00001"}))
    assert status(response) == 500
    message = body(response)["error"]
    assert (
        "the stored record of case sheet cs-damaged00001 is damaged (no text attribute" in message
    )
    assert "try again" not in message


def test_the_link_lives_no_longer_than_the_lambdas_credentials(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The role session ends in ten minutes; PRESIGN_SECONDS asks for an hour.
    expiry = datetime.now(UTC) + timedelta(minutes=10)
    monkeypatch.setenv("AWS_SESSION_TOKEN", "session")
    monkeypatch.setenv("AWS_CREDENTIAL_EXPIRATION", expiry.isoformat())
    actions.store.cache_clear()
    created = body(lambda_handler(event("/generateCaseSheet", CASE)))
    expires = int(parse_qs(urlsplit(created["sheetUrl"]).query)["X-Amz-Expires"][0])
    assert 580 <= expires <= 600
    stated = datetime.fromisoformat(created["sheetUrlExpiresAt"])
    assert abs(stated - expiry) <= timedelta(seconds=2)


SIGNING_ROLE = "arn:aws:iam::123456789012:role/genai-dev-case-sheets-signer"


def test_a_signing_role_session_signs_the_link_and_says_when_it_ends(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # PRESIGN_SECONDS asks for 20 minutes: moto's STS gives a session of 25, so the link gets
    # all 20, signed by the role's session rather than the Lambda's own credentials.
    monkeypatch.setenv("PRESIGN_SECONDS", "1200")
    monkeypatch.setenv("SIGNING_ROLE_ARN", SIGNING_ROLE)
    actions.store.cache_clear()
    before = datetime.now(UTC).replace(microsecond=0)
    created = body(lambda_handler(event("/generateCaseSheet", CASE)))
    query = parse_qs(urlsplit(created["sheetUrl"]).query)
    assert query["X-Amz-Expires"] == ["1200"]
    assert query["X-Amz-Credential"][0].startswith("ASIA")
    stated = datetime.fromisoformat(created["sheetUrlExpiresAt"])
    assert before + timedelta(seconds=1200) <= stated <= datetime.now(UTC) + timedelta(seconds=1200)


def test_throttled_sts_is_a_503_saying_how_long_to_wait_and_the_retry_gets_the_link(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNING_ROLE_ARN", SIGNING_ROLE)
    actions.store.cache_clear()
    sts = actions.store().links._sts  # type: ignore[attr-defined]
    with monkeypatch.context() as patched:
        patched.setattr(
            sts,
            "assume_role",
            failing(ClientError({"Error": {"Code": "Throttling", "Message": "x"}}, "AssumeRole")),
        )
        response = lambda_handler(event("/generateCaseSheet", CASE))
    answer = body(response)
    assert status(response) == 503
    assert answer["retryAfterSeconds"] == actions.RETRY_AFTER_SECONDS
    assert "could not be signed (STS Throttling)" in answer["error"]
    retried = lambda_handler(event("/generateCaseSheet", CASE))
    # The same request finds the stored case and now gets its link.
    assert status(retried) == 200 and "X-Amz-Signature" in body(retried)["sheetUrl"]
    assert stored(aws) == (1, 1)


def test_a_signing_role_that_is_no_role_arn_is_named() -> None:
    with pytest.raises(SettingsError, match="SIGNING_ROLE_ARN 'genai-signer' is not an IAM role"):
        case_settings(
            {"CASE_TABLE": TABLE, "CASE_BUCKET": "b-1", "SIGNING_ROLE_ARN": "genai-signer"}
        )
