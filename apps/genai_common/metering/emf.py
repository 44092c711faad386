"""CloudWatch Embedded Metric Format: a metric is one JSON line in the log, which CloudWatch
Logs turns into metrics with no call of ours (nothing on the request's path but a write)."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from genai_common.metering.spec import MeteringSpec, MetricKey

Sink = Callable[[str], None]
_lock = threading.Lock()


def stdout_sink(line: str) -> None:
    """Lambda, EKS (the container log) and Flink ship stdout to CloudWatch Logs; a lock keeps
    lines written from several threads whole."""
    with _lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


@dataclass(frozen=True)
class EmfWriter:
    """Writes one EMF record per event, its metrics under the spec's namespace and dimensions."""

    spec: MeteringSpec
    sink: Sink = stdout_sink
    clock: Callable[[], float] = field(default=time.time)

    def record(
        self,
        dimensions: Mapping[str, str],
        values: Mapping[MetricKey, float],
        properties: Mapping[str, str] | None = None,
    ) -> dict[str, object]:
        """Emit ``values`` (by metering.json key) with ``dimensions``; ``properties`` are searchable
        log fields that are not metrics (a user key: unbounded, so never a dimension)."""
        metrics = self.spec.metrics
        record: dict[str, object] = {
            "_aws": {
                "Timestamp": int(self.clock() * 1000),
                "CloudWatchMetrics": [
                    {
                        "Namespace": self.spec.namespace,
                        "Dimensions": [list(self.spec.dimensions)],
                        "Metrics": [
                            {"Name": metrics[key].name, "Unit": metrics[key].unit} for key in values
                        ],
                    }
                ],
            },
            **(properties or {}),
            **{name: dimensions[name] for name in self.spec.dimensions},
            **{metrics[key].name: value for key, value in values.items()},
        }
        self.sink(json.dumps(record, separators=(",", ":")))
        return record
