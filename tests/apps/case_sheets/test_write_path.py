"""The write path under faults: no workbook without a record, one createdAt for both."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from typing import Any

import pytest
from botocore.exceptions import ClientError
from case_sheets.handler import lambda_handler
from case_sheets_domain import actions
from case_sheets_domain.actions import case_id_for, fingerprint_of
from case_sheets_domain.fields import parse_case

from tests.apps.case_sheets.conftest import BUCKET, TABLE, stored
from tests.apps.case_sheets.events import CASE, event
from tests.apps.case_sheets.sheets import subtitle
from tests.apps.case_sheets.test_handler import body, status

SESSION = "111122223333444"  # events.event's default


@pytest.fixture(autouse=True)
def ticking_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each attempt gets a later createdAt, so a retry that re-stamps the case shows."""
    seconds = count()
    monkeypatch.setattr(actions, "_now", lambda: f"2026-11-23T10:00:{next(seconds):02d}+00:00")


def fail_once(monkeypatch: pytest.MonkeyPatch, client: Any, operation: str) -> None:
    real = getattr(client, operation)
    calls = count()

    def flaky(**kwargs: Any) -> Any:
        if next(calls) == 0:
            raise ClientError(
                {"Error": {"Code": "InternalError", "Message": "injected"}}, operation
            )
        return real(**kwargs)

    monkeypatch.setattr(client, operation, flaky)


def record_of(aws: dict[str, Any], case_id: str) -> dict[str, Any]:
    return aws["dynamodb"].get_item(TableName=TABLE, Key={"caseSheetId": {"S": case_id}})["Item"]


def sheet_of(aws: dict[str, Any], case_id: str) -> bytes:
    key = f"case-sheets/{case_id}.xlsx"
    return aws["s3"].get_object(Bucket=BUCKET, Key=key)["Body"].read()


def consistent(aws: dict[str, Any], created: dict[str, Any]) -> Iterator[str]:
    """Problems, if any, between the answer, the record and the sheet."""
    record = record_of(aws, created["id"])
    if record["createdAt"]["S"] != created["createdAt"]:
        yield f"record {record['createdAt']['S']} != answer {created['createdAt']}"
    if f"created {created['createdAt']}" not in subtitle(sheet_of(aws, created["id"])):
        yield f"sheet says {subtitle(sheet_of(aws, created['id']))!r}"
    if not record.get("sheetStored", {}).get("BOOL"):
        yield "record not flagged as having its sheet"


@pytest.mark.parametrize(
    ("service", "operation"),
    [("dynamodb", "put_item"), ("s3", "put_object"), ("dynamodb", "update_item")],
)
def test_after_any_failed_write_nothing_is_orphaned_and_the_retry_agrees_with_the_sheet(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch, service: str, operation: str
) -> None:
    cases = actions.store()
    fail_once(monkeypatch, getattr(cases, service), operation)
    assert status(lambda_handler(event("/generateCaseSheet", CASE))) == 500
    records, sheets = stored(aws)
    assert sheets <= records, "a workbook was stored without its record"

    retried = lambda_handler(event("/generateCaseSheet", CASE))
    assert status(retried) == 200
    created = body(retried)
    assert stored(aws) == (1, 1)
    assert list(consistent(aws, created)) == []
    versions = aws["s3"].list_object_versions(Bucket=BUCKET).get("Versions", [])
    assert len(versions) == 1, "the retry wrote a second workbook"


def test_check_case_stores_the_sheet_a_failed_attempt_left_out(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_once(monkeypatch, actions.store().s3, "put_object")
    assert status(lambda_handler(event("/generateCaseSheet", CASE))) == 500
    case_id = case_id_for(fingerprint_of(SESSION, parse_case(CASE)))
    found = lambda_handler(event("/checkCase", {"caseSheetId": case_id}))
    assert status(found) == 200
    assert list(consistent(aws, body(found))) == []


def test_an_id_held_by_another_case_says_what_to_do_instead_of_retrying(
    aws: dict[str, Any],
) -> None:
    case_id = case_id_for(fingerprint_of(SESSION, parse_case(CASE)))
    other = parse_case({**CASE, "client": "Another client"})
    actions.store().claim(case_id, other, fingerprint_of("other", other), "2026-01-01T00:00:00")
    response = lambda_handler(event("/generateCaseSheet", CASE))
    message = body(response)["error"]
    assert status(response) == 409
    assert "send the request again" not in message and "Do not send the same request" in message
    assert "start a new conversation" in message and "change a detail" in message
    assert stored(aws) == (1, 0)
