"""Smoke check of a deployed environment; exit status 0 only when no check fails.

    python -m platform_smoke --env dev          (scripts/smoke dev; the apply workflow runs it
                                                 after each environment, before promoting)

Reads what the stacks published under /<project>/<env>/ in SSM (platform, bedrock and streaming
must be applied, else exit status 2; operations is optional), then checks, each on its own line:
the Kubernetes API answers; every node group is ACTIVE with Ready nodes; gp3 is the only default
StorageClass; the NVIDIA device plugin and the load balancer controller run; Karpenter runs with
its gpu and cpu NodePools Ready; the JupyterHub hub API answers; Qdrant answers with the shopping
API's key; through a port-forward, the model server refuses /v1/models without its API key and,
with the key from its Secret, lists the base model and adapters its Deployment serves (SKIP where
no model is served); with --gpu-probe, a pod asking for a GPU gets a node within the minutes given; each declared
Deployment (apps/*/app.yaml) is available and has its Pod Identity association; the knowledge
base is ACTIVE and its last ingestion COMPLETE; the agent alias is PREPARED; the case-sheet Lambda
answers a checkCase for an unknown id with 404; the review stream is ACTIVE, its Flink application
RUNNING (not yet deployed fails) and its results collection ACTIVE; the MWAA environment is AVAILABLE
where the operations stack runs one (SKIP where MWAA is off). Credentials: the default AWS
chain; the role needs cluster admin access: it reads two Secrets and port-forwards to the model
server (the CI apply role and the cluster admins have it).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import boto3
from botocore.credentials import Credentials
from botocore.exceptions import BotoCoreError, ClientError
from genai_common.aws import aws_client
from genai_common.commands import module_command
from genai_common.kube import api_client
from genai_common.settings import PlatformSettings, SettingsError, load_settings
from genai_common.stacks import (
    StackNotApplied,
    check_project,
    environment_name,
    stack_parameters,
)
from kubernetes.client import ApiClient

from platform_smoke.aws_checks import aws_checks
from platform_smoke.cluster_checks import cluster_checks
from platform_smoke.observability_checks import observability_checks
from platform_smoke.result import Outcome, run_checks
from platform_smoke.service_checks import service_checks
from platform_smoke.target import Target, load_target

CLIENTS = (
    "ssm",
    "eks",
    "bedrock-agent",
    "lambda",
    "kinesis",
    "kinesisanalyticsv2",
    "opensearchserverless",
    "mwaa",
    "bedrock",
    "cloudwatch",
    "amp",
)


def project_name(value: str) -> str:
    try:
        return check_project(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=module_command("platform_smoke"),
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--env", required=True, type=environment_name, help="environment to check")
    parser.add_argument(
        "--project",
        default="genai",
        type=project_name,
        help="project name of the stacks (default genai)",
    )
    parser.add_argument("--region", help="AWS Region (default: AWS_REGION, else us-east-1)")
    parser.add_argument(
        "--gpu-probe",
        type=probe_minutes,
        nargs="?",
        const=15.0,
        metavar="MINUTES",
        help="also check that a pod asking for a GPU gets a node within MINUTES (default 15); "
        "off unless asked: it starts a GPU node",
    )
    return parser.parse_args(argv)


def probe_minutes(value: str) -> float:
    try:
        minutes = float(value)
    except ValueError:
        minutes = float("nan")
    if not 1 <= minutes <= 60:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of minutes from 1 to 60")
    return minutes


def smoke(
    clients: dict[str, Any],
    credentials: Credentials,
    target: Target,
    region: str,
    gpu_probe: GpuProbe | None = None,
) -> list[Outcome]:
    """Every check, in order; the Kubernetes ones only once the API answers."""

    @cache
    def api() -> ApiClient:
        return api_client(clients["eks"], credentials, target.cluster_name, region)

    probe = gpu_probe or GpuProbe(None, {}, {})
    return run_checks(
        cluster_checks(api, clients["eks"], target.cluster_name, target.apps)
        + service_checks(api, probe.minutes, probe.selector, probe.toleration),
        gate="cluster reachable",
    ) + run_checks(
        aws_checks(
            clients["eks"],
            clients["bedrock-agent"],
            clients["lambda"],
            clients["kinesis"],
            clients["kinesisanalyticsv2"],
            clients["opensearchserverless"],
            clients["mwaa"],
            target,
        )
        + observability_checks(clients["bedrock"], clients["cloudwatch"], clients["amp"], target)
    )


@dataclass(frozen=True)
class GpuProbe:
    minutes: float | None  # None: no probe
    selector: dict[str, str]
    toleration: dict[str, str]


def gpu_probe(ssm: Any, project: str, environment: str, minutes: float | None) -> GpuProbe:
    """The GPU nodes' selector and toleration, as the platform stack published them."""
    if minutes is None:
        return GpuProbe(None, {}, {})
    names = ("gpu-node-selector", "gpu-toleration")
    platform = stack_parameters(ssm, project, environment, "platform", names)
    return GpuProbe(minutes, *(json.loads(platform[name]) for name in names))


def main(argv: Sequence[str] | None = None) -> int:
    options = parse(argv)
    try:
        settings = load_settings(PlatformSettings)
        if options.region:
            settings = settings.model_copy(update={"aws_region": options.region})
        clients = {name: aws_client(name, settings) for name in CLIENTS}
        target = load_target(clients["ssm"], options.project, options.env)
        probe = gpu_probe(clients["ssm"], options.project, options.env, options.gpu_probe)
    except (SettingsError, StackNotApplied) as problem:
        print(f"smoke: {problem}", file=sys.stderr)
        return 2
    except (BotoCoreError, ClientError) as error:
        print(f"smoke: cannot read the stacks' parameters in SSM: {error}", file=sys.stderr)
        return 2
    region = settings.aws_region
    print(
        f"smoke: {options.project} {options.env} in {region}, cluster {target.cluster_name}",
        flush=True,
    )
    credentials = boto3.session.Session().get_credentials()
    outcomes = smoke(clients, credentials, target, region, probe)
    for outcome in outcomes:
        print(outcome.line())
    failed = [o.name for o in outcomes if not o.passed]
    skipped = sum(o.skipped for o in outcomes)
    summary = f"smoke: {len(outcomes) - len(failed) - skipped} passed"
    summary += (f", {skipped} skipped" if skipped else "") + f", {len(failed)} failed"
    print(summary + (f": {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
