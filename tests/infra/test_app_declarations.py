"""The apps' declarations (apps/*/app.yaml) against what reads them: the workloads stack's
per-app settings and policies, the app's own settings class, modules/k8s-app's defaults, the
images workflow's matrix."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from genai_common.declarations import DECLARATION, App, Resources, Service, load_apps
from pydantic_settings import BaseSettings

from tests.infra.hcl import ROOT, blocks, load, variables

WORKLOADS = ROOT / "infra" / "workloads"
DEPLOYMENTS = [app for app in load_apps() if app.runs_on == "eks-deployment"]
SETTING_KEY = re.compile(r"\b([A-Z][A-Z0-9_]+)\s*=(?!=)")
LOCAL = re.compile(r"\blocal\.([a-z0-9_]+)")
POLICY = re.compile(r"\bdata\.aws_iam_policy_document\.([a-z0-9_]+)(?:\[[^\]]*\])?\.json\b")


def by_name(apps: list[App]) -> dict[str, App]:
    return {app.name: app for app in apps}


@cache
def workload_locals() -> dict[str, Any]:
    return {name: value for block in blocks(WORKLOADS, "locals") for name, value in block.items()}


def setting_keys(value: Any, seen: frozenset[str] = frozenset()) -> set[str]:
    """The variable names an env expression can set: its literal keys and those of the locals it
    merges in, in every branch of a conditional."""
    if isinstance(value, dict):
        return set(value)
    text = str(value)
    keys = set(SETTING_KEY.findall(text))
    for name in set(LOCAL.findall(text)) - seen:
        if name in workload_locals():
            keys |= setting_keys(workload_locals()[name], seen | {name})
    return keys


@cache
def policy_documents() -> dict[str, dict[str, Any]]:
    return {
        name: body
        for block in blocks(WORKLOADS, "data")
        for name, body in block.get("aws_iam_policy_document", {}).items()
    }


def policy_actions(expression: str) -> set[str]:
    """Every action the documents an expression names can grant, with their source documents
    and dynamic statements."""
    actions: set[str] = set()
    for name in POLICY.findall(expression):
        document = policy_documents()[name]
        statements = list(document.get("statement", []))
        for dynamic in document.get("dynamic", []):
            statements += dynamic.get("statement", {}).get("content", [])
        for statement in statements:
            assert isinstance(statement["actions"], list), f"{name}: actions must be literal"
            actions |= set(statement["actions"])
        for source in document.get("source_policy_documents", []):
            actions |= policy_actions(source)
    return actions


@pytest.mark.parametrize("app", DEPLOYMENTS, ids=lambda a: a.name)
def test_terraform_sets_only_settings_the_app_declares(app: App) -> None:
    """A key the app does not read would be ignored silently and its default used."""
    env = workload_locals()["app_env"].get(app.name, {})
    secrets = workload_locals()["app_secret_env"].get(app.name, {})
    budgets = setting_keys(workload_locals()["token_budget_env"]) if app.models else set()
    keys = {"AWS_REGION"} | setting_keys(env) | set(secrets) | budgets
    assert keys <= set(app.settings), (
        f"{app.name}: undeclared settings {sorted(keys - set(app.settings))}"
    )


@pytest.mark.parametrize("app", DEPLOYMENTS, ids=lambda a: a.name)
def test_every_declared_setting_is_read_by_the_app(app: App) -> None:
    """What the declaration lists is a field of the app's settings classes (<package>.settings)."""
    module = importlib.import_module(f"{app.package}.settings")
    fields: set[str] = set()
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, BaseSettings):
            prefix = str(value.model_config.get("env_prefix") or "").upper()
            for name, field in value.model_fields.items():
                fields.add(prefix + name.upper())
                fields |= {
                    a.upper() for a in (field.alias, field.validation_alias) if isinstance(a, str)
                }
    assert set(app.settings) <= fields, f"{app.name} declares {sorted(set(app.settings) - fields)}"


@pytest.mark.parametrize("app", DEPLOYMENTS, ids=lambda a: a.name)
def test_each_role_grants_only_the_permissions_the_app_declares(app: App) -> None:
    expression = str(workload_locals()["app_policies"].get(app.name, ""))
    granted = policy_actions(expression)
    assert granted <= set(app.permissions), (
        f"{app.name}'s role grants undeclared {sorted(granted - set(app.permissions))}"
    )


def test_special_entries_name_declared_apps() -> None:
    declared = set(by_name(DEPLOYMENTS))
    for local in ("app_env", "app_secret_env", "app_policies"):
        assert set(workload_locals()[local]) <= declared, f"{local} names an undeclared app"


def test_the_key_and_action_readers_see_every_branch() -> None:
    keys = setting_keys('${a ? tomap({X_ONE = "1"}) : tomap({X_TWO = b == "c" ? "d" : "e"})}')
    assert keys == {"X_ONE", "X_TWO"}
    assert "OPENAI_MODEL" in setting_keys(workload_locals()["app_env"]["myretail-chat"])
    assert "bedrock:RetrieveAndGenerate" in policy_actions(
        "${data.aws_iam_policy_document.kb_assistant.json}"
    )
    assert "bedrock:ApplyGuardrail" in policy_actions(
        "${data.aws_iam_policy_document.shop_rag.json}"
    )


def test_module_defaults_are_the_declarations_defaults() -> None:
    """What an app that states no resources or replicas gets is the same in Python and Terraform."""
    k8s_app = variables(ROOT / "modules" / "k8s-app")
    terraform = dict(
        re.findall(r'(\w+)\s*=\s*optional\(string,\s*"([^"]+)"\)', k8s_app["resources"]["type"])
    )
    assert terraform == Resources().model_dump()
    assert k8s_app["exposure"]["default"] == Service.model_fields["exposure"].default
    (apps,) = [b for b in load(WORKLOADS / "apps.tf")["locals"] if "default_replicas" in b]
    assert apps["default_replicas"] == Service.model_fields["replicas"].default


class TerraformYaml(yaml.SafeLoader):
    """YAML as Terraform's yamldecode reads it: y, Y, n and N are booleans too (YAML 1.1)."""


TerraformYaml.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:y|Y|n|N)$"), list("yYnN")
)
TerraformYaml.add_constructor(
    "tag:yaml.org,2002:bool", lambda loader, node: node.value in ("y", "Y", "yes", "true", "on")
)


@pytest.mark.parametrize(
    "path", sorted((ROOT / "apps").glob(f"*/{DECLARATION}")), ids=lambda p: p.parent.name
)
def test_terraform_reads_each_declaration_as_python_does(path: Path) -> None:
    """An unquoted N (a DynamoDB key type) is a string to PyYAML and false to yamldecode."""
    text = path.read_text()
    assert yaml.load(text, TerraformYaml) == yaml.safe_load(text), (
        f'{path.parent.name}/{DECLARATION}: quote y, Y, n and N ("N")'
    )


def test_the_yaml_check_sees_an_unquoted_n() -> None:
    text = "range_key: {name: turn, type: N}"
    assert yaml.load(text, TerraformYaml) != yaml.safe_load(text)


def run_apps_script(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "apps"), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_the_images_matrix_is_the_apps_with_images() -> None:
    matrix = json.loads(run_apps_script("matrix"))["include"]
    images = [app for app in load_apps() if app.image]
    assert [entry["app"] for entry in matrix] == [app.name for app in images]
    for entry, app in zip(matrix, images, strict=True):
        assert app.image is not None
        assert entry["build_args"].startswith(f"-f {app.image.dockerfile}")
        assert f"apps/{app.package}" in entry["paths"].split()
        assert "apps/genai_common" in entry["paths"].split()
        if app.service:
            assert f"PORT={app.service.port}" in entry["build_args"]


def test_build_arguments_name_the_console_script_and_extras() -> None:
    (chat,) = [app for app in load_apps() if app.name == "claude-chat"]
    assert chat.image and chat.service
    args = run_apps_script("build-args", "claude-chat").split()
    assert args[:2] == ["-f", "apps/Dockerfile"]
    assert f"APP={chat.image.script}" in args and f"EXTRA={chat.image.extra}" in args
    assert f"HEALTH_PATH={chat.service.liveness}" in args


ROLES = set(yaml.safe_load((ROOT / "environments" / "models.yaml").read_text())["roles"])
METERED = [app for app in load_apps() if app.models]
BUDGET_SETTINGS = {"TOKEN_BUDGET_TABLE", "APP_DAILY_TOKEN_BUDGET", "USER_DAILY_TOKEN_BUDGET"}


@pytest.mark.parametrize("app", METERED, ids=lambda a: a.name)
def test_an_app_calls_models_by_the_catalogs_roles(app: App) -> None:
    """infra/bedrock makes a profile per model of each role: an unknown role fails its plan."""
    assert set(app.models) <= ROLES, f"{app.name}: unknown roles {sorted(set(app.models) - ROLES)}"


@pytest.mark.parametrize("app", METERED, ids=lambda a: a.name)
def test_a_metered_app_reads_its_budgets_and_may_charge_them(app: App) -> None:
    """Terraform sets the budget settings of every app that declares models, and its role may
    check and charge the budget table."""
    assert set(app.settings) >= BUDGET_SETTINGS
    assert {"dynamodb:GetItem", "dynamodb:UpdateItem", "kms:Decrypt"} <= set(app.permissions)


def test_the_metered_apps_are_those_that_call_models() -> None:
    assert {app.name for app in METERED} == {
        "claude-chat",
        "kb-assistant",
        "shop-rag",
        "myretail-chat",
        "code-generation",
    }


def declaration(**fields: Any) -> dict[str, Any]:
    return {"name": "probe", "summary": "a probe", "runs_on": "lambda", **fields}


BUDGETS = {
    "app_daily_tokens": {"development": 1000, "production": 5000},
    "user_daily_tokens": {"development": 100, "production": 500},
}


def test_budgets_are_declared_for_every_tier_with_models() -> None:
    app = App.model_validate(declaration(models=["chat"], budgets=BUDGETS))
    assert app.budgets is not None and app.budgets.user_daily_tokens["production"] == 500


@pytest.mark.parametrize(
    "fields",
    [
        {"models": ["chat"]},
        {"budgets": BUDGETS},
        {"models": ["chat"], "budgets": {**BUDGETS, "app_daily_tokens": {"development": 1000}}},
        {
            "models": ["chat"],
            "budgets": {**BUDGETS, "user_daily_tokens": {"development": 2000, "production": 1}},
        },
        {"models": ["Chat"], "budgets": BUDGETS},
    ],
    ids=[
        "models-without-budgets",
        "budgets-without-models",
        "a-tier-missing",
        "user-over-app",
        "bad-role",
    ],
)
def test_a_wrong_models_or_budgets_declaration_is_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        App.model_validate(declaration(**fields))
