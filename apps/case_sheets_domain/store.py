"""Case records in DynamoDB and their workbooks in S3.

The record is the source of truth and is written first; the workbook is derived from it and
written second. Writing in this order leaves nothing a user can see half-done:

- a failure before the record exists writes nothing, so there is no workbook without a record
  (the old order, sheet first, left one in the bucket whenever the record write failed);
- a failure after the record exists leaves a record whose ``sheetStored`` flag is unset. Every
  read of the case (a retried ``generateCaseSheet`` or a ``checkCase``) finds the flag unset,
  rebuilds the workbook from the record and stores it, so the sheet always shows the record's
  createdAt, and such records stay findable (no ``sheetStored``) rather than accumulating
  unseen in the bucket.

The flag lives in the record rather than being probed with HeadObject: without
s3:ListBucket, S3 answers HeadObject on a missing key with 403, indistinguishable from a
permissions fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from botocore.exceptions import ClientError
from genai_common.presign import Link, LinkSigner

from case_sheets_domain.fields import Case
from case_sheets_domain.workbook import build_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DamagedRecord(Exception):
    """A stored item that is not a case record as this module writes them."""

    def __init__(self, case_id: str, problem: str) -> None:
        super().__init__(
            f"the stored record of case sheet {case_id} is damaged ({problem}), so it cannot be "
            "shown; an operator must repair or delete it"
        )


@dataclass(frozen=True)
class Record:
    case_id: str
    case: Case
    fingerprint: str
    created_at: str
    sheet_key: str
    sheet_stored: bool


@dataclass(frozen=True)
class CaseStore:
    dynamodb: Any
    s3: Any
    table: str
    bucket: str
    prefix: str
    presign_seconds: int
    links: LinkSigner

    def sheet_key(self, case_id: str) -> str:
        return f"{self.prefix}{case_id}.xlsx"

    def get(self, case_id: str) -> Record | None:
        item = self.dynamodb.get_item(
            TableName=self.table, Key={"caseSheetId": {"S": case_id}}, ConsistentRead=True
        ).get("Item")
        return None if item is None else _record(item)

    def claim(self, case_id: str, case: Case, fingerprint: str, created_at: str) -> Record:
        """Store the record if the id is new; returns whichever record holds the id.

        Conditional, so a retried invocation racing another gets the record that won, with
        its createdAt, instead of overwriting or duplicating it.
        """
        item = {
            "caseSheetId": {"S": case_id},
            "fingerprint": {"S": fingerprint},
            "createdAt": {"S": created_at},
            "sheetKey": {"S": self.sheet_key(case_id)},
            **{name: {"S": text} for name, text in case.texts().items()},
            "budget": {"N": str(case.budget)},
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

    def ensure_sheet(self, record: Record) -> None:
        """Store the record's workbook unless the record says it is stored; idempotent."""
        if record.sheet_stored:
            return
        try:
            # Write-once: an attempt that stored the sheet and died before flagging the record
            # has already stored this same workbook.
            self.s3.put_object(
                Bucket=self.bucket,
                Key=record.sheet_key,
                Body=build_workbook(record.case_id, record.case, record.created_at),
                ContentType=XLSX,
                IfNoneMatch="*",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] not in ("PreconditionFailed", "412"):
                raise
        self.dynamodb.update_item(
            TableName=self.table,
            Key={"caseSheetId": {"S": record.case_id}},
            UpdateExpression="SET sheetStored = :stored",
            ConditionExpression="attribute_exists(caseSheetId)",
            ExpressionAttributeValues={":stored": {"BOOL": True}},
        )

    def download_link(self, key: str, now: datetime) -> Link:
        """A link for PRESIGN_SECONDS, or until the signing credentials expire if sooner; raises
        :class:`~genai_common.presign.SigningUnavailable` when no signing session can be had."""
        return self.links.link(self.bucket, key, self.presign_seconds, now)


_TEXTS = (
    "caseSheetId",
    "client",
    "casename",
    "challenge",
    "solution",
    "kpi",
    "fingerprint",
    "createdAt",
    "sheetKey",
)


def _record(item: dict[str, Any]) -> Record:
    """The record an item holds; DamagedRecord names what is missing or mistyped."""
    key = item.get("caseSheetId")
    case_id = key["S"] if isinstance(key, dict) and isinstance(key.get("S"), str) else "(no id)"
    text = {
        name: value["S"]
        for name, value in item.items()
        if isinstance(value, dict) and isinstance(value.get("S"), str)
    }
    missing = [name for name in _TEXTS if name not in text]
    if missing:
        raise DamagedRecord(case_id, f"no text attribute {', '.join(missing)}")
    budget = item.get("budget")
    try:
        amount = Decimal(budget["N"]) if isinstance(budget, dict) else None
    except (InvalidOperation, TypeError):
        amount = None
    if amount is None or not amount.is_finite():
        raise DamagedRecord(case_id, "no numeric budget")
    stored = item.get("sheetStored")
    return Record(
        case_id=text["caseSheetId"],
        case=Case(
            client=text["client"],
            casename=text["casename"],
            challenge=text["challenge"],
            solution=text["solution"],
            budget=amount,
            kpi=text["kpi"],
        ),
        fingerprint=text["fingerprint"],
        created_at=text["createdAt"],
        sheet_key=text["sheetKey"],
        sheet_stored=isinstance(stored, dict) and stored.get("BOOL") is True,
    )
