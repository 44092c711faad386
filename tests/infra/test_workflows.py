"""The CI workflows keep to the trust boundary the roles assume (modules/github-oidc): actions
pinned by commit, the scanner and the builds in jobs without an OIDC token, each role taken only
by the workflows its trust names, images built once, deploys queued per environment and a
scheduled drift check."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.infra.hcl import ROOT, relative, variables

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def workflow(path: Path) -> dict[str, Any]:
    with path.open() as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def jobs(path: Path) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = workflow(path)["jobs"]
    return found


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def has_oidc_token(job: dict[str, Any]) -> bool:
    return job.get("permissions", {}).get("id-token") == "write"


def trusted_workflows(role: str) -> list[str]:
    default: list[str] = variables(ROOT / "modules" / "github-oidc")[f"{role}_workflows"]["default"]
    return default


def by_name(name: str) -> Path:
    return next(p for p in WORKFLOWS if p.name == name)


@pytest.mark.parametrize("path", WORKFLOWS, ids=relative)
def test_actions_are_pinned_by_commit(path: Path) -> None:
    unpinned = [
        step["uses"]
        for job in jobs(path).values()
        for step in steps(job)
        if "uses" in step and not step["uses"].startswith("./") and not PINNED.match(step["uses"])
    ]
    assert not unpinned, f"{relative(path)} uses actions not pinned by commit: {unpinned}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=relative)
def test_builds_and_scans_hold_no_oidc_token(path: Path) -> None:
    offending = [
        name
        for name, job in jobs(path).items()
        if has_oidc_token(job)
        and any(
            "docker build" in step.get("run", "")
            or step.get("uses", "").startswith("aquasecurity/")
            for step in steps(job)
        )
    ]
    assert not offending, f"{relative(path)}: {offending} build or scan with an OIDC token"


@pytest.mark.parametrize(
    ("role", "variable"), [("apply", "AWS_APPLY_ROLE_ARN"), ("plan", "AWS_PLAN_ROLE_ARN")]
)
def test_each_role_is_taken_only_by_the_workflows_its_trust_names(role: str, variable: str) -> None:
    taking = {
        path.name
        for path in WORKFLOWS
        for job in jobs(path).values()
        for step in steps(job)
        if variable in str(step.get("with", {}).get("role-to-assume", ""))
    }
    assert taking, f"no workflow assumes the {role} role"
    assert taking <= set(trusted_workflows(role)), (
        f"{sorted(taking)} assume the {role} role, trusted: {trusted_workflows(role)}"
    )


def test_the_official_trivy_scans_every_build() -> None:
    image = jobs(by_name("images.yml"))["image"]
    scans = [
        step
        for step in steps(image)
        if step.get("uses", "").startswith("aquasecurity/trivy-action@")
    ]
    assert len(scans) == 1 and scans[0]["with"]["exit-code"] == "1"
    assert not any(
        "pip" in step.get("run", "") and "trivy" in step.get("run", "") for step in steps(image)
    )


def test_images_are_built_once_and_pushed_as_built() -> None:
    images = jobs(by_name("images.yml"))
    assert (
        images["image"]["if"] == "inputs.environment == ''"
        and images["push"]["if"] == "inputs.environment != ''"
    )
    push_runs = " ".join(step.get("run", "") for step in steps(images["push"]))
    assert "docker build" not in push_runs and "scripts/push-image" in push_runs
    assert "--preserve-digests" in (ROOT / "scripts" / "push-image").read_text()
    apply = jobs(by_name("apply.yml"))
    assert (
        apply["images"]["uses"] == "./.github/workflows/images.yml"
        and "with" not in apply["images"]
    )
    assert "images" in apply["promote"]["needs"]


def test_deploys_queue_per_environment() -> None:
    assert "concurrency" not in workflow(by_name("apply.yml"))
    concurrency = jobs(by_name("deploy.yml"))["apply"]["concurrency"]
    assert (
        concurrency["group"] == "deploy-${{ inputs.environment }}"
        and concurrency["cancel-in-progress"] is False
    )


def test_drift_is_checked_on_a_schedule_with_the_plan_role() -> None:
    drift = workflow(by_name("drift.yml"))
    # PyYAML reads the key `on` as True.
    assert drift[True]["schedule"]
    job = drift["jobs"]["drift"]
    assert job["environment"] == "${{ matrix.environment }}-plan"
    assert (
        job["strategy"]["matrix"]["environment"]
        == "${{ fromJSON(needs.environments.outputs.list) }}"
    )
    assert any("-detailed-exitcode" in step.get("run", "") for step in steps(job))
    assert "drift.yml" in trusted_workflows("plan")
