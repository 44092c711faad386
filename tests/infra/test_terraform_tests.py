"""The Terraform tests themselves: every root planned per environment, every module tested,
every variable validation paired with a run that expects it to fail (scripts/tf-test runs them)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.infra.hcl import ENVIRONMENTS, MODULES, STACKS, load, relative, variables

VAR_REFERENCE = re.compile(r"^\$\{var\.([A-Za-z0-9_]+)\}$")


def tftest_files(directory: Path) -> list[Path]:
    return sorted((directory / "tests").glob("*.tftest.hcl"))


def expected_failures(directory: Path) -> Counter[str]:
    """How many runs expect each input variable's validation to fail."""
    counts: Counter[str] = Counter()
    for path in tftest_files(directory):
        for run in load(path).get("run", []):
            for body in run.values():
                for target in body.get("expect_failures", []):
                    match = VAR_REFERENCE.match(target)
                    if match:
                        counts[match.group(1)] += 1
    return counts


def validations(directory: Path) -> Counter[str]:
    return Counter(
        {name: len(body.get("validation", [])) for name, body in variables(directory).items()}
    )


@pytest.mark.parametrize("stack", STACKS, ids=relative)
def test_every_root_is_planned_with_each_environments_tfvars(stack: Path) -> None:
    """scripts/tf-test runs tests/environments.tftest.hcl once per environments/<env>/<stack>.tfvars."""
    plan = stack / "tests" / "environments.tftest.hcl"
    assert plan.is_file(), f"{relative(stack)} has no tests/environments.tftest.hcl"
    runs = [body for run in load(plan).get("run", []) for body in run.values()]
    assert any(body.get("command") == "plan" and body.get("assert") for body in runs)
    for env in ENVIRONMENTS:
        assert (env / f"{stack.name}.tfvars").is_file(), (
            f"{relative(env)} has no {stack.name}.tfvars"
        )


@pytest.mark.parametrize("module", MODULES, ids=relative)
def test_every_module_has_plan_tests(module: Path) -> None:
    assert tftest_files(module), f"{relative(module)} has no tests/*.tftest.hcl"


@pytest.mark.parametrize("directory", STACKS + MODULES, ids=relative)
def test_every_validation_has_a_run_that_expects_it_to_fail(directory: Path) -> None:
    missing = validations(directory) - expected_failures(directory)
    assert not missing, (
        f"{relative(directory)}: validations without as many expect_failures runs: {dict(missing)}"
    )


def test_the_counter_sees_a_missing_negative_test(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text(
        'variable "a" {\n  type = string\n  validation {\n    condition     = var.a != ""\n'
        '    error_message = "a"\n  }\n  validation {\n    condition     = var.a != "x"\n'
        '    error_message = "a"\n  }\n}\n'
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "a.tftest.hcl").write_text(
        'run "empty" {\n  command = plan\n  variables {\n    a = ""\n  }\n'
        "  expect_failures = [var.a]\n}\n"
    )
    assert validations(tmp_path) - expected_failures(tmp_path) == Counter({"a": 1})
