"""Case records in DynamoDB and their workbooks in S3."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from case_sheets.fields import Case


@dataclass(frozen=True)
class CaseStore:
    dynamodb: Any
    s3: Any
    table: str
    bucket: str
    prefix: str

    def sheet_key(self, case_id: str) -> str:
        return f"{self.prefix}{case_id}.xlsx"

    def get(self, case_id: str) -> dict[str, Any] | None:
        item = self.dynamodb.get_item(
            TableName=self.table, Key={"caseSheetId": {"S": case_id}}, ConsistentRead=True
        ).get("Item")
        return None if item is None else _record(item)

    def create(
        self, case_id: str, case: Case, fingerprint: str, created_at: str, workbook: bytes
    ) -> dict[str, Any]:
        """Store the workbook, then the record only if the id is new; returns the stored record.

        The record is written last and conditionally, so a retried invocation racing another
        gets the case that won instead of overwriting or duplicating it.
        """
        key = self.sheet_key(case_id)
        try:
            # Write-once: an attempt that died before its record leaves a sheet that stays.
            self.s3.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=workbook,
                ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                IfNoneMatch="*",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] not in ("PreconditionFailed", "412"):
                raise
        item = {
            "caseSheetId": {"S": case_id},
            "fingerprint": {"S": fingerprint},
            "createdAt": {"S": created_at},
            "sheetKey": {"S": key},
            "client": {"S": case.client},
            "casename": {"S": case.casename},
            "challenge": {"S": case.challenge},
            "solution": {"S": case.solution},
            "budget": {"N": str(Decimal(str(case.budget)))},
            "kpi": {"S": case.kpi},
        }
        try:
            self.dynamodb.put_item(
                TableName=self.table,
                Item=item,
                ConditionExpression="attribute_not_exists(caseSheetId)",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            existing = self.get(case_id)
            if existing is None:
                raise
            return existing
        return _record(item)

    def download_url(self, key: str, seconds: int) -> str:
        return str(
            self.s3.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=seconds
            )
        )


def _record(item: dict[str, dict[str, str]]) -> dict[str, Any]:
    record: dict[str, Any] = {k: next(iter(v.values())) for k, v in item.items()}
    record["budget"] = float(record["budget"])
    return record
