"""Model-call metering (issue 26): each call's tokens and latency as CloudWatch metrics (EMF in
the logs) and the app's daily token budgets, checked before the call and charged after it.

The core below needs botocore alone (no pydantic, no PyYAML in a deployment zip), so a Lambda or
a stream job imports it as is. The integrations that need more are imported from their modules:
``genai_common.metering.settings`` (MeteringSettings, pydantic-settings),
``genai_common.metering.aws`` (process_meter, on the platform's clients) and
``genai_common.metering.langchain`` (the chat models' callback). Where no one turns log lines into
metrics (Amazon MWAA), ``genai_common.metering.cloudwatch`` puts the same metrics with
PutMetricData (botocore alone too).
"""

from genai_common.metering.budget import BudgetExceeded, Budgets
from genai_common.metering.emf import EmfWriter, Sink, stdout_sink
from genai_common.metering.meter import (
    USER_PROPERTY,
    Meter,
    Usage,
    build_meter,
    converse_usage,
    current_user,
    emf_meter,
    metering_scope,
)
from genai_common.metering.spec import MeteringSpec, MetricKey, metering_spec

__all__ = [
    "USER_PROPERTY",
    "BudgetExceeded",
    "Budgets",
    "EmfWriter",
    "Meter",
    "MeteringSpec",
    "MetricKey",
    "Sink",
    "Usage",
    "build_meter",
    "converse_usage",
    "current_user",
    "emf_meter",
    "metering_scope",
    "metering_spec",
    "stdout_sink",
]
