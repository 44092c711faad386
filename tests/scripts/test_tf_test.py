"""scripts/tf-test's invocations: a root's environments.tftest.hcl once per environment with its
tfvars, its other test files once with the first environment's (promotion order), a module's
test files once with their own variables, and --environment narrowing to the per-environment runs."""

from __future__ import annotations

import sys
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path
from types import ModuleType

import pytest

from tests.scripts.stand_ins import ROOT


@pytest.fixture(scope="module")
def tf_test() -> ModuleType:
    loader = SourceFileLoader("tf_test", str(ROOT / "scripts" / "tf-test"))
    module = module_from_spec(spec_from_loader("tf_test", loader))
    # Its dataclasses look their module up.
    sys.modules["tf_test"] = module
    loader.exec_module(module)
    return module


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Environments whose names sort otherwise than their promotion order."""
    for name, order in (("alpha", 3), ("beta", 1), ("gamma", 2)):
        folder = tmp_path / "environments" / name
        folder.mkdir(parents=True)
        (folder / "environment.yaml").write_text(
            f"tier: development   # a comment\npromotion_order: {order}\n"
        )
    for directory in ("infra/stack", "modules/mod"):
        tests = tmp_path / directory / "tests"
        tests.mkdir(parents=True)
    for name in ("environments", "validations"):
        (tmp_path / "infra/stack/tests" / f"{name}.tftest.hcl").write_text("")
    (tmp_path / "modules/mod/tests/mod.tftest.hcl").write_text("")
    return tmp_path


def tfvars(tree: Path, env: str) -> str:
    return f"-var-file={tree / 'environments' / env / 'stack.tfvars'}"


def test_environments_come_in_promotion_order(tf_test: ModuleType, tree: Path) -> None:
    assert tf_test.environments(tree) == ["beta", "gamma", "alpha"]


def test_a_roots_once_run_files_get_the_first_environments_tfvars(
    tf_test: ModuleType, tree: Path
) -> None:
    assert tf_test.test_invocations(tree / "infra/stack", "infra/stack") == [
        ("test beta", ["-filter=tests/environments.tftest.hcl", tfvars(tree, "beta")]),
        ("test gamma", ["-filter=tests/environments.tftest.hcl", tfvars(tree, "gamma")]),
        ("test alpha", ["-filter=tests/environments.tftest.hcl", tfvars(tree, "alpha")]),
        ("test validations.tftest", ["-filter=tests/validations.tftest.hcl", tfvars(tree, "beta")]),
    ]


def test_a_modules_files_set_their_own_variables(tf_test: ModuleType, tree: Path) -> None:
    assert tf_test.test_invocations(tree / "modules/mod", "modules/mod") == [
        ("test mod.tftest", ["-filter=tests/mod.tftest.hcl"])
    ]


def test_only_makes_the_per_environment_runs_of_those_environments(
    tf_test: ModuleType, tree: Path
) -> None:
    assert tf_test.test_invocations(tree / "infra/stack", "infra/stack", ["alpha"]) == [
        ("test alpha", ["-filter=tests/environments.tftest.hcl", tfvars(tree, "alpha")])
    ]
