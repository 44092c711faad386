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
import importlib.util
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
# What the Lambda Python runtime puts on the path besides the function's code.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3")
PROBE = """
import json, os, sys, time
code, runtime = sys.argv[1:3]
sys.path[:0] = [code, runtime]
started = time.perf_counter()
import case_sheets.handler
elapsed = (time.perf_counter() - started) * 1000
stdlib = os.path.dirname(os.__file__)


def outside(path):
    # A venv's or the system's site-packages can sit inside the standard library's folder.
    if path.startswith((code, runtime)):
        return False
    return not path.startswith(stdlib) or any(
        part in ("site-packages", "dist-packages") for part in path.split(os.sep)
    )


loaded = [getattr(module, "__file__", None) for module in list(sys.modules.values())]
print(json.dumps({"ms": elapsed, "outside": sorted(p for p in loaded if p and outside(p))}))
"""


def link_runtime_packages(folder: Path) -> None:
    for name in RUNTIME_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            sys.exit(f"benchmark: {name} is not installed here; the runtime ships it")
        origin = Path(spec.origin)
        source = origin.parent if origin.name == "__init__.py" else origin
        (folder / source.name).symlink_to(source)


def cold_import_ms() -> float:
    with tempfile.TemporaryDirectory() as code, tempfile.TemporaryDirectory() as runtime:
        with zipfile.ZipFile(ZIP) as archive:
            archive.extractall(code)
        link_runtime_packages(Path(runtime))
        runs = []
        for _ in range(5):
            result = json.loads(
                subprocess.run(
                    [sys.executable, "-I", "-S", "-c", PROBE, code, runtime],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            if result["outside"]:
                sys.exit(f"benchmark: the import loaded {result['outside'][:5]}, not in the zip")
            runs.append(result["ms"])
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
    print(
        "cold import of the handler from the zip and the runtime's boto3 (median of 5): "
        f"{cold_import_ms():.0f} ms"
    )
    for action, values in warm_latencies(args.runs).items():
        print(
            f"warm {action} x{len(values)}: p50 {statistics.median(values) * 1000:.1f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
