"""What the bedrock stack published in SSM, found from the environment's name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from genai_common.stacks import stack_parameters


@dataclass(frozen=True)
class KnowledgeBaseTarget:
    knowledge_base_id: str
    data_source_id: str
    bucket: str
    prefix: str


def knowledge_base_target(ssm: Any, project: str, environment: str) -> KnowledgeBaseTarget:
    """Read ``/<project>/<environment>/bedrock/*``; a clear error if the stack is not applied."""
    values = stack_parameters(
        ssm,
        project,
        environment,
        "bedrock",
        ("knowledge-base-id", "data-source-id", "documents-bucket", "documents-prefix"),
    )
    return KnowledgeBaseTarget(
        knowledge_base_id=values["knowledge-base-id"],
        data_source_id=values["data-source-id"],
        bucket=values["documents-bucket"],
        prefix=values["documents-prefix"],
    )
