"""What the Terraform stacks publish in SSM, under /<project>/<environment>/<stack>/."""

from __future__ import annotations

import argparse
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


# The stacks' rule for environment names (modules/environment): the folders of environments/,
# which installed tools cannot list, so they check the form and let SSM say what exists.
ENVIRONMENT_NAME = re.compile(r"[a-z][a-z0-9]{1,6}")


def check_environment(environment: str) -> str:
    if not ENVIRONMENT_NAME.fullmatch(environment):
        raise ValueError(
            f"{environment!r} is not an environment name: 2-7 lower-case letters and digits, "
            "starting with a letter (a folder of environments/)"
        )
    return environment


def environment_name(value: str) -> str:
    """check_environment for argparse's ``type=``, which shows an ArgumentTypeError's message."""
    try:
        return check_environment(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


class StackNotApplied(LookupError):
    """The parameters a caller needs are missing: that stack is not applied in that environment."""


def stack_parameters(
    ssm: Any, project: str, environment: str, stack: str, needed: Sequence[str]
) -> dict[str, str]:
    """Every parameter of the stack, by name below its path; the needed ones must be there."""
    path = f"/{check_project(project)}/{check_environment(environment)}/{stack}/"
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
