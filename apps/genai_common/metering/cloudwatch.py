"""The meter's metrics through ``cloudwatch:PutMetricData``: for a process whose logs CloudWatch
does not turn into metrics (an Amazon MWAA task: its log lines are never read as EMF). One call
per model call, with the namespace, names, units and dimensions of metering.json, as EMF has."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from genai_common.metering.meter import Meter
from genai_common.metering.spec import MeteringSpec, MetricKey, metering_spec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MetricDataWriter:
    """Puts each event's metrics with ``cloudwatch`` (a boto3 CloudWatch client)."""

    spec: MeteringSpec
    cloudwatch: Any
    clock: Callable[[], float] = field(default=time.time)

    def record(
        self,
        dimensions: Mapping[str, str],
        values: Mapping[MetricKey, float],
        properties: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """Put ``values`` (by metering.json key) with ``dimensions``. ``properties`` (a user key)
        have no place in a metric datum and are left out, as EMF keeps them out of dimensions.
        A failed put is logged, not raised: the model call it describes has already succeeded
        or failed on its own."""
        timestamp = datetime.fromtimestamp(self.clock(), UTC)
        named = [{"Name": name, "Value": dimensions[name]} for name in self.spec.dimensions]
        request: dict[str, Any] = {
            "Namespace": self.spec.namespace,
            "MetricData": [
                {
                    "MetricName": self.spec.metrics[key].name,
                    "Dimensions": named,
                    "Timestamp": timestamp,
                    "Value": float(value),
                    "Unit": self.spec.metrics[key].unit,
                }
                for key, value in values.items()
            ],
        }
        try:
            self.cloudwatch.put_metric_data(**request)
        except (BotoCoreError, ClientError):
            log.warning("putting %d model-call metrics failed", len(values), exc_info=True)
        return request


def cloudwatch_meter(
    app: str, environment: str, cloudwatch: Any, models: Mapping[str, str] | None = None
) -> Meter:
    """A meter that puts its metrics with ``cloudwatch`` and enforces no budget (a scheduled job
    has no one to refuse); ``models`` as :attr:`Meter.models`."""
    return Meter(
        app, environment, MetricDataWriter(metering_spec(), cloudwatch), models=models or {}
    )
