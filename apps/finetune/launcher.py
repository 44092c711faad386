"""Submit, watch and cancel fine-tuning Jobs through the Kubernetes API.

Watching polls the Job and its pods, says what changes (scheduled, pulling, running,
interrupted and retried), streams the running pod's log (the trainer's progress lines) and
ends with the outcome and its reason, taken from the Job's and the pods' conditions.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

import urllib3
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from finetune.jobspec import CONTAINER, EXIT_BAD_INPUT

# Waiting reasons Kubernetes itself will not get past: the image cannot be had, or the
# container cannot be created from this spec.
STUCK = {
    "ImagePullBackOff",
    "InvalidImageName",
    "CreateContainerConfigError",
    "CreateContainerError",
}
# Consecutive failed polls before giving up on an API server that stopped answering.
MAX_API_ERRORS = 5
# Connect and read timeouts of every API call: a cluster that accepts a connection and never
# answers must not hang the command.
REQUEST_TIMEOUT = (10.0, 30.0)
# Following a log waits for the trainer's next line, and the trainer may be silent for minutes
# while it downloads the base model; past this, the watch goes on without the log.
LOG_READ_TIMEOUT = 600.0


class RunExists(RuntimeError):
    """A Job for this run is already there."""


class RunNotFound(LookupError):
    """No Job for this run."""


@dataclass(frozen=True)
class Outcome:
    succeeded: bool
    reason: str
    message: str = ""

    def line(self) -> str:
        verdict = "succeeded" if self.succeeded else "failed"
        return f"{verdict}: {self.reason}" + (f": {self.message}" if self.message else "")


def _condition(conditions: list | None, kind: str) -> object | None:
    return next((c for c in conditions or [] if c.type == kind and c.status == "True"), None)


def _trainer_status(pod: client.V1Pod) -> client.V1ContainerStatus | None:
    statuses = (pod.status and pod.status.container_statuses) or []
    return next((s for s in statuses if s.name == CONTAINER), None)


def pod_failure(pod: client.V1Pod) -> Outcome | None:
    """Why the trainer container of a finished pod ended, when it did not end well."""
    status = _trainer_status(pod)
    terminated = status and status.state and status.state.terminated
    disruption = _condition(pod.status.conditions if pod.status else None, "DisruptionTarget")
    if disruption is not None:
        return Outcome(False, disruption.reason or "DisruptionTarget", disruption.message or "")
    if not terminated or terminated.exit_code == 0:
        return None
    if terminated.exit_code == EXIT_BAD_INPUT:
        return Outcome(False, "BadInput", (terminated.message or "").strip())
    reason = terminated.reason or "Error"
    return Outcome(False, reason, f"exit code {terminated.exit_code}")


def pod_waiting(pod: client.V1Pod) -> tuple[str, str] | None:
    """Why a pod is not running yet: not scheduled, or its container waiting; None otherwise."""
    status = pod.status
    if status is None:
        return None
    for condition in status.conditions or []:
        if condition.type == "PodScheduled" and condition.status == "False":
            return condition.reason or "Unschedulable", condition.message or ""
    trainer = _trainer_status(pod)
    waiting = trainer and trainer.state and trainer.state.waiting
    if waiting:
        return waiting.reason or "Waiting", waiting.message or ""
    return None


def job_outcome(job: client.V1Job, newest_pod: client.V1Pod | None) -> Outcome | None:
    """Success or failure once the Job has finished; None while it runs."""
    conditions = job.status.conditions if job.status else None
    if _condition(conditions, "Complete"):
        return Outcome(True, "Complete", "the adapter and its manifest are in S3")
    failed = _condition(conditions, "Failed")
    if failed is None:
        return None
    detail = pod_failure(newest_pod) if newest_pod is not None else None
    if detail is not None and detail.reason == "OOMKilled":
        detail = Outcome(
            False,
            "OOMKilled",
            f"{detail.message}: the trainer ran out of memory; lower --batch-size or "
            "--max-length (raise --gradient-accumulation to keep the effective batch)",
        )
    job_reason = failed.reason or "Failed"
    if detail is None:
        return Outcome(False, job_reason, failed.message or "")
    return Outcome(False, detail.reason, f"{detail.message} ({job_reason}: {failed.message})")


class Launcher:
    """The fine-tuning Jobs of one namespace."""

    def __init__(
        self,
        api: client.ApiClient,
        namespace: str,
        *,
        out: TextIO = sys.stdout,
        poll_seconds: float = 5.0,
        pending_timeout: float = 30 * 60,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        request_timeout: tuple[float, float] = REQUEST_TIMEOUT,
    ) -> None:
        self.batch = client.BatchV1Api(api)
        self.core = client.CoreV1Api(api)
        self.namespace = namespace
        self.out = out
        self.poll_seconds = poll_seconds
        self.pending_timeout = pending_timeout
        self.clock = clock
        self.sleep = sleep
        self.timeout = request_timeout

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def submit(self, job: client.V1Job) -> None:
        try:
            self.batch.create_namespaced_job(self.namespace, job, _request_timeout=self.timeout)
        except ApiException as error:
            if error.status == 409:
                raise RunExists(job.metadata.name) from None
            raise

    def cancel(self, name: str) -> None:
        """Deletes the Job and, first, its pods (foreground deletion)."""
        try:
            self.batch.delete_namespaced_job(
                name,
                self.namespace,
                body=client.V1DeleteOptions(propagation_policy="Foreground"),
                _request_timeout=self.timeout,
            )
        except ApiException as error:
            if error.status == 404:
                raise RunNotFound(name) from None
            raise

    def _pods(self, name: str) -> list[client.V1Pod]:
        pods = self.core.list_namespaced_pod(
            self.namespace,
            label_selector=f"batch.kubernetes.io/job-name={name}",
            _request_timeout=self.timeout,
        ).items
        never = datetime.min.replace(tzinfo=UTC)
        return sorted(pods, key=lambda p: (p.metadata.creation_timestamp or never, p.metadata.name))

    def _stream_log(self, pod: str) -> None:
        response = self.core.read_namespaced_pod_log(
            pod,
            self.namespace,
            container=CONTAINER,
            follow=True,
            _preload_content=False,
            _request_timeout=(self.timeout[0], max(self.timeout[1], LOG_READ_TIMEOUT)),
        )
        try:
            for line in response:
                self.say(f"  {line.decode('utf-8', 'replace').rstrip()}")
        finally:
            response.release_conn()

    def watch(self, name: str) -> Outcome:
        """Follows the Job until it finishes, or until its pod is stuck; returns the outcome."""
        said: dict[str, str] = {}
        streamed: set[str] = set()
        pending_since: dict[str, float] = {}
        errors = 0
        while True:
            try:
                job = self.batch.read_namespaced_job(
                    name, self.namespace, _request_timeout=self.timeout
                )
                pods = self._pods(name)
            except ApiException as error:
                if error.status == 404:
                    raise RunNotFound(name) from None
                errors = self._api_error(errors, error)
                continue
            except urllib3.exceptions.HTTPError as error:
                errors = self._api_error(errors, error)
                continue
            errors = 0
            newest = pods[-1] if pods else None
            for pod in pods:
                self._report(pod, said)
            outcome = job_outcome(job, newest)
            if newest is not None and outcome is None:
                outcome = self._stuck(newest, pending_since)
            if newest is not None and newest.metadata.name not in streamed:
                phase = newest.status.phase if newest.status else None
                if phase in ("Running", "Succeeded", "Failed"):
                    streamed.add(newest.metadata.name)
                    try:
                        self._stream_log(newest.metadata.name)
                    except (ApiException, urllib3.exceptions.HTTPError) as error:
                        self.say(f"log of {newest.metadata.name} cut short: {error}")
                    continue
            if outcome is not None:
                return outcome
            self.sleep(self.poll_seconds)

    def _api_error(self, errors: int, error: Exception) -> int:
        errors += 1
        if errors >= MAX_API_ERRORS:
            raise error
        self.say(f"Kubernetes API error ({error}); trying again")
        self.sleep(self.poll_seconds)
        return errors

    def _report(self, pod: client.V1Pod, said: dict[str, str]) -> None:
        """One line per pod whenever what can be said about it changes."""
        name = pod.metadata.name
        phase = (pod.status.phase if pod.status else None) or "Pending"
        line = f"pod {name}: {phase}"
        if waiting := pod_waiting(pod):
            line += f" ({waiting[0]}: {waiting[1]})" if waiting[1] else f" ({waiting[0]})"
        elif phase == "Running" and pod.spec and pod.spec.node_name:
            line += f" on {pod.spec.node_name}"
        elif phase == "Failed" and (failure := pod_failure(pod)):
            line += f" ({failure.reason}: {failure.message})"
            if _condition(pod.status.conditions, "DisruptionTarget"):
                line += "; interrupted, not the run's fault: the next pod resumes from the last checkpoint"
        if said.get(name) != line:
            said[name] = line
            self.say(line)

    def _stuck(self, pod: client.V1Pod, pending_since: dict[str, float]) -> Outcome | None:
        """A failure for a pod that waits for what will not come; None while it may still."""
        waiting = pod_waiting(pod)
        if waiting is None:
            pending_since.pop(pod.metadata.name, None)
            return None
        reason, message = waiting
        if reason in STUCK:
            return Outcome(False, reason, message)
        if reason == "Unschedulable":
            started = pending_since.setdefault(pod.metadata.name, self.clock())
            if self.clock() - started >= self.pending_timeout:
                return Outcome(
                    False,
                    reason,
                    f"{message} (pending for {self.pending_timeout / 60:.0f} min: no GPU node "
                    "could be had; spot capacity may come back later)",
                )
        return None
