"""The code-generation Lambda: warm latency (moto, offline model), cold import time, zip size.

    .venv/bin/python benchmarks/code_generation_handler.py [--runs 300] [--baseline OLD.zip]

Cold import is measured as the Lambda runtime imports the handler: fresh interpreters without
site-packages (python -I -S) whose path holds only the unzipped deployment package and the
packages the Python runtime provides (boto3, botocore and their dependencies, linked from this
environment), median of 5. Each run checks that every module it loaded came from those or from
the standard library. ``--baseline`` measures another build of the zip (e.g. one packaged from
an earlier commit) the same way in the same run, so the two figures share the machine's load;
a baseline's pydantic-core, the arm64 build for Python 3.13 this machine cannot load, is stood in
for by this environment's build. Warm latency calls the handler in-process against moto's S3 with
the offline model, so it measures the handler's own work (validation, extraction, the S3 write
and presign) plus moto, not Bedrock's or AWS's latency.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from lambda_common import cold_import_ms, percentile

ROOT = Path(__file__).resolve().parents[1]
ZIP = ROOT / "dist" / "code_generation.zip"


def warm_latencies(runs: int) -> list[float]:
    import boto3
    from moto import mock_aws

    os.environ.update(
        CODE_BUCKET="bench-generated-code",
        CHAT_PROVIDER="offline",
        AWS_DEFAULT_REGION="us-east-1",
    )
    # The handler's log lines would otherwise time the terminal.
    logging.getLogger("code_generation").setLevel(logging.WARNING)
    sys.path.insert(0, str(ROOT))
    from code_generation.handler import lambda_handler, service
    from code_generation.lambda_context import LocalContext

    from tests.apps.code_generation.events import event  # the tests' real event shapes

    timings = []
    # The metering record of each call (an EMF line on stdout, as in Lambda) is still
    # written, to nowhere rather than over the figures.
    with mock_aws(), open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        boto3.client("s3").create_bucket(Bucket="bench-generated-code")
        service.cache_clear()
        lambda_handler(event(), LocalContext())
        for i in range(runs):
            request = event(
                {"instruction": f"reverse a linked list, variant {i}", "language": "go"}
            )
            started = time.perf_counter()
            response = lambda_handler(request, LocalContext())
            timings.append(time.perf_counter() - started)
            assert response["statusCode"] == 200, response
    return timings


def report(name: str, package: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        native = tuple(
            {"pydantic_core"} & {n.split("/", 1)[0] for n in archive.namelist() if "/" in n}
        )
    print(f"{name}: zip {package.stat().st_size / 1024:.0f} KiB")
    print(
        f"{name}: cold import of the handler from the zip and the runtime's boto3 (median of 5): "
        f"{cold_import_ms(package, 'code_generation.handler', native):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--baseline", type=Path, help="another build of the zip to compare")
    args = parser.parse_args()
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "package-lambda"), "code_generation"], check=True
    )
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    if args.baseline:
        report("baseline", args.baseline)
    report("this tree", ZIP)
    values = warm_latencies(args.runs)
    print(
        f"warm POST /code-generation x{len(values)}: p50 {statistics.median(values) * 1000:.1f} ms, "
        f"p95 {percentile(values, 0.95) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
