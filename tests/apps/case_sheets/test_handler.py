"""The action-group handler against moto S3 and DynamoDB, with real event shapes."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from case_sheets.handler import lambda_handler
from openpyxl import load_workbook

from tests.apps.case_sheets.conftest import BUCKET, TABLE
from tests.apps.case_sheets.events import CASE, event


def body(response: dict[str, Any]) -> dict[str, Any]:
    return json.loads(response["response"]["responseBody"]["application/json"]["body"])


def status(response: dict[str, Any]) -> int:
    return response["response"]["httpStatusCode"]


def test_generate_writes_the_workbook_and_the_record(aws: dict[str, Any]) -> None:
    response = lambda_handler(event("/generateCaseSheet", CASE))
    assert status(response) == 200
    assert response["response"]["actionGroup"] == "case-sheets"
    assert response["response"]["apiPath"] == "/generateCaseSheet"
    assert response["response"]["httpMethod"] == "POST"
    assert response["messageVersion"] == "1.0"
    assert response["sessionAttributes"] == {"user": "maria"}
    created = body(response)
    assert created["id"].startswith("cs-") and len(created["id"]) == 15
    assert created["budget"] == 250000.0 and created["client"] == "AnyCompany Bank"

    item = aws["dynamodb"].get_item(TableName=TABLE, Key={"caseSheetId": {"S": created["id"]}})[
        "Item"
    ]
    assert item["kpi"]["S"] == CASE["kpi"] and item["budget"]["N"] == "250000"
    sheet = aws["s3"].get_object(Bucket=BUCKET, Key=item["sheetKey"]["S"])["Body"].read()
    ws = load_workbook(io.BytesIO(sheet)).active
    table = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(5, ws.max_row + 1)}
    assert ws["A1"].value == "AWS Competency case sheet"
    assert table == {
        "Case id": created["id"],
        "Client": CASE["client"],
        "Case name": CASE["casename"],
        "Challenge": CASE["challenge"],
        "Solution": CASE["solution"],
        "Budget (USD)": 250000,
        "KPI": CASE["kpi"],
    }
    assert ws["A4"].font.bold and ws.column_dimensions["B"].width == 80


def without_link(answer: dict[str, Any]) -> dict[str, Any]:
    """The case an answer holds. Each answer signs a link of its own, whose expiry counts from
    that answer: a second later when the clock ticked between two answers."""
    return {k: v for k, v in answer.items() if k not in ("sheetUrl", "sheetUrlExpiresAt")}


def test_a_retried_invocation_returns_the_same_case_without_a_second_write(
    aws: dict[str, Any],
) -> None:
    first = body(lambda_handler(event("/generateCaseSheet", CASE)))
    versions = aws["s3"].list_object_versions(Bucket=BUCKET).get("Versions", [])
    second = body(lambda_handler(event("/generateCaseSheet", CASE)))
    assert second["sheetUrl"] and first["sheetUrl"]
    assert without_link(second) == without_link(first)
    assert aws["dynamodb"].scan(TableName=TABLE)["Count"] == 1
    assert aws["s3"].list_object_versions(Bucket=BUCKET).get("Versions", []) == versions


def test_another_session_or_case_gets_another_id(aws: dict[str, Any]) -> None:
    a = body(lambda_handler(event("/generateCaseSheet", CASE)))["id"]
    b = body(lambda_handler(event("/generateCaseSheet", CASE, session_id="999988887777666")))["id"]
    c = body(lambda_handler(event("/generateCaseSheet", {**CASE, "budget": "1"})))["id"]
    assert len({a, b, c}) == 3
    assert aws["dynamodb"].scan(TableName=TABLE)["Count"] == 3


def test_check_returns_the_case_and_a_download_link(aws: dict[str, Any]) -> None:
    created = body(lambda_handler(event("/generateCaseSheet", CASE)))
    response = lambda_handler(event("/checkCase", {"caseSheetId": created["id"].upper()}))
    assert status(response) == 200
    found = body(response)
    assert without_link(found) == without_link(created)
    assert found["sheetUrlExpiresAt"] >= created["sheetUrlExpiresAt"]
    assert f"{BUCKET}" in found["sheetUrl"] and "X-Amz-Signature" in found["sheetUrl"]


def test_check_accepts_the_id_as_a_parameter_too(aws: dict[str, Any]) -> None:
    created = body(lambda_handler(event("/generateCaseSheet", CASE)))
    response = lambda_handler(event("/checkCase", {}, parameters={"caseSheetId": created["id"]}))
    assert body(response)["id"] == created["id"]


def test_an_unknown_case_is_a_404(aws: dict[str, Any]) -> None:
    response = lambda_handler(event("/checkCase", {"caseSheetId": "cs-doesnotexist"}))
    assert status(response) == 404
    assert body(response) == {"error": "no case sheet has the id cs-doesnotexist"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"client": None}, "Client (client) is required"),
        ({"kpi": "   "}, "KPI (kpi) is required"),
        ({"budget": "a lot"}, "(budget) must be an amount of US dollars"),
        ({"budget": "-5"}, '(budget) must be zero or more, not "-5"'),
        (
            {"budget": "nan"},
            '(budget) must be an amount of US dollars such as 250000 or 1,250.50, not "nan"',
        ),
        ({"casename": "x" * 201}, "Case name (casename) is too long: 201 characters, at most 200"),
        ({"challenge": "y" * 4001}, "Challenge (challenge) is too long"),
    ],
)
def test_bad_input_is_a_400_that_names_the_field(
    aws: dict[str, Any], change: dict[str, Any], message: str
) -> None:
    properties = {k: v for k, v in {**CASE, **change}.items() if v is not None}
    response = lambda_handler(event("/generateCaseSheet", properties))
    assert status(response) == 400
    assert message in body(response)["error"]
    assert aws["dynamodb"].scan(TableName=TABLE)["Count"] == 0


def test_a_budget_with_symbols_is_understood(aws: dict[str, Any]) -> None:
    assert (
        body(lambda_handler(event("/generateCaseSheet", {**CASE, "budget": "$1,200.50"})))["budget"]
        == 1200.5
    )


def test_unknown_path_and_method(aws: dict[str, Any]) -> None:
    unknown = lambda_handler(event("/deleteCase", CASE))
    assert status(unknown) == 404 and 'unknown action "/deleteCase"' in body(unknown)["error"]
    wrong = lambda_handler(event("/checkCase", {"caseSheetId": "cs-x"}, method="GET"))
    assert status(wrong) == 405 and wrong["response"]["httpMethod"] == "GET"


def test_a_body_that_is_not_json_is_refused(aws: dict[str, Any]) -> None:
    e = event("/generateCaseSheet", CASE)
    e["requestBody"] = {"content": {"text/plain": {"body": "client=AnyCompany"}}}
    response = lambda_handler(e)
    assert status(response) == 415 and "application/json" in body(response)["error"]


def test_a_missing_table_is_a_500_the_agent_can_relay(aws: dict[str, Any]) -> None:
    aws["dynamodb"].delete_table(TableName=TABLE)
    response = lambda_handler(event("/generateCaseSheet", CASE))
    assert status(response) == 500
    assert "the case store is unavailable (ResourceNotFoundException)" in body(response)["error"]


def test_a_missing_bucket_is_a_500_and_the_retry_stores_the_sheet(aws: dict[str, Any]) -> None:
    aws["s3"].delete_bucket(Bucket=BUCKET)
    assert status(lambda_handler(event("/generateCaseSheet", CASE))) == 500
    aws["s3"].create_bucket(Bucket=BUCKET)
    created = body(lambda_handler(event("/generateCaseSheet", CASE)))
    assert aws["s3"].list_objects_v2(Bucket=BUCKET)["KeyCount"] == 1
    assert aws["dynamodb"].scan(TableName=TABLE)["Count"] == 1 and created["id"]


def test_missing_configuration_is_a_500(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from case_sheets_domain import actions

    actions.store.cache_clear()
    monkeypatch.delenv("CASE_TABLE")
    assert status(lambda_handler(event("/checkCase", {"caseSheetId": "cs-x"}))) == 500
