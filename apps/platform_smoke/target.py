"""What an environment's stacks published in SSM: the names the checks look at."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from genai_common.stacks import stack_parameters

# Images that run as Kubernetes Jobs when someone submits one, not as Deployments.
JOB_IMAGES = frozenset({"finetune"})


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


def load_target(ssm: Any, project: str, environment: str) -> Target:
    """Raises genai_common.stacks.StackNotApplied when an upstream stack is not applied."""
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
    return Target(
        environment=environment,
        cluster_name=platform["cluster-name"],
        apps=tuple(
            sorted(
                app
                for key in platform
                if key.startswith("ecr/") and (app := key.removeprefix("ecr/")) not in JOB_IMAGES
            )
        ),
        knowledge_base_id=bedrock["knowledge-base-id"],
        data_source_id=bedrock["data-source-id"],
        agent_id=bedrock["agent-id"],
        agent_alias_id=bedrock["agent-alias-id"],
        case_sheets_function=bedrock["case-sheets-function"],
    )
