"""renovate.json5 keeps finding what it must update.

scripts/check validates the file with Renovate's own validator; these tests check what the
validator cannot: that each custom manager's pattern still matches the pin it is for (a renamed
variable would otherwise silently end its updates), that every Helm chart Terraform installs is
covered, and that the EKS add-on pins are annotated for the Kubernetes version they are built for.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import json5

from tests.infra.hcl import ALL_DIRS, ROOT, blocks, variables

CONFIG = json5.loads((ROOT / "renovate.json5").read_text())
EKS_CLUSTER = ROOT / "modules" / "eks-cluster"


def python_regex(pattern: str) -> re.Pattern[str]:
    """Renovate's patterns are JavaScript's: named groups are (?<name>...)."""
    return re.compile(pattern.replace("(?<", "(?P<"))


def repository_files() -> list[Path]:
    """The repository's own files: no hidden folders (.git, .venv, .tools) or installed packages."""
    found = []
    for directory, subdirectories, names in os.walk(ROOT):
        subdirectories[:] = [
            d for d in subdirectories if not d.startswith(".") and d != "node_modules"
        ]
        found += [Path(directory, name) for name in names]
    return found


def files(manager: dict[str, Any]) -> list[Path]:
    patterns = [python_regex(p.strip("/")) for p in manager["managerFilePatterns"]]
    return [
        path
        for path in repository_files()
        if any(p.search(str(path.relative_to(ROOT))) for p in patterns)
    ]


def matches(manager: dict[str, Any]) -> list[dict[str, str]]:
    found = []
    for path in files(manager):
        text = path.read_text()
        for pattern in manager["matchStrings"]:
            found += [m.groupdict() for m in python_regex(pattern).finditer(text)]
    return found


def test_every_custom_manager_finds_its_pins() -> None:
    for manager in CONFIG["customManagers"]:
        assert matches(manager), (
            f"{manager['description']}: {manager['matchStrings']} finds nothing"
        )


def helm_charts() -> dict[str, str]:
    """Chart name => its version expression, for every helm_release of a chart repository."""
    return {
        release["chart"]: release["version"]
        for directory in ALL_DIRS
        for block in blocks(directory, "resource")
        for release in block.get("helm_release", {}).values()
        if "version" in release
    }


def test_every_helm_chart_terraform_installs_is_updated() -> None:
    charts = helm_charts()
    assert {"nvidia-device-plugin", "aws-load-balancer-controller"} <= charts.keys()
    managers = {
        m["depNameTemplate"].rsplit("/", 1)[-1]: m
        for m in CONFIG["customManagers"]
        if m.get("datasourceTemplate") in ("helm", "docker")
    }
    # A chart released together with another (karpenter-crd) shares its version variable.
    followed = {version for chart, version in charts.items() if chart in managers}
    uncovered = {chart for chart, version in charts.items() if version not in followed}
    assert uncovered == set()
    for chart, version in charts.items():
        if chart not in managers:
            continue
        found = matches(managers[chart])
        assert found, chart
        # Where the version is a variable's plain default, the manager reads that default.
        variable = version.removeprefix("${var.").removesuffix("}")
        defaults = [v[variable]["default"] for d in ALL_DIRS if variable in (v := variables(d))]
        if defaults and isinstance(defaults[0], str):
            assert {f["currentValue"] for f in found} <= set(defaults), (chart, found, defaults)


def test_eks_addon_pins_are_annotated_for_the_default_kubernetes_version() -> None:
    (manager,) = [
        m for m in CONFIG["customManagers"] if m.get("datasourceTemplate") == "aws-eks-addon"
    ]
    found = matches(manager)
    version = variables(EKS_CLUSTER)["kubernetes_version"]["default"]
    pins = variables(EKS_CLUSTER)["addon_versions"]["default"]
    filters = {json.loads(m["packageName"])["addonName"]: m for m in found}
    assert filters.keys() == pins.keys()
    for name, match in filters.items():
        assert json.loads(match["packageName"])["kubernetesVersion"] == version, name
        assert match["currentValue"] == pins[name], name


def test_the_kubernetes_version_is_followed() -> None:
    (manager,) = [
        m for m in CONFIG["customManagers"] if m["description"] == "EKS Kubernetes version"
    ]
    (found,) = matches(manager)
    assert found["currentValue"] == variables(EKS_CLUSTER)["kubernetes_version"]["default"]
    assert found["depName"] == "amazon-eks"


def test_python_requirement_files_are_all_covered() -> None:
    pip = CONFIG["pip_requirements"]
    covered = {p.relative_to(ROOT) for p in files(pip)}
    requirement_files = {
        p.relative_to(ROOT)
        for p in [*ROOT.glob("requirements/*.txt"), *ROOT.glob("apps/**/*requirements*.txt")]
    }
    assert requirement_files and requirement_files <= covered, requirement_files - covered


def test_actions_stay_pinned_to_digests() -> None:
    assert "helpers:pinGitHubActionDigests" in CONFIG["extends"]
    uses = re.compile(r"uses:\s*([^\s#]+)")
    unpinned = [
        f"{workflow.name}: {action}"
        for workflow in (ROOT / ".github" / "workflows").glob("*.yml")
        for action in uses.findall(workflow.read_text())
        if not action.startswith("./") and not re.search(r"@[0-9a-f]{40}$", action)
    ]
    assert unpinned == []
