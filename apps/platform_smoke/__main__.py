"""Smoke check of a deployed environment; exit status 0 only when every check passes.

    python -m platform_smoke --env dev          (scripts/smoke dev; the apply workflow runs it
                                                 after each environment, before promoting)

Reads what the stacks published under /<project>/<env>/ in SSM, then checks, each on its own
line: the Kubernetes API answers; every node group is ACTIVE with Ready nodes; gp3 is the only
default StorageClass; the NVIDIA device plugin and the load balancer controller run; each app's
Deployment is available and has its Pod Identity association; the knowledge base is ACTIVE and
its last ingestion COMPLETE; the agent alias is PREPARED; the case-sheet Lambda answers a
checkCase for an unknown id with 404. Credentials: the default AWS chain; the role needs
cluster access (the CI apply role and the cluster admins have it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from functools import cache
from typing import Any

import boto3
from botocore.config import Config
from botocore.credentials import Credentials
from kubernetes.client import ApiClient

from platform_smoke.aws_checks import aws_checks
from platform_smoke.cluster_checks import cluster_checks
from platform_smoke.kube import api_client
from platform_smoke.result import Outcome, run_checks
from platform_smoke.target import NotDeployed, Target, load_target

ENVIRONMENTS = ("dev", "staging", "prod")
CLIENTS = ("ssm", "eks", "bedrock-agent", "lambda")


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m platform_smoke",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--env", required=True, choices=ENVIRONMENTS, help="environment to check")
    parser.add_argument(
        "--project", default="genai", help="project name of the stacks (default genai)"
    )
    parser.add_argument("--region", help="AWS Region (default: the AWS configuration's)")
    return parser.parse_args(argv)


def smoke(
    clients: dict[str, Any], credentials: Credentials, target: Target, region: str
) -> list[Outcome]:
    """Every check, in order; the Kubernetes ones only once the API answers."""

    @cache
    def api() -> ApiClient:
        return api_client(clients["eks"], credentials, target.cluster_name, region)

    return run_checks(
        cluster_checks(api, clients["eks"], target.cluster_name, target.apps),
        gate="cluster reachable",
    ) + run_checks(aws_checks(clients["eks"], clients["bedrock-agent"], clients["lambda"], target))


def main(argv: Sequence[str] | None = None) -> int:
    options = parse(argv)
    config = Config(
        retries={"mode": "adaptive", "max_attempts": 5}, connect_timeout=5, read_timeout=30
    )
    session = boto3.Session(region_name=options.region)
    region = session.region_name
    if not region:
        print("smoke: no AWS Region: pass --region or set AWS_REGION", file=sys.stderr)
        return 2
    clients = {name: session.client(name, config=config) for name in CLIENTS}
    try:
        target = load_target(clients["ssm"], options.project, options.env)
    except NotDeployed as missing:
        print(f"smoke: {missing}", file=sys.stderr)
        return 2
    print(
        f"smoke: {options.project} {options.env} in {region}, cluster {target.cluster_name}",
        flush=True,
    )
    outcomes = smoke(clients, session.get_credentials(), target, region)
    for outcome in outcomes:
        print(outcome.line())
    failed = [o.name for o in outcomes if not o.passed]
    summary = f"smoke: {len(outcomes) - len(failed)} passed, {len(failed)} failed"
    print(summary + (f": {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
