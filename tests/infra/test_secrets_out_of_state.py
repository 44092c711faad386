"""No stack or module makes or carries a secret value, so none reaches a plan or the state.

Credentials are generated where they are used (infra/workloads/charts/generated-secrets, the
Qdrant chart, Cognito read by the hub itself); each root's plan test checks the same of its
planned values (infra/workloads/tests/environments.tftest.hcl, "Secrets").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.infra.hcl import ALL_DIRS, blocks, relative

# Resources whose attributes hold a generated secret or a secret value once applied.
SECRET_RESOURCES = {
    "random_password",
    "random_string",
    "random_bytes",
    "tls_private_key",
    "kubernetes_secret",
    "kubernetes_secret_v1",
    "aws_secretsmanager_secret_version",
}


def resources(directory: Path) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (kind, name, body)
        for block in blocks(directory, "resource")
        for kind, named in block.items()
        for name, body in named.items()
    ]


@pytest.mark.parametrize("directory", ALL_DIRS, ids=relative)
def test_no_resource_holds_a_secret_value(directory: Path) -> None:
    found = [f"{kind}.{name}" for kind, name, _ in resources(directory) if kind in SECRET_RESOURCES]
    assert not found, f"{relative(directory)} keeps secret values in the state: {found}"


@pytest.mark.parametrize("directory", ALL_DIRS, ids=relative)
def test_no_release_is_given_a_sensitive_value(directory: Path) -> None:
    found = [
        f"{kind}.{name}"
        for kind, name, body in resources(directory)
        if kind == "helm_release" and "set_sensitive" in body
    ]
    assert not found, f"{relative(directory)} passes secrets through Terraform to {found}"


@pytest.mark.parametrize("directory", ALL_DIRS, ids=relative)
def test_no_output_is_sensitive(directory: Path) -> None:
    found = [
        name
        for block in blocks(directory, "output")
        for name, body in block.items()
        if body.get("sensitive") is True
    ]
    assert not found, f"{relative(directory)} outputs secret values: {found}"


def test_the_checks_see_the_resources() -> None:
    """A parser change that hid every resource would pass the tests above vacuously."""
    workloads = next(d for d in ALL_DIRS if relative(d) == "infra/workloads")
    kinds = {kind for kind, _, _ in resources(workloads)}
    assert {"helm_release", "kubernetes_network_policy_v1"} <= kinds
