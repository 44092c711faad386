"""The DAGs' model calls, metered as every app's are (genai_common.metering): the same metrics,
put with cloudwatch:PutMetricData, since Amazon MWAA turns no EMF line of a task's log into one.
Budgets are not enforced: a scheduled job has no one to refuse."""

from __future__ import annotations

import json

from genai_common.metering.cloudwatch import cloudwatch_meter
from genai_common.metering.meter import Meter

from bedrock_ops.common import hook_args, variable


def metered_models(text: str) -> dict[str, str]:
    """The ``metered_models`` Variable: each model id or ARN the DAGs call, mapped to the
    catalog's foundation model behind it (the metrics' Model dimension)."""
    models = json.loads(text)
    if not isinstance(models, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in models.items()
    ):
        raise ValueError("the metered_models Variable must be a JSON object of strings")
    return models


def dag_meter(region: str) -> Meter:
    """The meter of a task's model calls, its app, environment and models from the Variables
    the operations stack publishes."""
    from airflow.providers.amazon.aws.hooks.base_aws import AwsBaseHook

    cloudwatch = AwsBaseHook(client_type="cloudwatch", **hook_args(region)).conn
    return cloudwatch_meter(
        variable("metering_app"),
        variable("platform_environment"),
        cloudwatch,
        models=metered_models(variable("metered_models")),
    )
