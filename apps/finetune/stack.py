"""What the platform and workloads stacks publish in SSM for fine-tuning Jobs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from genai_common.stacks import StackNotApplied, stack_parameters

PLATFORM = ("cluster-name", "gpu-node-selector", "gpu-toleration", "model-assets-bucket")
WORKLOADS = (
    "finetune-namespace",
    "finetune-service-account",
    "finetune-image",
    "hf-token-secret-arn",
)

TOLERATION_FIELDS = {"key", "operator", "value", "effect"}
NO_TOKEN = {"", "none", "-"}


@dataclass(frozen=True)
class FinetuneStack:
    environment: str
    cluster_name: str
    bucket: str
    namespace: str
    service_account: str
    image: str
    node_selector: dict[str, str]
    toleration: dict[str, str]
    # Empty: the base models are public and no token is fetched.
    hf_token_secret_arn: str

    def run_prefix(self, run: str) -> str:
        return f"s3://{self.bucket}/finetune/runs/{run}"

    def data_prefix(self) -> str:
        return f"s3://{self.bucket}/finetune/data/"


def _json_object(path: str, value: str) -> dict[str, str]:
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        parsed = None
    if not isinstance(parsed, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in parsed.items()
    ):
        raise StackNotApplied(f"{path} must be a JSON object of strings, not {value!r}")
    return parsed


def _toleration(path: str, value: str) -> dict[str, str]:
    toleration = _json_object(path, value)
    unknown = set(toleration) - TOLERATION_FIELDS
    if unknown:
        raise StackNotApplied(
            f"{path} has fields a toleration of a taint does not: {sorted(unknown)}"
        )
    return toleration


def _no_token_is_empty(value: str) -> str:
    # SSM refuses an empty value, so the stacks may publish a placeholder for "no token".
    value = value.strip()
    return "" if value.lower() in NO_TOKEN else value


def load_stack(ssm: Any, project: str, environment: str) -> FinetuneStack:
    platform = stack_parameters(ssm, project, environment, "platform", PLATFORM)
    workloads = stack_parameters(ssm, project, environment, "workloads", WORKLOADS)
    prefix = f"/{project}/{environment}/platform/"
    return FinetuneStack(
        environment=environment,
        cluster_name=platform["cluster-name"],
        bucket=platform["model-assets-bucket"],
        namespace=workloads["finetune-namespace"],
        service_account=workloads["finetune-service-account"],
        image=workloads["finetune-image"],
        node_selector=_json_object(prefix + "gpu-node-selector", platform["gpu-node-selector"]),
        toleration=_toleration(prefix + "gpu-toleration", platform["gpu-toleration"]),
        hf_token_secret_arn=_no_token_is_empty(workloads["hf-token-secret-arn"]),
    )
