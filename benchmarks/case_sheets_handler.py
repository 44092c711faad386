"""The case-sheets Lambda: cold import time, warm latency per action (moto), zip size.

    .venv/bin/python benchmarks/case_sheets_handler.py [--runs 200]

Cold import is measured in fresh interpreters importing the handler from the deployment zip
(as the Lambda runtime does), median of 5. Warm latency calls the handler in-process against
moto's S3 and DynamoDB, so it measures the handler's own work (validation, workbook, requests)
plus moto, not AWS's network latency.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ZIP = ROOT / "dist" / "case_sheets.zip"


def cold_import_ms() -> float:
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(ZIP) as archive:
            archive.extractall(folder)
        probe = (
            "import sys, time; sys.path.insert(0, sys.argv[1]); t = time.perf_counter();"
            "import case_sheets.handler; print((time.perf_counter() - t) * 1000)"
        )
        runs = [
            float(
                subprocess.run(
                    [sys.executable, "-I", "-c", probe, folder],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            for _ in range(5)
        ]
    return statistics.median(runs)


def warm_latencies(runs: int) -> dict[str, list[float]]:
    import boto3
    from moto import mock_aws

    os.environ.update(
        CASE_TABLE="case-sheets",
        CASE_BUCKET="bench-case-sheets",
        AWS_DEFAULT_REGION="us-east-1",
    )
    sys.path.insert(0, str(ROOT / "tests" / "apps" / "case_sheets"))
    from case_sheets.handler import lambda_handler, store
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


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    subprocess.run([sys.executable, str(ROOT / "scripts" / "package-lambda")], check=True)
    print(f"zip size: {ZIP.stat().st_size / 1024:.0f} KiB")
    print(f"cold import of the handler (median of 5): {cold_import_ms():.0f} ms")
    for action, values in warm_latencies(args.runs).items():
        print(
            f"warm {action} x{len(values)}: p50 {statistics.median(values) * 1000:.1f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
