"""A chat's first turn in a new process: building the Bedrock chat model and its first reply.

    .venv/bin/python benchmarks/chat_first_turn.py [--runs 5]

Each run is a fresh interpreter that first imports the chat-model factory and langchain_aws,
then times chat_model() (settings, the boto3 clients, LangChain's model) plus one invoke()
whose Converse reply comes from botocore's Stubber: the process's own work on a first turn,
not Bedrock's latency. Importing langchain_aws (~1 s here) is left out: the factory imports it
on its first call, so an app pays it once wherever it triggers that call. Prints
min/median/max of the runs (target <= 150 ms) and the load average beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL = "us.anthropic.claude-sonnet-4-6"
PROBE = """
import json, sys, time
import langchain_aws
from botocore.stub import Stubber
from genai_common.chat_models import chat_model
from genai_common.settings import PlatformSettings, load_settings

REPLY = {
    "output": {"message": {"role": "assistant", "content": [{"text": "Paris."}]}},
    "stopReason": "end_turn",
    "usage": {"inputTokens": 8, "outputTokens": 2, "totalTokens": 10},
    "metrics": {"latencyMs": 1},
}
started = time.perf_counter()
model = chat_model(load_settings(PlatformSettings), sys.argv[1])
built = time.perf_counter()
with Stubber(model.client) as stubber:
    stubber.add_response("converse", REPLY)
    answer = model.invoke("What is the capital of France?")
done = time.perf_counter()
assert answer.content == "Paris.", answer
print(json.dumps({"build": (built - started) * 1000, "turn": (done - started) * 1000}))
"""


def first_turn() -> dict[str, float]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "CHAT_", "GUARDRAIL_", "OPENAI_"))
    } | {
        "PYTHONPATH": str(ROOT / "apps"),
        "CHAT_PROVIDER": "bedrock",
        "AWS_REGION": "us-east-1",
        # Dummy values for botocore's signer: the Stubber answers before anything is sent.
        "AWS_ACCESS_KEY_ID": "benchmark",
        "AWS_SECRET_ACCESS_KEY": "benchmark",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE, MODEL], env=env, capture_output=True, text=True, check=True
    )
    # The last line: the model's metering may print its own lines first.
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = [first_turn() for _ in range(args.runs)]
    for key, label in (
        ("build", "building the chat model"),
        ("turn", "first turn (build + reply)"),
    ):
        values = sorted(run[key] for run in runs)
        print(
            f"{label} in a new process x{len(values)}: min {values[0]:.0f} ms, "
            f"median {statistics.median(values):.0f} ms, max {values[-1]:.0f} ms"
        )
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
