"""scripts/package-dags builds a dags/ folder that MWAA can load on its own (the DAG modules, the
packages of apps/ it declares, the gold set), and scripts/publish-dags syncs it to the bucket the
operations stack names."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.airflow.conftest import ROOT

APPS = ROOT / "apps"
# What scripts/package-dags declares it ships: packages of apps/, or single modules of one.
DECLARED = re.search(
    r"^LIBRARIES=\(([^)]*)\)", (ROOT / "scripts" / "package-dags").read_text(), re.MULTILINE
)[1].split()
LIBRARIES = {entry.split("/")[0] for entry in DECLARED}

# Run in a fresh interpreter whose only path to the code is the built folder, as on MWAA (which
# puts the dags folder on sys.path).
CHECK = """
import importlib, json, pathlib, sys
from airflow.models.dagbag import DagBag
folder = pathlib.Path(sys.argv[1])
bag = DagBag(str(folder), include_examples=False)
modules = sorted(
    ".".join(p.relative_to(folder).with_suffix("").parts).removesuffix(".__init__")
    for p in folder.glob("*/**/*.py")
)
for module in modules:
    importlib.import_module(module)
from bedrock_ops.evaluation import gold_path, load_gold
from genai_common.metering.spec import metering_spec
print(json.dumps({
    "dags": sorted(bag.dag_ids),
    "errors": {k: str(v) for k, v in bag.import_errors.items()},
    "parsed": sorted(pathlib.Path(s.file).name for s in bag.dagbag_stats),
    "modules": modules,
    "gold": [str(gold_path().relative_to(folder)), len(load_gold())],
    "metric_names": sorted(m.name for m in metering_spec().metrics.values()),
}))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mwaa") / "dags"
    subprocess.run(
        [str(ROOT / "scripts" / "package-dags"), str(out)], check=True, capture_output=True
    )
    return out


def test_the_folder_holds_the_dags_and_the_modules_of_the_declared_packages(built: Path) -> None:
    top = sorted(p.name for p in built.iterdir())
    dags = sorted(p.name for p in (APPS / "bedrock_ops" / "dags").glob("*.py"))
    assert top == sorted([".airflowignore", *dags, *LIBRARIES])
    modules = {
        p.relative_to(APPS)
        for entry in DECLARED
        for p in ([APPS / entry] if entry.endswith(".py") else (APPS / entry).rglob("*.py"))
        if "__pycache__" not in p.parts
    }
    modules -= {p.relative_to(APPS) for p in (APPS / "bedrock_ops" / "dags").rglob("*.py")}
    shipped = {
        p.relative_to(built)
        for package in LIBRARIES
        for p in (built / package).rglob("*")
        if p.is_file()
    }
    assert shipped == modules | {
        Path("bedrock_ops/kb_retrieval_gold.jsonl"),
        Path("genai_common/metering/metering.json"),
    }
    ignored = (built / ".airflowignore").read_text().split()
    assert {line.strip("/") for line in ignored if line.startswith("/")} == LIBRARIES


def _module_file(folder: Path, name: str) -> Path | None:
    path = folder.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate.relative_to(folder)
    return None


def test_every_module_of_apps_the_folder_imports_is_shipped(built: Path) -> None:
    """Imports inside task functions too: a missing module would fail only when a task runs."""
    imported = set()
    for file in built.rglob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        # What only a type checker imports (under ``if TYPE_CHECKING:``) never runs.
        for block in ast.walk(tree):
            if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING":
                block.body = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
    of_apps = {file for name in imported if (file := _module_file(APPS, name))}
    assert {file.parts[0] for file in of_apps} == LIBRARIES
    assert {file for file in of_apps if not (built / file).is_file()} == set()


def test_mwaa_can_load_the_folder_on_its_own(built: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(built),
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(built),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(built)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == {}
    assert len(report["dags"]) == 5
    assert report["parsed"] == sorted(p.name for p in built.glob("*.py"))
    assert "reviews_domain.bulk_writer" in report["modules"]
    assert report["gold"] == [
        "bedrock_ops/kb_retrieval_gold.jsonl",
        len((ROOT / "benchmarks" / "kb_retrieval_gold.jsonl").read_text().splitlines()),
    ]
    spec = json.loads((APPS / "genai_common" / "metering" / "metering.json").read_text())
    assert report["metric_names"] == sorted(m["name"] for m in spec["metrics"].values())


def test_building_twice_gives_the_same_files(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "dags"
    subprocess.run(
        [str(ROOT / "scripts" / "package-dags"), str(again)], check=True, capture_output=True
    )

    def files(folder: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()
        }

    assert files(again) == files(built)


@pytest.fixture
def fake_aws(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An `aws` on PATH that logs its arguments and knows one SSM parameter."""
    log = tmp_path / "aws.log"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    aws = bin_dir / "aws"
    aws.write_text(
        "#!/usr/bin/env bash\n"
        'echo "$*" >> "$AWS_LOG"\n'
        'if [[ "$1 $2" == "ssm get-parameter" ]]; then\n'
        '  [[ "$*" == *"--name /genai/dev/operations/dags-bucket "* ]] || { echo "ParameterNotFound" >&2; exit 254; }\n'
        "  echo genai-dev-airflow-123456789012\n"
        "fi\n"
    )
    aws.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "AWS_LOG": str(log)}
    return env, log


def test_publish_syncs_the_built_folder_to_the_environments_bucket(
    fake_aws: tuple[dict[str, str], Path],
) -> None:
    env, log = fake_aws

    result = subprocess.run(
        [str(ROOT / "scripts" / "publish-dags"), "dev"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    region = "us-east-1"  # environments/dev/environment.yaml
    assert log.read_text().splitlines() == [
        f"ssm get-parameter --region {region} --name /genai/dev/operations/dags-bucket "
        "--query Parameter.Value --output text",
        f"s3 sync --region {region} --delete --no-progress dist/mwaa/dags/ "
        "s3://genai-dev-airflow-123456789012/dags/",
    ]
    assert (ROOT / "dist" / "mwaa" / "dags" / "bedrock_kb_refresh.py").is_file()


def test_publish_before_the_stack_exists_says_so(fake_aws: tuple[dict[str, str], Path]) -> None:
    env, log = fake_aws
    # The fake knows dev's parameter only.
    result = subprocess.run(
        [str(ROOT / "scripts" / "publish-dags"), "staging"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "/genai/staging/operations/dags-bucket not found" in result.stderr
    assert "apply the operations stack of staging first" in result.stderr
    assert "s3 sync" not in log.read_text()


@pytest.mark.parametrize("args", [[], ["qa"], ["dev", "extra"]])
def test_publish_usage(args: list[str]) -> None:
    result = subprocess.run(
        [str(ROOT / "scripts" / "publish-dags"), *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "usage: scripts/publish-dags <env>" in result.stderr
