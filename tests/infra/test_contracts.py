"""Static contracts over the HCL that plan-time tools would only catch per environment."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.infra.hcl import (
    ALL_DIRS,
    ENVIRONMENTS,
    MODULES,
    ROOT,
    STACKS,
    blocks,
    load,
    relative,
    variables,
)

TFVARS = sorted(ROOT.glob("environments/*/*.tfvars"))


def stack_of(tfvars: Path) -> Path:
    return ROOT / "infra" / tfvars.stem


@pytest.mark.parametrize("tfvars", TFVARS, ids=relative)
def test_tfvars_keys_are_declared_variables(tfvars: Path) -> None:
    stack = stack_of(tfvars)
    assert stack.is_dir(), f"{relative(tfvars)} names no stack under infra/"
    undeclared = set(load(tfvars)) - set(variables(stack))
    assert not undeclared, f"{relative(tfvars)} sets undeclared variables {sorted(undeclared)}"


@pytest.mark.parametrize("stack", STACKS, ids=relative)
@pytest.mark.parametrize("env", ENVIRONMENTS, ids=lambda p: p.name)
def test_required_variables_are_set_in_every_environment(stack: Path, env: Path) -> None:
    tfvars = env / f"{stack.name}.tfvars"
    assert tfvars.exists(), f"{relative(env)} has no {stack.name}.tfvars"
    required = {name for name, body in variables(stack).items() if "default" not in body}
    missing = required - set(load(tfvars))
    assert not missing, f"{relative(tfvars)} misses required variables {sorted(missing)}"


@pytest.mark.parametrize("env", ENVIRONMENTS, ids=lambda p: p.name)
def test_environment_has_a_backend_with_native_locking(env: Path) -> None:
    backend = load(env / "backend.hcl")
    assert backend.get("use_lockfile") is True and backend.get("encrypt") is True


@pytest.mark.parametrize("directory", ALL_DIRS, ids=relative)
def test_variables_and_outputs_are_documented(directory: Path) -> None:
    for name, body in variables(directory).items():
        assert "type" in body, f"{relative(directory)}: variable {name} has no type"
        assert body.get("description", ""), (
            f"{relative(directory)}: variable {name} has no description"
        )
    for block in blocks(directory, "output"):
        for name, body in block.items():
            assert body.get("description", ""), (
                f"{relative(directory)}: output {name} has no description"
            )


@pytest.mark.parametrize("module", MODULES, ids=relative)
def test_module_layout(module: Path) -> None:
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"):
        assert (module / name).exists(), f"{relative(module)} lacks {name}"
    assert not blocks(module, "provider"), f"{relative(module)} configures a provider; callers do"
    assert not blocks(module, "terraform")[0].get("backend"), (
        f"{relative(module)} declares a backend"
    )


@pytest.mark.parametrize("module", MODULES, ids=relative)
def test_module_readme_lists_inputs_and_outputs(module: Path) -> None:
    readme = (module / "README.md").read_text()
    for name in variables(module):
        assert f"`{name}`" in readme, f"{relative(module)}/README.md does not document input {name}"
    for block in blocks(module, "output"):
        for name in block:
            assert f"`{name}`" in readme, (
                f"{relative(module)}/README.md does not document output {name}"
            )


PESSIMISTIC = re.compile(r"^~> ?\d+\.\d+(\.\d+)?$")


@pytest.mark.parametrize("directory", ALL_DIRS, ids=relative)
def test_providers_are_declared_and_pinned(directory: Path) -> None:
    terraform = [t for t in blocks(directory, "terraform")]
    assert terraform, f"{relative(directory)} has no terraform block"
    assert any(t.get("required_version", "").startswith(">= 1.10") for t in terraform)
    required = {
        k: v for t in terraform for rp in t.get("required_providers", []) for k, v in rp.items()
    }
    # A module that only reads files (modules/environment) creates nothing and needs no provider.
    creates = blocks(directory, "resource") or blocks(directory, "data")
    assert required or not creates, f"{relative(directory)} declares no required_providers"
    for name, spec in required.items():
        assert PESSIMISTIC.match(spec["version"]), (
            f"{relative(directory)}: provider {name} not pinned as {PESSIMISTIC.pattern}"
        )


@pytest.mark.parametrize("directory", ALL_DIRS, ids=relative)
def test_registry_modules_are_pinned_to_a_minor(directory: Path) -> None:
    for block in blocks(directory, "module"):
        for name, body in block.items():
            source = body["source"]
            if source.startswith(("./", "../")):
                assert "version" not in body
                continue
            version = body.get("version", "")
            assert PESSIMISTIC.match(version), (
                f"{relative(directory)}: module {name} ({source}) not pinned: {version!r}"
            )


@pytest.mark.parametrize("directory", STACKS, ids=relative)
def test_stacks_use_an_empty_s3_backend_unless_bootstrap(directory: Path) -> None:
    backends = [b for t in blocks(directory, "terraform") for b in t.get("backend", [])]
    if directory.name == "bootstrap":
        assert backends == [{"local": {}}]
    else:
        assert backends == [{"s3": {}}], (
            f'{relative(directory)} must declare an empty backend "s3" {{}}'
        )


# --- IAM ------------------------------------------------------------------------------


def policy_statements(directory: Path) -> list[tuple[str, Any, Any]]:
    """(effect, actions, resources) of every identity-policy statement in the directory.

    Statements naming principals belong to resource policies (a KMS key policy's "*" is the
    key itself; trust policies have no resources), so they are left out.
    """
    found = []
    for block in blocks(directory, "data"):
        for doc in block.get("aws_iam_policy_document", {}).values():
            for statement in doc.get("statement", []):
                if "principals" in statement:
                    continue
                # An expression (a for, a variable) stays a string: it is checked by the
                # variable's own validation at plan time, not here.
                found.append(
                    (
                        statement.get("effect", "Allow"),
                        statement.get("actions", []),
                        statement.get("resources", []),
                    )
                )
    return found


def wildcard_grants(statements: list[tuple[str, list[str], Any]]) -> list[str]:
    bad = []
    for effect, actions, resources in statements:
        if effect != "Allow" or not isinstance(resources, list) or "*" not in resources:
            continue
        if not isinstance(actions, list):
            continue
        bad.extend(a for a in actions if isinstance(a, str) and (a == "*" or a.endswith(":*")))
    return bad


@pytest.mark.parametrize("directory", ALL_DIRS, ids=relative)
def test_no_wildcard_actions_on_wildcard_resources(directory: Path) -> None:
    assert wildcard_grants(policy_statements(directory)) == [], (
        f"{relative(directory)} grants wildcard actions on *"
    )


def test_wildcard_check_catches_a_wildcard_grant() -> None:
    assert wildcard_grants([("Allow", ["s3:*"], ["*"])]) == ["s3:*"]
    assert wildcard_grants([("Allow", ["*"], ["*"])]) == ["*"]
    assert wildcard_grants([("Allow", ["s3:GetObject"], ["*"]), ("Deny", ["*"], ["*"])]) == []


BROAD_MANAGED = re.compile(r"arn:aws:iam::aws:policy/(AdministratorAccess|\w*FullAccess)\b")
AWS_KEY = re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")
# A secret access key is 40 characters of base64: a value that long, quoted or not. Short
# stand-ins that local mode and the tests give moto ("local", "testing") and expressions that
# pass on credentials from STS (c["SecretAccessKey"]) are not secrets.
SECRET_ASSIGNMENT = re.compile(
    r"aws_secret_access_key[\"']?\s*[=:]\s*[\"']?[A-Za-z0-9/+=]{16,}", re.IGNORECASE
)
SCANNED = (
    "*.tf",
    "*.tfvars",
    "*.hcl",
    "*.py",
    "*.yml",
    "*.yaml",
    "*.toml",
    "Dockerfile",
    "*.sh",
    "*.md",
)


def scanned_files() -> list[Path]:
    skip = {
        ".venv",
        ".venv-flink",
        ".venv-airflow",
        ".tools",
        ".git",
        ".local",
        "node_modules",
        ".terraform",
    }
    files = []
    for pattern in SCANNED:
        files.extend(p for p in ROOT.rglob(pattern) if not skip & set(p.relative_to(ROOT).parts))
    return sorted(set(files))


def test_no_administrator_or_full_access_policies() -> None:
    offenders = [relative(p) for p in ROOT.rglob("*.tf") if BROAD_MANAGED.search(p.read_text())]
    assert offenders == []


def test_no_static_aws_credentials() -> None:
    this = Path(__file__)
    offenders = [
        relative(p)
        for p in scanned_files()
        if p != this
        and (
            AWS_KEY.search(p.read_text(errors="ignore"))
            or SECRET_ASSIGNMENT.search(p.read_text(errors="ignore"))
        )
    ]
    assert offenders == []


def test_credential_scan_catches_a_key() -> None:
    assert AWS_KEY.search("key = AKIAIOSFODNN7EXAMPLE")
    example = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    assert SECRET_ASSIGNMENT.search(f"aws_secret_access_key = {example}")
    assert SECRET_ASSIGNMENT.search(f'"AWS_SECRET_ACCESS_KEY": "{example}"')
    assert SECRET_ASSIGNMENT.search(f"AWS_SECRET_ACCESS_KEY: {example}")
    assert not SECRET_ASSIGNMENT.search("AWS_SECRET_ACCESS_KEY: local")
    assert not SECRET_ASSIGNMENT.search('aws_secret_access_key="testing", region_name="x"')
    assert not SECRET_ASSIGNMENT.search('aws_secret_access_key=c["SecretAccessKey"],')


def test_hcl_parser_sees_statements(tmp_path: Path) -> None:
    tf = tmp_path / "x.tf"
    tf.write_text(
        'data "aws_iam_policy_document" "d" {\n  statement {\n    actions = ["s3:*"]\n    resources = ["*"]\n  }\n}\n'
    )
    assert json.dumps(policy_statements(tmp_path))
    assert wildcard_grants(policy_statements(tmp_path)) == ["s3:*"]


# --- What the CI apply role may manage, and plans that settle ---------------------------


def module_calls(source: str) -> list[tuple[Path, str, dict[str, Any]]]:
    calls = []
    for directory in ALL_DIRS:
        for block in blocks(directory, "module"):
            for name, body in block.items():
                if body["source"] == source:
                    calls.append((directory, name, body))
    return calls


def test_registry_modules_name_their_iam_under_the_environment_prefix() -> None:
    """The CI apply role manages IAM roles and policies named <project>-<env>-* only
    (modules/github-oidc); the registry modules' own default names (AmazonEKS_*, <group>-eks-node-group)
    would be refused on CI's first apply."""
    prefix = "${var.name}-"
    pod_identity = module_calls("terraform-aws-modules/eks-pod-identity/aws")
    assert pod_identity
    for directory, name, body in pod_identity:
        where = f"{relative(directory)}: module {name}"
        assert body["name"].startswith(prefix), where
        assert body["policy_name_prefix"] == prefix and body["use_name_prefix"] is False, where
    for directory, name, body in module_calls("terraform-aws-modules/eks/aws"):
        where = f"{relative(directory)}: module {name}"
        assert body["iam_role_name"].startswith(prefix), where
        assert body["iam_role_use_name_prefix"] is False, where
        assert body["enable_irsa"] is False, f"{where}: IRSA would add an OIDC provider"
    for directory, name, body in module_calls("terraform-aws-modules/vpc/aws"):
        where = f"{relative(directory)}: module {name}"
        assert body["vpc_flow_log_iam_role_name"].startswith("${var.name}"), where
        assert body["vpc_flow_log_iam_policy_name"].startswith("${var.name}"), where


CALLER_DEPENDENT = re.compile(
    r"aws_iam_session_context|data\.aws_caller_identity\.[a-z_]+\.(arn|user_id)\b"
)


def test_nothing_depends_on_who_runs_terraform() -> None:
    """A plan by the CI plan role right after an apply by the apply role (or an operator) must show
    no change, so no value may come from the caller's identity beyond its account."""
    offenders = [
        relative(p)
        for d in ALL_DIRS
        for p in sorted(d.glob("*.tf"))
        if CALLER_DEPENDENT.search(p.read_text())
    ]
    assert offenders == []
    for directory, name, body in module_calls("terraform-aws-modules/eks/aws"):
        # The module's defaults follow the caller: key administrators, a creator access entry.
        assert body.get("kms_key_administrators"), f"{relative(directory)}: module {name}"
        assert body.get("enable_cluster_creator_admin_permissions") is False


def test_caller_check_catches_a_session_context() -> None:
    assert CALLER_DEPENDENT.search('data "aws_iam_session_context" "me" {}')
    assert CALLER_DEPENDENT.search("principal = data.aws_caller_identity.current.arn")
    assert not CALLER_DEPENDENT.search("account = data.aws_caller_identity.current.account_id")


def test_the_collection_lets_in_the_dashboard_role_the_workloads_stack_creates() -> None:
    # The streaming stack is applied first and names the role by its ARN; k8s-app names it
    # <iam_role_name_prefix>-<name>, the name the dashboard declares (apps/review_stream/app.yaml).
    # A rename on one side only would lock the dashboard out.
    from genai_common.declarations import load_apps

    (dashboard,) = [a for a in load_apps() if a.package == "review_stream"]
    assert dashboard.runs_on == "eks-deployment"
    (app,) = [c for c in module_calls("../../modules/k8s-app") if c[1] == "app"]
    assert app[2]["iam_role_name_prefix"] == "${local.name}" and app[2]["name"] == "${each.key}"
    streaming = (ROOT / "infra" / "streaming" / "opensearch.tf").read_text()
    assert f':role/${{local.name}}-{dashboard.name}"' in streaming
    iam = (ROOT / "modules" / "k8s-app" / "iam.tf").read_text()
    assert 'role_name       = "${var.iam_role_name_prefix}-${var.name}"' in iam


def test_the_operations_stack_publishes_every_variable_the_dags_read() -> None:
    # The DAGs read their ids and thresholds as Airflow Variables, which MWAA's secrets backend
    # takes from the SSM parameters infra/operations writes: a name on one side only is a
    # task that fails at run time on MWAA, not in any test of either side alone.
    import ast

    common = ast.parse((ROOT / "apps" / "bedrock_ops" / "common.py").read_text())
    (read,) = [
        {element.value for element in node.value.args[0].elts}
        for node in common.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "VARIABLES"
    ]
    published: set[str] = set()
    for block in load(ROOT / "infra" / "operations" / "ssm.tf").get("locals", []):
        published |= set(block.get("airflow_variable_values", {}))
    assert published and read == published, read ^ published
