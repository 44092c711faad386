"""Throughput of the review-sentiment Flink job against the bound Little's law sets.

    PYTHONPATH=apps .venv-flink/bin/python benchmarks/review_stream_throughput.py \
        [--latency 0.2] [--capacities 8,32,128] [--seconds 8]

The real job (parse, async analysis, route, async bulk writes) runs on PyFlink's local
mini-cluster with parallelism 1, a bounded source, a Bedrock client answering every call after
``--latency`` seconds (no throttling) and an OpenSearch bulk endpoint on localhost. With
``capacity`` calls in flight, each taking ``latency``, no job can exceed capacity / latency
records per second (Little's law). The rate is measured between the first and the last answer
the model gave (the fake logs each one from inside the job's Python worker; time.perf_counter is
the machine's monotonic clock, shared by the processes), so the mini-cluster's start is not
counted; every record is then checked to be stored. A last run with no model
latency shows what the machine itself allows (its CPUs run the JVM, the Python worker and the
fakes): where a bound is above that, the machine is the limit, not the async capacity.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "apps")]
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "apps")])

from pyflink.common import Configuration, Types  # noqa: E402
from pyflink.datastream import StreamExecutionEnvironment  # noqa: E402
from review_stream import flink_job  # noqa: E402
from review_stream.flink_settings import JobSettings  # noqa: E402

from tests.flink.fake_bedrock import fake_bedrock_client  # noqa: E402
from tests.flink.fake_opensearch import fake_opensearch  # noqa: E402

SAMPLE = ROOT / "datasets" / "reviews" / "reviews.jsonl"


def records(count: int) -> list[str]:
    sample = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    return [
        json.dumps(
            {
                "reviewId": n,
                "userId": sample[n % len(sample)]["userId"],
                "text": f"{sample[n % len(sample)]['text']} (order {n})",
                "dateTime": sample[n % len(sample)]["dateTime"],
            }
        )
        for n in range(count)
    ]


def measure(capacity: int, latency_s: float, count: int) -> tuple[float, int]:
    config = Configuration()
    config.set_string("python.executable", sys.executable)
    config.set_string("python.client.executable", sys.executable)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(1)
    with fake_opensearch() as (endpoint, store):
        settings = JobSettings.model_validate(
            {
                "STREAM_ARN": "arn:aws:kinesis:us-east-1:123456789012:stream/reviews",
                "AWS_REGION": "us-east-1",
                "MODEL_ID": "benchmark",
                "OPENSEARCH_ENDPOINT": endpoint,
                "CAPACITY": str(capacity),
                "TIMEOUT_SECONDS": "60",
            }
        )
        with tempfile.TemporaryDirectory() as folder:
            log = Path(folder) / "answers.log"
            bedrock = functools.partial(
                fake_bedrock_client, latency_s=latency_s, throttle_rate=0.0, answer_log=str(log)
            )
            stored = flink_job.build(
                env.from_collection(records(count), Types.STRING()), settings, bedrock=bedrock
            )
            acknowledged = sum(1 for _ in stored.execute_and_collect())
            times = sorted(map(float, log.read_text().split()))
        assert acknowledged == count == store.count("processed_reviews") == len(times)
    return (count - 1) / (times[-1] - times[0]), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2, help="simulated model latency, s")
    parser.add_argument("--capacities", default="8,32,128")
    parser.add_argument("--seconds", type=float, default=8.0, help="run length at the bound")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, model latency {args.latency:g} s, parallelism 1")
    print(f"{'capacity':>8} {'records':>8} {'bound/s':>9} {'measured/s':>11} {'ratio':>6}")
    for capacity in map(int, args.capacities.split(",")):
        bound = capacity / args.latency
        rate, count = measure(capacity, args.latency, max(200, int(bound * args.seconds)))
        print(f"{capacity:>8} {count:>8} {bound:>9.0f} {rate:>11.0f} {rate / bound:>6.2f}")
    rate, count = measure(256, 0.0, 5000)
    print(f"machine limit (no model latency, capacity 256, {count} records): {rate:.0f} records/s")


if __name__ == "__main__":
    main()
