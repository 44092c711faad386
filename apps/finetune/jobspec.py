"""The Kubernetes Job that runs one fine-tuning run on a spot GPU node."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kubernetes import client

from finetune.hyper import Hyperparameters, to_arguments
from finetune.stack import FinetuneStack

CONTAINER = "trainer"
# `python -m finetune train` exits with 2 for input that no retry can fix (bad data, a base
# model that is gated, missing or has no chat template).
EXIT_BAD_INPUT = 2
RUN_NAME = re.compile(r"[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?")
UID = 10001
SCRATCH = "/scratch"
LABEL_RUN = "genai/finetune-run"
DEFAULT_BASE_MODEL = "meta-llama/Meta-Llama-3-8B-Instruct"
# A run needs a GPU node, the image and the base model before its first step: under an hour
# it would be killed while still starting. A week is longer than any run this Job is sized for.
MIN_DEADLINE_HOURS = 1.0
MAX_DEADLINE_HOURS = 7 * 24.0


def check_run(run: str) -> str:
    if not RUN_NAME.fullmatch(run):
        raise ValueError(
            f"{run!r} is not a run name: 1-40 lower-case letters, digits and dashes, "
            "starting and ending with a letter or digit"
        )
    return run


def check_deadline_hours(text: str) -> float:
    """``--deadline-hours``: a finite number of hours within the bounds above."""
    try:
        hours = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number of hours") from None
    if not MIN_DEADLINE_HOURS <= hours <= MAX_DEADLINE_HOURS:  # NaN fails this too
        raise ValueError(
            f"{text} hours is not a deadline: give {MIN_DEADLINE_HOURS:g} to "
            f"{MAX_DEADLINE_HOURS:g} hours"
        )
    return hours


def job_name(run: str) -> str:
    return f"finetune-{check_run(run)}"


@dataclass(frozen=True)
class JobRequest:
    run: str
    train: str
    validation: str
    base_model: str = DEFAULT_BASE_MODEL
    revision: str | None = None
    hyper: Hyperparameters = field(default_factory=Hyperparameters)
    deadline_hours: float = 12.0
    # A failure the retries do not fix is seldom worth more than two more GPU starts.
    backoff_limit: int = 2


def labels(run: str) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": "finetune",
        "app.kubernetes.io/part-of": "genai-platform",
        "app.kubernetes.io/managed-by": "finetune-launcher",
        LABEL_RUN: run,
    }


def _train_arguments(stack: FinetuneStack, request: JobRequest) -> list[str]:
    arguments = [
        "train",
        "--base-model",
        request.base_model,
        "--train",
        request.train,
        "--validation",
        request.validation,
        "--output",
        stack.run_prefix(request.run),
        "--work-dir",
        f"{SCRATCH}/run",
    ]
    if request.revision:
        arguments += ["--revision", request.revision]
    return arguments + to_arguments(request.hyper)


def _container(stack: FinetuneStack, request: JobRequest, region: str) -> client.V1Container:
    env = {
        "AWS_REGION": region,
        # The ARN only: the training process reads the token itself and keeps it in memory.
        "HF_TOKEN_SECRET_ARN": stack.hf_token_secret_arn,
        "HF_HOME": f"{SCRATCH}/huggingface",
        "PYTHONUNBUFFERED": "1",
    }
    return client.V1Container(
        name=CONTAINER,
        image=stack.image,
        args=_train_arguments(stack, request),
        # The last lines of the log become the pod's termination message: the launcher shows
        # them as the reason of a failure.
        termination_message_policy="FallbackToLogsOnError",
        env=[client.V1EnvVar(name=k, value=v) for k, v in env.items()],
        resources=client.V1ResourceRequirements(
            # One L4 (g6.xlarge/2xlarge); an 8B model in 4 bits loads shard by shard in ~16 GiB.
            requests={"cpu": "3", "memory": "24Gi", "nvidia.com/gpu": "1"},
            limits={"memory": "24Gi", "nvidia.com/gpu": "1"},
        ),
        volume_mounts=[
            client.V1VolumeMount(name="scratch", mount_path=SCRATCH),
            # Mount points in the container, not files this process creates.
            client.V1VolumeMount(name="tmp", mount_path="/tmp"),  # noqa: S108
            client.V1VolumeMount(name="shm", mount_path="/dev/shm"),  # noqa: S108
        ],
        security_context=client.V1SecurityContext(
            allow_privilege_escalation=False,
            read_only_root_filesystem=True,
            run_as_non_root=True,
            run_as_user=UID,
            run_as_group=UID,
            capabilities=client.V1Capabilities(drop=["ALL"]),
        ),
    )


def job(stack: FinetuneStack, request: JobRequest, region: str) -> client.V1Job:
    name = job_name(request.run)
    pod_labels = labels(request.run)
    pod = client.V1PodSpec(
        service_account_name=stack.service_account,
        # The trainer never calls the Kubernetes API; AWS access comes from Pod Identity.
        automount_service_account_token=False,
        restart_policy="Never",
        node_selector=stack.node_selector,
        tolerations=[client.V1Toleration(**stack.toleration)],
        containers=[_container(stack, request, region)],
        volumes=[
            # The base model download, the Hugging Face cache and the local checkpoints.
            client.V1Volume(
                name="scratch", empty_dir=client.V1EmptyDirVolumeSource(size_limit="100Gi")
            ),
            client.V1Volume(name="tmp", empty_dir=client.V1EmptyDirVolumeSource(size_limit="2Gi")),
            # PyTorch's data loader workers share tensors through /dev/shm (64 MiB by default).
            client.V1Volume(
                name="shm",
                empty_dir=client.V1EmptyDirVolumeSource(medium="Memory", size_limit="2Gi"),
            ),
        ],
        security_context=client.V1PodSecurityContext(
            run_as_non_root=True,
            run_as_user=UID,
            run_as_group=UID,
            fs_group=UID,
            seccomp_profile=client.V1SeccompProfile(type="RuntimeDefault"),
        ),
    )
    return client.V1Job(
        api_version="batch/v1",
        kind="Job",
        metadata=client.V1ObjectMeta(name=name, labels=pod_labels),
        spec=client.V1JobSpec(
            backoff_limit=request.backoff_limit,
            pod_failure_policy=client.V1PodFailurePolicy(
                rules=[
                    # A spot interruption (or any eviction) is not the run's fault: the next pod
                    # resumes from the last checkpoint in S3 without using up a retry.
                    client.V1PodFailurePolicyRule(
                        action="Ignore",
                        on_pod_conditions=[
                            client.V1PodFailurePolicyOnPodConditionsPattern(
                                type="DisruptionTarget", status="True"
                            )
                        ],
                    ),
                    client.V1PodFailurePolicyRule(
                        action="FailJob",
                        on_exit_codes=client.V1PodFailurePolicyOnExitCodesRequirement(
                            container_name=CONTAINER, operator="In", values=[EXIT_BAD_INPUT]
                        ),
                    ),
                ]
            ),
            # Never two pods of a run at once: both would write the same checkpoints.
            pod_replacement_policy="Failed",
            active_deadline_seconds=int(request.deadline_hours * 3600),
            ttl_seconds_after_finished=3 * 24 * 3600,
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels=pod_labels), spec=pod
            ),
        ),
    )
