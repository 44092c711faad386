"""The fine-tuning launcher end to end against a Kubernetes API on localhost: create the Job,
watch it through scheduling, pulling and running (streaming its log) to success, delete it.

    .venv/bin/python benchmarks/finetune_launcher.py [--runs 50] [--log-lines 500]

Polls without sleeping, so the time is the launcher's and the client's own (HTTP round trips,
(de)serialising V1Job and V1Pod, printing the log), not the cluster's.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from finetune import jobspec
from finetune.launcher import Launcher
from kubernetes import client

from tests.apps.finetune.fake_kube import (
    NAMESPACE,
    Cluster,
    Frame,
    condition,
    job_status,
    pod,
    serve,
)
from tests.apps.finetune.test_launcher import STACK


def one_run(log_lines: int) -> tuple[float, int]:
    name = jobspec.job_name("bench")
    fake = Cluster(
        frames=[
            Frame(job_status(active=1), [pod(f"{name}-a", "Pending", unschedulable="scaling")]),
            Frame(
                job_status(active=1),
                [pod(f"{name}-a", "Pending", waiting=("ContainerCreating", ""))],
            ),
            Frame(job_status(active=1), [pod(f"{name}-a", "Running", node="ip-10-0-3-7")]),
            Frame(
                job_status(condition("Complete")),
                [pod(f"{name}-a", "Succeeded", terminated={"exitCode": 0, "reason": "Completed"})],
            ),
        ],
        logs={f"{name}-a": "".join(f"finetune: step {i}/{log_lines}\n" for i in range(log_lines))},
    )
    request = jobspec.JobRequest(
        run="bench", train="s3://b/finetune/data/t.jsonl", validation="s3://b/finetune/data/v.jsonl"
    )
    with serve(fake) as url:
        configuration = client.Configuration()
        configuration.host = url
        launcher = Launcher(
            client.ApiClient(configuration), NAMESPACE, out=io.StringIO(), poll_seconds=0
        )
        started = time.perf_counter()
        launcher.submit(jobspec.job(STACK, request, "us-east-1"))
        outcome = launcher.watch(name)
        launcher.cancel(name)
        elapsed = time.perf_counter() - started
    assert outcome.succeeded, outcome
    return elapsed, len(fake.requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--log-lines", type=int, default=500)
    options = parser.parse_args()
    one_run(options.log_lines)
    results = [one_run(options.log_lines) for _ in range(options.runs)]
    times = sorted(t * 1000 for t, _ in results)
    print(
        json.dumps(
            {
                "runs": options.runs,
                "log_lines": options.log_lines,
                "api_requests_per_run": results[0][1],
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
                "max_ms": round(times[-1], 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
