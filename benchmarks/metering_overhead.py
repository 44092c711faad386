"""Per-call overhead of token metering: the callback's work around one chat-model call (budget
check, usage, EMF record, budget charge), with DynamoDB answered in-process (its network time is
excluded) and the EMF lines written to an in-memory log.

    PYTHONPATH=apps .venv/bin/python benchmarks/metering_overhead.py [--calls 2000]

Prints p50/p95/p99 in microseconds, for the meter alone and for an offline-model call with the
meter minus the same call without it; exits 1 if the meter's p50 reaches 1 ms (issue 26).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from genai_common.metering import build_meter, metering_scope
from genai_common.metering.langchain import MeteringCallback
from genai_common.metering.settings import MeteringSettings
from genai_common.metering.spec import metering_spec
from genai_common.offline import OfflineChatModel
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, LLMResult

LIMIT_MS = 1.0
TABLE = "bench-token-budgets"


class InProcessTable:
    """Answers the two calls the budgets make, as DynamoDB would, without a network."""

    def __init__(self) -> None:
        self.tokens: dict[str, int] = {}
        self.hash_key = metering_spec().budget_table.hash_key.name

    def get_item(self, *, Key: dict[str, Any], **_: Any) -> dict[str, Any]:
        value = self.tokens.get(Key[self.hash_key]["S"])
        return {"Item": {"tokens": {"N": str(value)}}} if value is not None else {}

    def update_item(
        self, *, Key: dict[str, Any], ExpressionAttributeValues: dict[str, Any], **_: Any
    ) -> dict[str, Any]:
        key = Key[self.hash_key]["S"]
        self.tokens[key] = self.tokens.get(key, 0) + int(ExpressionAttributeValues[":tokens"]["N"])
        return {"Attributes": {"tokens": {"N": str(self.tokens[key])}}}


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    at = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50": statistics.median(ordered), "p95": at(0.95), "p99": at(0.99)}


def timed(action: Callable[[], object], calls: int) -> list[float]:
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1e6)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()

    log = io.StringIO()
    settings = MeteringSettings(
        app_name="bench",
        platform_environment="dev",
        token_budget_table=TABLE,
        app_daily_token_budget=10**12,
        user_daily_token_budget=10**12,
    )
    meter = build_meter(settings, InProcessTable(), log.write)
    callback = MeteringCallback(meter, "offline")
    usage = {"input_tokens": 120, "output_tokens": 380, "total_tokens": 500}
    result = LLMResult(
        generations=[[ChatGeneration(message=AIMessage(content="x", usage_metadata=usage))]]  # type: ignore[arg-type]
    )
    messages = [[HumanMessage("hello")]]

    def around_one_call() -> None:
        run_id = uuid.uuid4()
        callback.on_chat_model_start({}, messages, run_id=run_id)
        callback.on_llm_end(result, run_id=run_id)

    with metering_scope("bench-user", lambda _: None):
        meter_alone = percentiles(timed(around_one_call, args.calls))
        plain, metered = OfflineChatModel(), OfflineChatModel(callbacks=[callback])
        without = percentiles(timed(lambda: plain.invoke("how warm is it"), args.calls))
        with_meter = percentiles(timed(lambda: metered.invoke("how warm is it"), args.calls))

    print(f"{args.calls} calls; microseconds          p50      p95      p99")
    print(
        "meter alone (check + charge + EMF)  " + "".join(f"{v:9.1f}" for v in meter_alone.values())
    )
    print("offline call without the meter      " + "".join(f"{v:9.1f}" for v in without.values()))
    print(
        "offline call with the meter         " + "".join(f"{v:9.1f}" for v in with_meter.values())
    )
    print(f"difference at p50: {with_meter['p50'] - without['p50']:.1f} us")
    ok = meter_alone["p50"] < LIMIT_MS * 1000
    print(f"meter p50 {'under' if ok else 'OVER'} {LIMIT_MS} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
