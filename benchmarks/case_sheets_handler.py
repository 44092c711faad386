"""The case-sheets Lambda: cold import time, warm latency per action (moto), zip size, and the
ratio of a generate to the same run's raw I/O.

    .venv/bin/python benchmarks/case_sheets_handler.py [--runs 200]

Cold import is measured as the Lambda runtime imports the handler: fresh interpreters without
site-packages (python -I -S) whose path holds only the unzipped deployment package and the
packages the Python runtime provides (boto3, botocore and their dependencies, linked from this
environment), median of 5. Each run also checks that every module it loaded came from those
or from the standard library, so the figure cannot include anything the zip lacks. Warm latency
calls the handler in-process against moto's S3 and DynamoDB, so it measures the handler's own
work (validation, workbook, requests) plus moto, not AWS's network latency. Raw I/O is the
same calls a new case makes (GetItem, a conditional PutItem, PutObject of a workbook-sized body,
UpdateItem, a presigned GET), made with the handler's own clients against the same moto and
interleaved with the handler's runs, so the ratio (target <= 10 ms and as close to 1 as the
workbook allows) compares the two under the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lambda_common import cold_import_ms, percentile

ROOT = Path(__file__).resolve().parents[1]
ZIP = ROOT / "dist" / "case_sheets.zip"
# The size of a case's workbook (about 5.5 KiB), so the raw PutObject carries what the handler's does.
WORKBOOK_BYTES = 5600

if TYPE_CHECKING:
    from case_sheets_domain.store import CaseStore


def warm_latencies(runs: int) -> dict[str, list[float]]:
    import boto3
    from moto import mock_aws

    os.environ.update(
        CASE_TABLE="case-sheets",
        CASE_BUCKET="bench-case-sheets",
        AWS_DEFAULT_REGION="us-east-1",
    )
    sys.path.insert(0, str(ROOT / "tests" / "apps" / "case_sheets"))
    from case_sheets.handler import lambda_handler
    from case_sheets_domain.actions import store
    from events import CASE, event  # the tests' real event shapes

    timings: dict[str, list[float]] = {"generateCaseSheet": [], "checkCase": [], "raw I/O": []}
    with mock_aws():
        boto3.client("s3").create_bucket(Bucket="bench-case-sheets")
        boto3.client("dynamodb").create_table(
            TableName="case-sheets",
            KeySchema=[{"AttributeName": "caseSheetId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "caseSheetId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        store.cache_clear()
        lambda_handler(event("/checkCase", {"caseSheetId": "cs-warmup"}))
        for i in range(runs):
            started = time.perf_counter()
            created = lambda_handler(
                event("/generateCaseSheet", CASE, session_id=f"bench-session-{i:06d}")
            )
            timings["generateCaseSheet"].append(time.perf_counter() - started)
            assert created["response"]["httpStatusCode"] == 200
            case_id = json.loads(created["response"]["responseBody"]["application/json"]["body"])[
                "id"
            ]
            started = time.perf_counter()
            found = lambda_handler(event("/checkCase", {"caseSheetId": case_id}))
            timings["checkCase"].append(time.perf_counter() - started)
            assert found["response"]["httpStatusCode"] == 200
            started = time.perf_counter()
            raw_io(store(), f"cs-raw-{i:06d}")
            timings["raw I/O"].append(time.perf_counter() - started)
    return timings


def raw_io(cases: CaseStore, case_id: str) -> None:
    """The requests of a new case, without the handler: what its p50 is compared with."""
    key = {"caseSheetId": {"S": case_id}}
    cases.dynamodb.get_item(TableName=cases.table, Key=key, ConsistentRead=True)
    cases.dynamodb.put_item(
        TableName=cases.table,
        Item={**key, "client": {"S": "AnyCompany Bank"}, "budget": {"N": "250000"}},
        ConditionExpression="attribute_not_exists(caseSheetId)",
    )
    cases.s3.put_object(
        Bucket=cases.bucket,
        Key=cases.sheet_key(case_id),
        Body=bytes(WORKBOOK_BYTES),
        IfNoneMatch="*",
    )
    cases.dynamodb.update_item(
        TableName=cases.table,
        Key=key,
        UpdateExpression="SET sheetStored = :stored",
        ConditionExpression="attribute_exists(caseSheetId)",
        ExpressionAttributeValues={":stored": {"BOOL": True}},
    )
    cases.download_link(cases.sheet_key(case_id), datetime.now(UTC))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    subprocess.run([sys.executable, str(ROOT / "scripts" / "package-lambda")], check=True)
    print(f"zip size: {ZIP.stat().st_size / 1024:.0f} KiB")
    print(
        "cold import of the handler from the zip and the runtime's boto3 (median of 5): "
        f"{cold_import_ms(ZIP, 'case_sheets.handler'):.0f} ms"
    )
    timings = warm_latencies(args.runs)
    for action, values in timings.items():
        print(
            f"warm {action} x{len(values)}: p50 {statistics.median(values) * 1000:.1f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:.1f} ms"
        )
    ratio = statistics.median(timings["generateCaseSheet"]) / statistics.median(timings["raw I/O"])
    print(f"generateCaseSheet p50 / raw I/O p50: {ratio:.2f}")
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
