"""Airflow for the bedrock_ops DAGs' tests (run with .venv-airflow, scripts/check).

Each test runs a DAG with ``dag.test()`` in this process, on a throw-away metadata database:
S3 is moto's, Bedrock's four APIs are botocore Stubbers (moto has no Bedrock runtime; a Stubber
checks every request against the real service model), OpenSearch is a bulk endpoint on
localhost. The Variables are environment variables, as ``AIRFLOW_VAR_<NAME>``.

Deferred sensors run as the DAGs ship them (deferrable): ``dag.test()`` runs each trigger inline,
and here a trigger polls with the provider's own waiter definition through the stubbed,
synchronous client instead of aiobotocore's (which a Stubber cannot answer), with no delay.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "apps" / "bedrock_ops" / "dags"
REGION = "eu-west-1"  # the aws_region Variable; AWS_REGION (tests/conftest.py) is us-east-1

# Airflow reads its configuration when first imported: before any test module imports it.
# In memory where the machine has /dev/shm: every task's state change is a SQLite commit.
_HOME = tempfile.mkdtemp(
    prefix="airflow-tests-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None
)
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
os.environ.update(
    AIRFLOW_HOME=_HOME,
    AIRFLOW__CORE__DAGS_FOLDER=str(DAGS),
    AIRFLOW__CORE__LOAD_EXAMPLES="False",
    AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{_HOME}/airflow.db",
    AIRFLOW__LOGGING__LOGGING_LEVEL="WARNING",
)
for _name in [n for n in os.environ if n.startswith("AIRFLOW_VAR_")]:
    del os.environ[_name]

VARIABLES = {
    "aws_region": REGION,
    "knowledge_base_id": "KB12345678",
    "data_source_id": "DS12345678",
    "documents_bucket": "genai-dev-kb-documents",
    "documents_prefix": "competency/",
    "rag_model_arn": f"arn:aws:bedrock:{REGION}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
    "rag_min_hit_rate": "0.75",
    "operations_bucket": "genai-dev-operations",
    "operations_kms_key_arn": "",  # the aws fixture sets a moto key
    "batch_model_id": "anthropic.claude-3-haiku-20240307-v1:0",
    "batch_role_arn": "arn:aws:iam::123456789012:role/genai-dev-bedrock-batch",
    "reviews_archive_bucket": "genai-dev-review-archive",
    "reviews_archive_prefix": "reviews/",
    "collection_endpoint": "",  # the opensearch fixture sets a localhost endpoint
    "batch_index": "batch_reviews",
    "customization_base_model_id": "amazon.titan-text-lite-v1:0:4k",
    "customization_role_arn": "arn:aws:iam::123456789012:role/genai-dev-bedrock-customization",
    "customization_training_uri": "s3://genai-dev-operations/customization/data/train.jsonl",
    "customization_output_uri": "s3://genai-dev-operations/customization/output/",
    "provisioned_throughput_enabled": "false",
    "invoke_model_id": "us.anthropic.claude-3-haiku-20240307-v1:0",
    "platform_environment": "dev",
    "metering_app": "bedrock-ops",
    # What the DAGs call, mapped to the model behind it (the metrics' Model dimension).
    "metered_models": json.dumps(
        {
            "us.anthropic.claude-3-haiku-20240307-v1:0": "anthropic.claude-3-haiku-20240307-v1:0",
            f"arn:aws:bedrock:{REGION}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0": (
                "anthropic.claude-3-haiku-20240307-v1:0"
            ),
        }
    ),
}
BUCKETS = ("documents_bucket", "operations_bucket", "reviews_archive_bucket")


@pytest.fixture(scope="session", autouse=True)
def _metadata_database() -> None:
    from airflow.utils import db

    db.resetdb()


@pytest.fixture(scope="session", autouse=True)
def _one_execution_api() -> Iterator[None]:
    """One in-process Execution API for the session: dag.test() builds a new one per task, and
    building it (Cadwyn's versioned routes) costs a second of CPU each time."""
    from airflow.sdk.execution_time import supervisor

    api = supervisor.in_process_api_server()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(supervisor, "in_process_api_server", lambda: api)
        yield


@pytest.fixture(scope="session")
def failures() -> Any:
    """The exception of each task that failed in the current test, by task id (an Airflow
    listener: dag.test() logs a task's error, it does not return it)."""
    from airflow.listeners import hookimpl
    from airflow.listeners.listener import get_listener_manager

    class Failures(dict[str, BaseException]):
        @hookimpl
        def on_task_instance_failed(self, previous_state: Any, task_instance: Any, error: Any):  # type: ignore[no-untyped-def]
            if error is not None:
                self[task_instance.task_id] = error

    listener = Failures()
    get_listener_manager().add_listener(listener)
    return listener


@pytest.fixture
def variables(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Every Variable of the contract, as the operations stack would publish them."""
    values = dict(VARIABLES)
    for name, value in values.items():
        monkeypatch.setenv(f"AIRFLOW_VAR_{name.upper()}", value)
    return values


def set_variable(monkeypatch: pytest.MonkeyPatch, values: dict[str, str], name: str, value: str):  # type: ignore[no-untyped-def]
    values[name] = value
    monkeypatch.setenv(f"AIRFLOW_VAR_{name.upper()}", value)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, variables: dict[str, str]) -> Iterator[Any]:
    """moto's S3 and KMS: the stacks' buckets, and the operations key. Yields an S3 client."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        for name in BUCKETS:
            s3.create_bucket(
                Bucket=variables[name], CreateBucketConfiguration={"LocationConstraint": REGION}
            )
        key = boto3.client("kms", region_name=REGION).create_key()["KeyMetadata"]["Arn"]
        set_variable(monkeypatch, variables, "operations_kms_key_arn", key)
        yield s3


class BedrockStubs:
    """A stubbed client per Bedrock API, and CloudWatch's (the DAGs' meter puts its metrics
    there); every provider hook gets these, and each request's region is recorded."""

    SERVICES = (
        "bedrock",
        "bedrock-agent",
        "bedrock-agent-runtime",
        "bedrock-runtime",
        "cloudwatch",
    )

    def __init__(self) -> None:
        import boto3
        from botocore.stub import Stubber

        self.clients = {s: boto3.client(s, region_name=REGION) for s in self.SERVICES}
        self.stubbers = {s: Stubber(c) for s, c in self.clients.items()}
        for stubber in self.stubbers.values():
            stubber.activate()
        self.regions: list[tuple[str, str | None]] = []

    def add(
        self, service: str, method: str, response: dict[str, Any], expected: Any = None
    ) -> None:
        self.stubbers[service].add_response(method, response, expected)

    def error(
        self, service: str, method: str, code: str, message: str = "", status: int = 400
    ) -> None:
        self.stubbers[service].add_client_error(
            method, service_error_code=code, service_message=message, http_status_code=status
        )

    def assert_done(self) -> None:
        for stubber in self.stubbers.values():
            stubber.assert_no_pending_responses()


@pytest.fixture
def bedrock(monkeypatch: pytest.MonkeyPatch) -> BedrockStubs:
    from airflow.providers.amazon.aws.hooks.base_aws import AwsGenericHook

    stubs = BedrockStubs()
    original = AwsGenericHook.get_client_type

    def get_client_type(self, region_name=None, config=None, deferrable=False):  # type: ignore[no-untyped-def]
        service = self._resolve_service_name(is_resource_type=False)
        if service in stubs.clients:
            stubs.regions.append((service, region_name))
            return stubs.clients[service]
        return original(self, region_name=region_name, config=config, deferrable=deferrable)

    monkeypatch.setattr(AwsGenericHook, "get_client_type", get_client_type)
    return stubs


# metering.json, read as the DAGs' meter reads it: their metrics are the apps'.
METERING = json.loads((ROOT / "apps" / "genai_common" / "metering" / "metering.json").read_text())


def expect_model_metrics(
    stubs: BedrockStubs, variables: dict[str, str], called: str, values: dict[str, Any]
) -> None:
    """One PutMetricData of ``values`` (by metering.json key) under metering.json's namespace,
    dimensioned by the environment, the app and the catalog model behind ``called``."""
    from botocore.stub import ANY

    dimensions = [
        {"Name": "Environment", "Value": variables["platform_environment"]},
        {"Name": "App", "Value": variables["metering_app"]},
        {"Name": "Model", "Value": json.loads(variables["metered_models"])[called]},
    ]
    metrics = METERING["metrics"]
    stubs.add(
        "cloudwatch",
        "put_metric_data",
        {},
        {
            "Namespace": METERING["namespace"],
            "MetricData": [
                {
                    "MetricName": metrics[key]["name"],
                    "Dimensions": dimensions,
                    "Timestamp": ANY,
                    "Value": value,
                    "Unit": metrics[key]["unit"],
                }
                for key, value in values.items()
            ],
        },
    )


def assert_regions(stubs: BedrockStubs, deferred: list[str]) -> None:
    """Every Bedrock client was made for the aws_region Variable's region, except one per
    trigger: the provider's Bedrock triggers (9.12) build their hook from the connection alone,
    so they use the process's region (on MWAA, the environment's: the stacks' region)."""
    assert {region for _, region in stubs.regions if region} == {REGION}
    assert [region for _, region in stubs.regions].count(None) == len(deferred)


@pytest.fixture(autouse=True)
def deferred(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The AWS triggers that ran (their class names); each polls with the provider's waiter
    definition through the hook's synchronous client, as often as the waiter says, no delay."""
    from airflow.exceptions import AirflowException
    from airflow.providers.amazon.aws.triggers.base import AwsBaseWaiterTrigger
    from airflow.triggers.base import TriggerEvent
    from botocore.exceptions import WaiterError

    ran: list[str] = []

    async def run(self):  # type: ignore[no-untyped-def]
        ran.append(type(self).__name__)
        waiter = self.hook().get_waiter(
            self.waiter_name, config_overrides=self.waiter_config_overrides
        )
        try:
            waiter.wait(**self.waiter_args, WaiterConfig={"Delay": 0, "MaxAttempts": self.attempts})
        except WaiterError as error:
            raise AirflowException(f"{self.failure_message}: {error}") from error
        yield TriggerEvent({"status": "success", self.return_key: self.return_value})

    monkeypatch.setattr(AwsBaseWaiterTrigger, "run", run)
    return ran


@pytest.fixture(scope="session")
def dagbag() -> Any:
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.models.dagbag import DagBag

    bag = DagBag(str(DAGS), include_examples=False)
    # As the DAG processor does: the DAGs and their assets registered in the metadata database.
    DagBundlesManager().sync_bundles_to_db()
    bag.sync_to_db(bundle_name="dags-folder", bundle_version=None)
    return bag


@pytest.fixture
def run_dag(dagbag: Any, failures: Any) -> Any:
    """Runs a DAG with dag.test(); returns (state, {task_id: state}). No retries: a failure
    shows at once (the retries are Airflow's, and wait real minutes)."""

    def run(dag_id: str, **kwargs: Any) -> tuple[str, dict[str, str]]:
        dag = dagbag.get_dag(dag_id)
        for task in dag.tasks:
            task.retries = 0
        failures.clear()
        dag_run = dag.test(**kwargs)
        states = {ti.task_id: ti.state for ti in dag_run.get_task_instances()}
        return dag_run.state, states

    return run
