"""The meter: EMF records, daily budgets in DynamoDB (moto) under concurrency, and the refusal
of a call over budget before any model is invoked."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from genai_common.errors import Target, explain
from genai_common.metering import (
    USER_PROPERTY,
    BudgetExceeded,
    Meter,
    Usage,
    build_meter,
    converse_usage,
    metering_scope,
)
from genai_common.metering.budget import TOKENS, Day
from genai_common.metering.langchain import MeteringCallback
from genai_common.metering.settings import MeteringSettings
from genai_common.metering.spec import metering_spec
from genai_common.offline import OfflineChatModel, count_tokens
from hypothesis import given
from hypothesis import strategies as st
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from moto import mock_aws

TABLE = "genai-test-token-budgets"
SPEC = metering_spec()
NAMES = {key: metric.name for key, metric in SPEC.metrics.items()}


class Records(list[dict[str, Any]]):
    """The EMF lines a meter wrote, parsed."""

    def sink(self, line: str) -> None:
        self.append(json.loads(line))

    def with_metric(self, key: str) -> list[dict[str, Any]]:
        return [r for r in self if NAMES[key] in r]  # type: ignore[index]


class CountingModel(BaseChatModel):
    """A chat model that counts its invocations and reports fixed usage."""

    calls: int = 0

    @property
    def _llm_type(self) -> str:
        return "counting"

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.calls += 1
        usage = {"input_tokens": 7, "output_tokens": 5, "total_tokens": 12}
        message = AIMessage(content="ok", usage_metadata=usage)  # type: ignore[arg-type]
        return ChatResult(generations=[ChatGeneration(message=message)])


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # DynamoDB applies each UpdateItem to its item atomically and a read sees a whole item;
    # moto's in-memory backend takes no lock. Giving it the lock DynamoDB has makes each request
    # atomic, as on AWS, and leaves what the meter's own requests do (ADD, not a read then a
    # write) under test.
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.Lock()
    for name in ("get_item", "update_item"):
        original = getattr(DynamoDBBackend, name)

        def atomic(
            self: DynamoDBBackend, *args: Any, _original: Any = original, **kwargs: Any
        ) -> Any:
            with lock:
                return _original(self, *args, **kwargs)

        monkeypatch.setattr(DynamoDBBackend, name, atomic)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        key = SPEC.budget_table.hash_key
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": key.name, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key.name, "AttributeType": key.type}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield client


def meter(
    records: Records, dynamodb: Any = None, app: int | None = None, user: int | None = None
) -> Meter:
    settings = MeteringSettings(
        app_name="test-app",
        platform_environment="dev",
        token_budget_table=TABLE if dynamodb is not None else None,
        app_daily_token_budget=app,
        user_daily_token_budget=user,
    )
    return build_meter(settings, dynamodb, records.sink)


def used(dynamodb: Any, key: str) -> int:
    item = dynamodb.get_item(TableName=TABLE, Key={"budget_key": {"S": key}}).get("Item")
    return int(item[TOKENS]["N"]) if item else 0


def today() -> str:
    return Day.of(datetime.now(UTC)).label


def test_a_call_emits_one_emf_record_named_by_the_spec() -> None:
    records = Records()
    model = OfflineChatModel(callbacks=[MeteringCallback(meter(records), "offline")])
    with metering_scope("session-1"):
        answer = model.invoke("how warm is the jacket")
    (record,) = records
    directive = record["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == SPEC.namespace
    assert directive["Dimensions"] == [list(SPEC.dimensions)]
    assert {m["Name"] for m in directive["Metrics"]} == {
        NAMES["calls"],
        NAMES["input_tokens"],
        NAMES["output_tokens"],
        NAMES["latency"],
    }
    assert (record["Environment"], record["App"], record["Model"]) == ("dev", "test-app", "offline")
    assert record[USER_PROPERTY] == "session-1"
    assert record[NAMES["input_tokens"]] == 5
    assert record[NAMES["output_tokens"]] == count_tokens(answer.text)
    assert record[NAMES["latency"]] >= 0


def test_a_streamed_call_is_charged_what_it_streamed(dynamodb: Any) -> None:
    records, seen = Records(), []
    model = OfflineChatModel(
        callbacks=[MeteringCallback(meter(records, dynamodb, app=10_000), "offline")]
    )
    with metering_scope("u", seen.append):
        text = "".join(chunk.text for chunk in model.stream("one two three"))
    assert seen == [Usage(3, count_tokens(text))]
    assert used(dynamodb, f"app#test-app#{today()}") == 3 + count_tokens(text)
    assert records.with_metric("budget_used_percent")[0][
        NAMES["budget_used_percent"]
    ] == pytest.approx(100 * (3 + count_tokens(text)) / 10_000, abs=0.01)


def test_fifty_concurrent_calls_lose_no_update(dynamodb: Any) -> None:
    records = Records()
    shared = meter(records, dynamodb, app=10_000_000, user=10_000_000)
    model = OfflineChatModel(callbacks=[MeteringCallback(shared, "offline")])

    def call(n: int) -> int:
        seen: list[Usage] = []
        with metering_scope("same-user", seen.append):
            model.invoke(" ".join(["word"] * (n + 1)))
        return seen[0].total

    with ThreadPoolExecutor(max_workers=50) as pool:
        totals = list(pool.map(call, range(50)))
    assert len(set(totals)) == 50  # every call spent a different amount
    assert used(dynamodb, f"app#test-app#{today()}") == sum(totals)
    assert used(dynamodb, f"user#test-app#same-user#{today()}") == sum(totals)
    assert len(records.with_metric("calls")) == 50


def test_over_budget_no_model_is_called(dynamodb: Any) -> None:
    records = Records()
    model = CountingModel(callbacks=[MeteringCallback(meter(records, dynamodb, app=12), "m")])
    model.invoke("first")  # spends 12 of 12
    with pytest.raises(BudgetExceeded) as refused:
        model.invoke("second")
    assert model.calls == 1
    assert "The test-app app's daily token budget (12 tokens) is used up" in str(refused.value)
    assert 0 < refused.value.retry_after <= 86_400
    assert len(records.with_metric("budget_rejections")) == 1


def test_a_users_budget_binds_only_that_user(dynamodb: Any) -> None:
    model = CountingModel(
        callbacks=[MeteringCallback(meter(Records(), dynamodb, app=1000, user=12), "m")]
    )
    with metering_scope("alice"):
        model.invoke("hi")
        with pytest.raises(BudgetExceeded, match="Your daily token budget"):
            model.invoke("again")
    with metering_scope("bob"):
        model.invoke("hi")
    assert model.calls == 2
    assert used(dynamodb, f"app#test-app#{today()}") == 24


def test_budget_items_expire_after_their_day(dynamodb: Any) -> None:
    moment = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)
    budgets = meter(Records(), dynamodb, app=100).budgets
    assert budgets is not None
    pinned = type(budgets)(**{**budgets.__dict__, "now": lambda: moment})
    pinned.charge(None, 5)
    item = dynamodb.get_item(TableName=TABLE, Key={"budget_key": {"S": "app#test-app#2026-03-01"}})[
        "Item"
    ]
    assert int(item[SPEC.budget_table.ttl]["N"]) == int(
        datetime(2026, 3, 4, tzinfo=UTC).timestamp()
    )


@given(st.datetimes(timezones=st.just(UTC)))
def test_retry_after_reaches_the_next_utc_day(moment: datetime) -> None:
    day = Day.of(moment)
    seconds = day.seconds_left(moment)
    assert 1 <= seconds <= 86_400
    assert moment + timedelta(seconds=seconds) >= day.end > moment
    assert moment + timedelta(seconds=seconds - 1) < day.end


def test_measure_checks_before_calling_and_charges_converse_usage(dynamodb: Any) -> None:
    records = Records()
    metered = meter(records, dynamodb, app=30)
    reply = {"usage": {"inputTokens": 20, "outputTokens": 10}, "output": {}}
    calls: list[int] = []

    def converse() -> dict[str, Any]:
        calls.append(1)
        return reply

    assert metered.measure("model-a", converse) is reply
    with pytest.raises(BudgetExceeded):
        metered.measure("model-a", converse)
    assert len(calls) == 1
    assert converse_usage(reply) == Usage(20, 10)


def test_a_throttled_call_counts_as_a_throttle_and_is_raised() -> None:
    records = Records()
    throttled = ClientError({"Error": {"Code": "ThrottlingException"}}, "Converse")

    def converse() -> dict[str, Any]:
        raise throttled

    with pytest.raises(ClientError):
        meter(records).measure("model-a", converse)
    assert len(records.with_metric("throttles")) == 1
    assert not records.with_metric("errors")


def test_without_a_table_metrics_flow_and_budgets_are_off() -> None:
    records = Records()
    metered = meter(records, app=1)
    assert metered.budgets is None
    for _ in range(3):
        metered.measure("m", lambda: {"usage": {"inputTokens": 5, "outputTokens": 5}})
    assert len(records.with_metric("calls")) == 3


def test_an_unreachable_budget_table_lets_the_call_through_and_keeps_its_metrics() -> None:
    records = Records()
    missing = boto3.client("dynamodb", region_name="us-east-1")
    with mock_aws():  # no table: every budget request fails with ResourceNotFoundException
        metered = meter(records, missing, app=10)
        reply = metered.measure("m", lambda: {"usage": {"inputTokens": 4, "outputTokens": 6}})
    assert reply["usage"]["inputTokens"] == 4
    (record,) = records.with_metric("calls")
    assert record[NAMES["output_tokens"]] == 6
    assert NAMES["budget_used_percent"] not in record


def test_every_page_explains_a_spent_budget_in_its_own_words() -> None:
    refused = BudgetExceeded("Your", 5_000, retry_after=3_700)
    assert explain(refused, Target.model("m")) == (
        "Your daily token budget (5,000 tokens) is used up. It resets at 00:00 UTC, in 1 h 2 min."
    )


PROFILE = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6"
BEHIND = "anthropic.claude-haiku-4-5-20251001-v1:0"


def test_a_profile_is_recorded_as_the_model_behind_it_on_both_paths() -> None:
    records = Records()
    metered = build_meter(
        MeteringSettings(app_name="test-app"), sink=records.sink, models={PROFILE: BEHIND}
    )
    metered.measure(PROFILE, lambda: {"usage": {"inputTokens": 1, "outputTokens": 1}})
    OfflineChatModel(callbacks=[MeteringCallback(metered, PROFILE)]).invoke("hello")
    metered.measure("unlisted-model", lambda: {"usage": {}})
    assert [r["Model"] for r in records] == [BEHIND, BEHIND, "unlisted-model"]


def test_the_process_meter_reads_the_model_behind_each_profile_from_the_catalog(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from genai_common.metering.aws import process_meter
    from genai_common.settings import PlatformSettings

    catalog = [
        {"label": "Haiku", "model_id": PROFILE, "foundation_model_id": BEHIND},
        {"label": "Sonnet", "model_id": "us.anthropic.claude-sonnet-4-6"},
    ]
    monkeypatch.setenv("CHAT_MODELS", json.dumps(catalog))
    monkeypatch.setenv("APP_NAME", "test-app")
    metered = process_meter(PlatformSettings())
    capsys.readouterr()
    for model_id in (PROFILE, "us.anthropic.claude-sonnet-4-6"):
        metered.measure(model_id, lambda: {"usage": {"inputTokens": 1, "outputTokens": 1}})
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["Model"] for r in lines] == [BEHIND, "us.anthropic.claude-sonnet-4-6"]


def test_put_metric_data_carries_what_an_emf_record_carries() -> None:
    """The writer for MWAA: the same namespace, names, units and dimensions as EMF; a user key,
    a log property in EMF, is no dimension; a failed put is not the model call's failure."""
    from botocore.stub import Stubber
    from genai_common.metering.cloudwatch import cloudwatch_meter

    cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
    records = Records()
    emf = build_meter(MeteringSettings(app_name="test-app"), sink=records.sink)
    put = cloudwatch_meter("test-app", "dev", cloudwatch, models={PROFILE: BEHIND})
    reply = {"usage": {"inputTokens": 3, "outputTokens": 4}}
    with Stubber(cloudwatch) as stub, metering_scope("session-1"):
        stub.add_response("put_metric_data", {})
        stub.add_client_error("put_metric_data", "AccessDenied")
        stub.add_response("put_metric_data", {})
        put.measure(PROFILE, lambda: reply)
        emf.measure(PROFILE, lambda: reply)
        assert put.measure(PROFILE, lambda: reply) is reply
        request = put.writer.record(
            {"Environment": "dev", "App": "test-app", "Model": BEHIND},
            {"calls": 1, "input_tokens": 3, "output_tokens": 4, "latency": 0.0},
            {"UserKey": "session-1"},
        )
        stub.assert_no_pending_responses()
    (record,) = records
    (emf_directive,) = record["_aws"]["CloudWatchMetrics"]
    assert request["Namespace"] == emf_directive["Namespace"]
    assert [(d["MetricName"], d["Unit"]) for d in request["MetricData"]] == [
        (m["Name"], m["Unit"]) for m in emf_directive["Metrics"]
    ]
    dimensions = request["MetricData"][0]["Dimensions"]
    assert [d["Name"] for d in dimensions] == emf_directive["Dimensions"][0]
    assert {d["Value"] for d in dimensions} == {"dev", "test-app", BEHIND}
