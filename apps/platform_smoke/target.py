"""What an environment's stacks published in SSM and the apps it runs: the names the checks look at."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from genai_common.declarations import load_apps
from genai_common.stacks import stack_parameters


def deployed_apps() -> tuple[str, ...]:
    """The apps the workloads stack runs as Deployments: those declared `runs_on: eks-deployment`."""
    return tuple(sorted(app.name for app in load_apps() if app.runs_on == "eks-deployment"))


@dataclass(frozen=True)
class Target:
    environment: str
    cluster_name: str
    apps: tuple[str, ...]
    knowledge_base_id: str
    data_source_id: str
    agent_id: str
    agent_alias_id: str
    case_sheets_function: str
    stream_name: str
    collection_name: str
    # Published only once the streaming stack was applied with the Flink application's zip.
    application_name: str | None
    # Published only where the operations stack runs MWAA (mwaa_enabled = true).
    mwaa_environment: str | None
    # Whether the operations stack published anything at all (its DAGs bucket always).
    operations_applied: bool
    # The environment's dashboard and alarms (modules/observability, in the operations stack).
    dashboard_name: str | None = None
    alarm_names: tuple[str, ...] = ()
    # The managed Prometheus scraper of the cluster (modules/managed-prometheus, platform stack).
    prometheus_scraper_id: str | None = None


def load_target(ssm: Any, project: str, environment: str) -> Target:
    """Raises genai_common.stacks.StackNotApplied when a required upstream stack is not applied.

    platform, bedrock and streaming are required; operations is optional: without it, or without
    its environment-name, MWAA is off and its check says so."""
    platform = stack_parameters(ssm, project, environment, "platform", ("cluster-name",))
    bedrock = stack_parameters(
        ssm,
        project,
        environment,
        "bedrock",
        (
            "knowledge-base-id",
            "data-source-id",
            "agent-id",
            "agent-alias-id",
            "case-sheets-function",
        ),
    )
    streaming = stack_parameters(
        ssm, project, environment, "streaming", ("stream-name", "collection-name")
    )
    # Nothing is required of operations: missing parameters mean off, not an error.
    operations = stack_parameters(ssm, project, environment, "operations", ())
    return Target(
        environment=environment,
        cluster_name=platform["cluster-name"],
        apps=deployed_apps(),
        knowledge_base_id=bedrock["knowledge-base-id"],
        data_source_id=bedrock["data-source-id"],
        agent_id=bedrock["agent-id"],
        agent_alias_id=bedrock["agent-alias-id"],
        case_sheets_function=bedrock["case-sheets-function"],
        stream_name=streaming["stream-name"],
        collection_name=streaming["collection-name"],
        application_name=streaming.get("application-name"),
        mwaa_environment=operations.get("environment-name"),
        operations_applied=bool(operations),
        dashboard_name=operations.get("dashboard-name"),
        alarm_names=tuple(filter(None, operations.get("alarm-names", "").split(","))),
        prometheus_scraper_id=platform.get("prometheus/scraper-id"),
    )
