"""What the bedrock_ops DAGs share: owner and retries, the AWS region and client policy, and the
Airflow Variables that the operations stack publishes.

Variables are read when a task runs, never when a DAG file is parsed: operator arguments take
the Jinja templates of :func:`var`, task functions call :func:`variable`. A DAG file therefore
parses with no Variable set (the scheduler parses every file every few seconds; on MWAA each
Variable is an SSM parameter, ``/<project>/<env>/airflow/variables/<name>``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pendulum

OWNER = "platform"
TAG = "bedrock"
START_DATE = pendulum.datetime(2026, 1, 1, tz="UTC")

# The execution role through the default credential chain: no Airflow connection is looked up
# (with the SSM secrets backend every lookup of a missing connection is an SSM call).
AWS_CONN_ID: str | None = None

# The platform's client policy (genai_common.aws): adaptive retries back off on throttling;
# bounded timeouts keep a hung call from holding a worker slot.
BOTOCORE_CONFIG: dict[str, Any] = {
    "retries": {"mode": "adaptive", "total_max_attempts": 8},
    "connect_timeout": 10,
    "read_timeout": 120,
}

# The Variables of the issue-14 contract, published by infra/operations.
VARIABLES = frozenset(
    {
        "aws_region",
        "knowledge_base_id",
        "data_source_id",
        "documents_bucket",
        "documents_prefix",
        "rag_model_arn",
        "rag_min_hit_rate",
        "operations_bucket",
        "operations_kms_key_arn",
        "batch_model_id",
        "batch_role_arn",
        "reviews_archive_bucket",
        "reviews_archive_prefix",
        "collection_endpoint",
        "batch_index",
        "customization_base_model_id",
        "customization_role_arn",
        "customization_training_uri",
        "customization_output_uri",
        "provisioned_throughput_enabled",
        "invoke_model_id",
        "platform_environment",
        "metering_app",
        "metered_models",
    }
)


class MissingVariable(LookupError):
    """A Variable the DAG needs is not set; the message says where it comes from."""


def _known(name: str) -> str:
    if name not in VARIABLES:
        raise ValueError(f"{name!r} is not one of the operations stack's Variables")
    return name


def var(name: str) -> str:
    """The template of Variable ``name``, for a templated operator argument."""
    return "{{ var.value.%s }}" % _known(name)  # noqa: UP031 (braces are Jinja's)


REGION = var("aws_region")


def variable(name: str) -> str:
    """Variable ``name`` at run time, stripped; :class:`MissingVariable` names its source."""
    from airflow.sdk import Variable

    value = Variable.get(_known(name), default=None)
    if value is None or not str(value).strip():
        raise MissingVariable(
            f"Airflow Variable {name!r} is not set: on MWAA it is the SSM parameter "
            f"/<project>/<env>/airflow/variables/{name} that infra/operations publishes; "
            f"locally, set AIRFLOW_VAR_{name.upper()}"
        )
    return str(value).strip()


def default_args(**overrides: Any) -> dict[str, Any]:
    """Every task's defaults: the owner and two retries with backoff (transient AWS errors)."""
    return {
        "owner": OWNER,
        "retries": 2,
        "retry_delay": timedelta(minutes=2),
        "retry_exponential_backoff": True,
        **overrides,
    }


def aws_args() -> dict[str, Any]:
    """The AWS arguments of every provider operator and sensor: the region explicit, from the
    ``aws_region`` Variable (templated), the execution role's credentials, the client policy."""
    return {"aws_conn_id": AWS_CONN_ID, "region_name": REGION, "botocore_config": BOTOCORE_CONFIG}


def hook_args(region: str) -> dict[str, Any]:
    """The same for a hook built inside a task, where the region is already read."""
    return {"aws_conn_id": AWS_CONN_ID, "region_name": region, "config": BOTOCORE_CONFIG}


def s3_hook(region: str, kms_key_arn: str | None = None) -> Any:
    """An S3 hook; with ``kms_key_arn`` every object it writes is encrypted with that key."""
    from airflow.providers.amazon.aws.hooks.s3 import S3Hook

    extra = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms_key_arn} if kms_key_arn else {}
    return S3Hook(extra_args=extra, **hook_args(region))


def knowledge_base_asset() -> Any:
    """The knowledge base as an Airflow asset: updated by each ingestion that changed documents
    (bedrock_kb_refresh), which schedules the evaluation (bedrock_rag_evaluation)."""
    from airflow.sdk import Asset

    return Asset(name="bedrock_knowledge_base", uri="x-bedrock-kb://competency")


def run_stamp(dag_run: Any) -> str:
    """The run's time as ``YYYYMMDDTHHMMSS`` (UTC): asset-triggered and API-triggered runs may
    have no logical date, every run has ``run_after``."""
    return pendulum.instance(dag_run.run_after).in_timezone("UTC").strftime("%Y%m%dT%H%M%S")
