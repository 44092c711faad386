"""The case-sheets Lambda: cold import time, warm latency per action (moto), zip size.

    .venv/bin/python benchmarks/case_sheets_handler.py [--runs 200]

Cold import is measured as the Lambda runtime imports the handler: fresh interpreters without
site-packages (python -I -S) whose path holds only the unzipped deployment package and the
packages the Python runtime provides (boto3, botocore and their dependencies, linked from this
environment), median of 5. Each run also checks that every module it loaded came from those
or from the standard library, so the figure cannot include anything the zip lacks. Warm latency
calls the handler in-process against moto's S3 and DynamoDB, so it measures the handler's own
work (validation, workbook, requests) plus moto, not AWS's network latency.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lambda_common import cold_import_ms, percentile

ROOT = Path(__file__).resolve().parents[1]
ZIP = ROOT / "dist" / "case_sheets.zip"


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

    timings: dict[str, list[float]] = {"generateCaseSheet": [], "checkCase": []}
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
    return timings


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
    for action, values in warm_latencies(args.runs).items():
        print(
            f"warm {action} x{len(values)}: p50 {statistics.median(values) * 1000:.1f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
