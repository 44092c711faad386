"""What the Terraform stacks publish in SSM, under /<project>/<environment>/<stack>/."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

# The stacks' rule for project names (infra/*/variables.tf); they become SSM paths.
PROJECT_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


def check_project(project: str) -> str:
    if not PROJECT_NAME.fullmatch(project) or not 2 <= len(project) <= 12:
        raise ValueError(
            f"{project!r} is not a project name: 2-12 lower-case letters and digits in dash-separated words"
        )
    return project


class StackNotApplied(LookupError):
    """The parameters a caller needs are missing: that stack is not applied in that environment."""


def stack_parameters(
    ssm: Any, project: str, environment: str, stack: str, needed: Sequence[str]
) -> dict[str, str]:
    """Every parameter of the stack, by name below its path; the needed ones must be there."""
    path = f"/{check_project(project)}/{environment}/{stack}/"
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
