"""What the bedrock stack published in SSM, found from the environment's name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class KnowledgeBaseTarget:
    knowledge_base_id: str
    data_source_id: str
    bucket: str
    prefix: str


def knowledge_base_target(ssm: Any, project: str, environment: str) -> KnowledgeBaseTarget:
    """Read ``/<project>/<environment>/bedrock/*``; a clear error if the stack is not applied."""
    path = f"/{project}/{environment}/bedrock/"
    values: dict[str, str] = {}
    for page in ssm.get_paginator("get_parameters_by_path").paginate(Path=path):
        values.update({p["Name"].removeprefix(path): p["Value"] for p in page["Parameters"]})
    needed = ("knowledge-base-id", "data-source-id", "documents-bucket", "documents-prefix")
    missing = [name for name in needed if name not in values]
    if missing:
        raise LookupError(
            f"{path} lacks {', '.join(missing)}: apply the bedrock stack of {environment} first "
            f"(scripts/tf {environment} bedrock apply)"
        )
    return KnowledgeBaseTarget(
        knowledge_base_id=values["knowledge-base-id"],
        data_source_id=values["data-source-id"],
        bucket=values["documents-bucket"],
        prefix=values["documents-prefix"],
    )
