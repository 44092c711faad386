"""What an environment's stacks published in SSM: the names the checks look at."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class NotDeployed(LookupError):
    """An upstream stack's parameters are missing: nothing to check yet."""


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


def _parameters(ssm: Any, path: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for page in ssm.get_paginator("get_parameters_by_path").paginate(Path=path, Recursive=True):
        values.update({p["Name"].removeprefix(path): p["Value"] for p in page["Parameters"]})
    return values


def load_target(ssm: Any, project: str, environment: str) -> Target:
    platform = _parameters(ssm, f"/{project}/{environment}/platform/")
    bedrock = _parameters(ssm, f"/{project}/{environment}/bedrock/")
    needed = {
        "platform": (platform, ("cluster-name",)),
        "bedrock": (
            bedrock,
            (
                "knowledge-base-id",
                "data-source-id",
                "agent-id",
                "agent-alias-id",
                "case-sheets-function",
            ),
        ),
    }
    for stack, (values, names) in needed.items():
        missing = [n for n in names if n not in values]
        if missing:
            raise NotDeployed(
                f"/{project}/{environment}/{stack}/ lacks {', '.join(missing)}: "
                f"apply the {stack} stack of {environment} first"
            )
    return Target(
        environment=environment,
        cluster_name=platform["cluster-name"],
        apps=tuple(sorted(k.removeprefix("ecr/") for k in platform if k.startswith("ecr/"))),
        knowledge_base_id=bedrock["knowledge-base-id"],
        data_source_id=bedrock["data-source-id"],
        agent_id=bedrock["agent-id"],
        agent_alias_id=bedrock["agent-alias-id"],
        case_sheets_function=bedrock["case-sheets-function"],
    )
