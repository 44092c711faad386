"""What the Terraform stacks publish in SSM, under /<project>/<environment>/<stack>/."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class StackNotApplied(LookupError):
    """The parameters a caller needs are missing: that stack is not applied in that environment."""


def stack_parameters(
    ssm: Any, project: str, environment: str, stack: str, needed: Sequence[str]
) -> dict[str, str]:
    """Every parameter of the stack, by name below its path; the needed ones must be there."""
    path = f"/{project}/{environment}/{stack}/"
    values: dict[str, str] = {}
    for page in ssm.get_paginator("get_parameters_by_path").paginate(Path=path, Recursive=True):
        values.update({p["Name"].removeprefix(path): p["Value"] for p in page["Parameters"]})
    missing = [name for name in needed if name not in values]
    if missing:
        raise StackNotApplied(
            f"{path} lacks {', '.join(missing)}: apply the {stack} stack of {environment} first "
            f"(scripts/tf {environment} {stack} apply)"
        )
    return values
