"""The import-linter contracts of pyproject.toml: they name every package of apps/, and
lint-imports fails when an app imports another app or a shared package imports an app."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ROOT / "apps"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _contract(kind: str) -> dict:
    (contract,) = [c for c in _config()["contracts"] if c["type"] == kind]
    return contract


def _packages() -> set[str]:
    return {p.name for p in APPS.iterdir() if (p / "__init__.py").is_file()}


def _shared() -> set[str]:
    """Below the apps: genai_common and the domain packages, named <domain>_domain."""
    return {p for p in _packages() if p == "genai_common" or p.endswith("_domain")}


def _folders_of_modules() -> set[str]:
    """Folders inside a package that hold modules but are no package (the DAGs' folder)."""
    return {
        ".".join(folder.relative_to(APPS).parts)
        for package in _packages()
        for folder in (APPS / package).rglob("*")
        if folder.is_dir() and not (folder / "__init__.py").exists() and any(folder.glob("*.py"))
    }


def test_the_contracts_name_every_package_of_apps() -> None:
    apps = _packages() - _shared()
    assert set(_config()["root_packages"]) == _packages() | _folders_of_modules()
    assert set(_contract("independence")["modules"]) == apps
    forbidden = _contract("forbidden")
    assert set(forbidden["source_modules"]) == _shared()
    assert set(forbidden["forbidden_modules"]) == apps
    layers = _contract("layers")["layers"]
    assert layers[-1] == "genai_common"
    assert {p.strip() for layer in layers for p in layer.split("|")} == _shared()


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH first: the copy's packages, not the repository's (the editable install's path).
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=tree,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree / "apps")},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's pyproject.toml and the Python modules of apps/."""
    root = tmp_path_factory.mktemp("tree")
    shutil.copy(ROOT / "pyproject.toml", root)
    shutil.copytree(
        APPS,
        root / "apps",
        ignore=lambda folder, names: [
            n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()
        ],
    )
    return root


def test_the_repository_keeps_the_contracts(tree: Path) -> None:
    result = _lint_imports(tree)
    assert result.returncode == 0, result.stdout
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "imported", "contract"),
    [
        ("claude_chat/page.py", "shop_rag.settings", "independence"),
        # A DAG module: in the graph although the DAGs' folder is no package.
        ("bedrock_ops/dags/bedrock_invoke_smoke.py", "kb_assistant.settings", "independence"),
        ("reviews_domain/model.py", "review_stream.indexes", "forbidden"),
        ("genai_common/aws.py", "reviews_domain.model", "layers"),
        ("competency_domain/sync.py", "case_sheets_domain.fields", "layers"),
    ],
)
def test_a_planted_import_breaks_its_contract(
    tree: Path, tmp_path: Path, module: str, imported: str, contract: str
) -> None:
    copy = tmp_path / "tree"
    shutil.copytree(tree, copy)
    target = copy / "apps" / module
    target.write_text(target.read_text() + f"\nimport {imported}\n")

    result = _lint_imports(copy)

    assert result.returncode == 1, result.stdout
    assert f"{_contract(contract)['name']} BROKEN" in result.stdout
    assert f"{module.removesuffix('.py').replace('/', '.')} -> {imported}" in result.stdout
