"""Adding an environment is copying one folder (README, "Adding an environment"): in a copy of
the tree, an environment made from the first development-tier one plans in every root, with no
edit outside its folder (scripts/tf-test --environment)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from importlib.machinery import SourceFileLoader
from pathlib import Path

import pytest
import yaml

from tests.environments import ROOT, declared, of_tier

pytestmark = pytest.mark.terraform

TF_TEST = ROOT / "scripts" / "tf-test"
NEW = "qa"


def add_environment(tree: Path, name: str, source: str) -> None:
    """The README's recipe: copy the folder's files, name the environment in each tfvars and
    promote it after the others (environment.yaml)."""
    folder = tree / "environments" / name
    folder.mkdir()
    for path in (tree / "environments" / source).iterdir():
        if path.suffix in (".tfvars", ".hcl", ".yaml"):
            shutil.copy2(path, folder / path.name)
    for tfvars in folder.glob("*.tfvars"):
        text = tfvars.read_text()
        renamed = re.sub(r'^(environment\s*=\s*)"[^"]*"', rf'\1"{name}"', text, flags=re.M)
        assert renamed != text, f"{tfvars.name} names no environment"
        tfvars.write_text(renamed)
    last = max(e["promotion_order"] for e in declared().values())
    environment = folder / "environment.yaml"
    environment.write_text(
        re.sub(
            r"^promotion_order: *\d+",
            f"promotion_order: {last + 1}",
            environment.read_text(),
            flags=re.M,
        )
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What scripts/tf-test reads of this checkout, plus the new environment."""
    loader = SourceFileLoader("tf_test", str(TF_TEST))
    tf_test = importlib.util.module_from_spec(importlib.util.spec_from_loader("tf_test", loader))
    # Its dataclasses look their module up.
    sys.modules["tf_test"] = tf_test
    loader.exec_module(tf_test)
    tree = tmp_path_factory.mktemp("tree")
    for name in tf_test.COPIED:
        shutil.copytree(
            ROOT / name, tree / name, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*")
        )
    add_environment(tree, NEW, of_tier("development")[0])
    return tree


def test_the_recipe_touches_only_the_new_folder(tree: Path) -> None:
    environment = yaml.safe_load((tree / "environments" / NEW / "environment.yaml").read_text())
    assert environment["tier"] == "development"
    assert environment["promotion_order"] > max(e["promotion_order"] for e in declared().values())
    assert declared(tree).keys() == {*declared(), NEW}


def test_every_root_plans_for_the_new_environment(tree: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(TF_TEST), "--tree", str(tree), "--environment", NEW],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    stacks = sorted(p.name for p in (ROOT / "infra").iterdir() if p.is_dir())
    for stack in stacks:
        assert re.search(
            rf"^ok   infra/{stack}: test {NEW}; [1-9]\d* runs passed", done.stdout, re.M
        ), f"infra/{stack} did not plan {NEW}:\n{done.stdout}"
    assert " 0 directories failed" in done.stdout
