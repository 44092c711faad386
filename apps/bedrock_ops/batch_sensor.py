"""Waiting for a Bedrock batch inference job until it has finished, partly or wholly.

The Amazon provider's sensor (9.12) counts ``PartiallyCompleted`` as a failure, which skips
what follows; but such a job has finished: Bedrock wrote its output, each record that failed
there with its ``error`` beside the records that did not. This sensor and its trigger take
``Completed`` and ``PartiallyCompleted`` as done, and still fail on ``Failed``, ``Stopped``,
``Stopping`` and ``Expired``. The task after it reads the output and reports the failed records.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.amazon.aws.sensors.bedrock import BedrockBatchInferenceSensor
from airflow.providers.amazon.aws.triggers.bedrock import BedrockBatchInferenceCompletedTrigger

FINISHED = ("Completed", "PartiallyCompleted")
FAILED = ("Failed", "Stopped", "Stopping", "Expired")


def _acceptors() -> list[dict[str, str]]:
    """The waiter's acceptors (botocore's waiter model): finished or failed, by job status."""
    return [
        {"matcher": "path", "argument": "status", "expected": status, "state": state}
        for statuses, state in ((FINISHED, "success"), (FAILED, "failure"))
        for status in statuses
    ]


class BatchInferenceFinishedTrigger(BedrockBatchInferenceCompletedTrigger):
    """The provider's completion trigger, its waiter told that a partly completed job is done.
    The override is set here, not serialized: the triggerer builds it again from this class."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.waiter_config_overrides = {"acceptors": _acceptors()}


class BatchInferenceFinishedSensor(BedrockBatchInferenceSensor):
    """Waits (deferred, or poking) until the job is ``Completed`` or ``PartiallyCompleted``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(success_state=BedrockBatchInferenceSensor.SuccessState.COMPLETED, **kwargs)
        self.trigger_class = BatchInferenceFinishedTrigger
        # Per instance: the provider's constructor sets these on its class, for every instance.
        self.SUCCESS_STATES = FINISHED
        self.FAILURE_STATES = FAILED
