"""Adding an app is adding its folder with an app.yaml (README, "Add an app"): in a copy of the
tree, a throwaway declaration and no other edit give the app a Deployment and a Pod Identity role
in infra/workloads, an ECR repository in infra/platform, an entry in the images matrix and a
line in local mode's service table."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from genai_common.declarations import App, load_apps

from tests.environments import ROOT, of_tier

pytestmark = pytest.mark.terraform

NAME, PACKAGE = "zz-example", "zz_example"
DECLARATION = f"""\
name: {NAME}
summary: A throwaway app of tests/infra/test_adding_an_app.py
runs_on: eks-deployment
image: {{script: genai-zz-example, extra: chat}}
service:
  port: 8080
  readiness: /readyz
  liveness: /livez
settings: [AWS_REGION]
local:
  - name: {NAME}
    command: [-m, http.server, "{{port}}", --bind, 127.0.0.1]
    port: 8799
    port_variable: LOCAL_ZZ_EXAMPLE_PORT
    ready: /
    label: Example
"""
# What scripts/tf-test and scripts/apps read; of infra/, the two roots planned here.
COPIED = ("apps", "modules", "environments", "tests/terraform-mocks", "scripts/apps")
ROOTS = ("infra/workloads", "infra/platform")
PER_ENVIRONMENT = "tests/environments.tftest.hcl"


def hcl_set(names: list[str]) -> str:
    return "toset([" + ", ".join(json.dumps(n) for n in names) + "])"


def keep_only(tree: Path, root: str, run: str) -> None:
    """The root's per-environment test with its mocks and overrides, and `run` as its only run."""
    path = tree / root / PER_ENVIRONMENT
    text = path.read_text()
    path.write_text(text[: text.index('\nrun "')] + "\n" + run)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("tree")
    ignore = shutil.ignore_patterns(".terraform*", "*.tfstate*", "__pycache__", "*.egg-info")
    for name in (*COPIED, *ROOTS):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, tree / name, ignore=ignore)
        else:
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, tree / name)
    (tree / "apps" / PACKAGE).mkdir()
    (tree / "apps" / PACKAGE / "app.yaml").write_text(DECLARATION)
    return tree


@pytest.fixture(scope="module")
def apps(tree: Path) -> tuple[App, ...]:
    return load_apps(tree / "apps")


def test_the_copy_declares_the_new_app_and_nothing_else_changed(apps: tuple[App, ...]) -> None:
    assert {a.name for a in apps} == {a.name for a in load_apps()} | {NAME}


def test_terraform_plans_its_deployment_role_and_repository(
    tree: Path, apps: tuple[App, ...]
) -> None:
    environment = of_tier("development")[0]
    deployments = sorted(a.name for a in apps if a.runs_on == "eks-deployment")
    images = sorted(a.name for a in apps if a.image)
    keep_only(
        tree,
        "infra/workloads",
        f"""run "adds_{PACKAGE}" {{
  command = plan

  assert {{
    condition     = toset(keys(module.app)) == {hcl_set(deployments)}
    error_message = "Every eks-deployment declaration, the new one too, is an instance of module.app."
  }}
  assert {{
    condition     = module.app["{NAME}"].deployment_name == "{NAME}" && module.app["{NAME}"].service_name == "{NAME}" && local.app_replicas["{NAME}"] == 1
    error_message = "The new app runs as a Deployment behind a Service, one pod in a development environment."
  }}
  assert {{
    condition     = module.app["{NAME}"].iam_role_name == "genai-{environment}-{NAME}" && module.app["{NAME}"].iam_policy == null
    error_message = "The new app has its own Pod Identity role, with no permission until apps.tf gives it a policy."
  }}
}}
""",
    )
    keep_only(
        tree,
        "infra/platform",
        f"""run "adds_{PACKAGE}" {{
  command = plan

  assert {{
    condition     = toset(keys(module.container_registry.repository_urls)) == {hcl_set(images)} && contains(keys(aws_ssm_parameter.outputs), "ecr/{NAME}")
    error_message = "Every declared image, the new one too, has an ECR repository, published for the workloads stack."
  }}
}}
""",
    )
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "tf-test"),
            "--tree",
            str(tree),
            "--environment",
            environment,
            *ROOTS,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for root in ROOTS:
        assert re.search(rf"^ok   {root}: test {environment}; 1 runs passed", done.stdout, re.M), (
            done.stdout
        )


def test_the_images_matrix_lists_it(tree: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(tree / "scripts" / "apps"), "matrix"],
        capture_output=True,
        text=True,
        check=True,
    )
    (entry,) = [e for e in json.loads(done.stdout)["include"] if e["app"] == NAME]
    assert "--build-arg APP=genai-zz-example" in entry["build_args"]
    assert "--build-arg PORT=8080 --build-arg HEALTH_PATH=/livez" in entry["build_args"]
    assert f"apps/{PACKAGE}" in entry["paths"].split()


def test_local_mode_lists_it(
    tree: Path, apps: tuple[App, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    from localmode.plan import load_platform, plan

    table = plan(apps, load_platform(), {}, tree / ".local", tree).table()
    assert ("Example", "http://127.0.0.1:8799", "") in table
