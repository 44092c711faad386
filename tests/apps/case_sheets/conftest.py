from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from case_sheets_domain import actions
from moto import mock_aws

TABLE, BUCKET = "case-sheets", "genai-dev-case-sheets-123456789012"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """moto S3 and DynamoDB with the table and bucket the module creates."""
    monkeypatch.setenv("CASE_TABLE", TABLE)
    monkeypatch.setenv("CASE_BUCKET", BUCKET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")  # the Lambda runtime sets it
    actions.store.cache_clear()
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        dynamodb.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "caseSheetId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "caseSheetId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        yield {"dynamodb": dynamodb, "s3": s3}
    actions.store.cache_clear()


def stored(aws: dict[str, Any]) -> tuple[int, int]:
    """How many records and workbooks exist."""
    records = aws["dynamodb"].scan(TableName=TABLE, Select="COUNT")["Count"]
    sheets = aws["s3"].list_objects_v2(Bucket=BUCKET).get("KeyCount", 0)
    return records, sheets
