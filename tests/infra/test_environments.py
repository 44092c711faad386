"""Environments are folders of environments/ and rules follow their tier: no file of infra/,
modules/, scripts/ or .github/ compares an environment's name with a literal or spells the
environments out as a list; the model catalog is declared once and the apps' defaults match it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.environments import ROOT, declared

ENVIRONMENTS = declared()
SCANNED = ("infra", "modules", "scripts", ".github")
# Files no rule applies to: lock files and the packages tests build from.
UNSCANNED = (".terraform.lock.hcl",)
CATALOG = yaml.safe_load((ROOT / "environments" / "models.yaml").read_text())


def name_rules(names: list[str]) -> dict[str, re.Pattern[str]]:
    """What ties a rule or a list to environment names, for the given names."""
    name = "(?:" + "|".join(re.escape(n) for n in sorted(names)) + ")"
    word = rf"(?<![\w.-]){name}(?![\w.-])"
    quoted = rf"[\"']?{word}[\"']?"
    return {
        # var.environment == "prod", "dev" != x, [[ $env == prod ]], env == 'staging'
        "compares a name with a literal": re.compile(rf"(?:==|!=)\s*{quoted}|{quoted}\s*(?:==|!=)"),
        # contains(["dev"], var.environment): a one-name list is a comparison too
        "tests membership of a literal": re.compile(rf"contains\(\s*\[\s*{quoted}"),
        # [dev, staging, prod], dev|staging|prod, ("dev", "staging"), dev, staging or prod
        "lists names": re.compile(rf"{quoted}\s*(?:,|\||/|\bor\b|\band\b)\s*{quoted}"),
        # a YAML list, one name a line
        "lists names one a line": re.compile(rf"^\s*-\s*{quoted}\s*\n\s*-\s*{quoted}", re.M),
        # { dev = 1, prod = 3 }: a value looked up by the environment's name
        "keys a value by a name": re.compile(rf"(?:^|[{{,])\s*{quoted}\s*[=:]\s*[^\s=]", re.M),
    }


RULES = name_rules(list(ENVIRONMENTS))


def scanned_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *SCANNED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    files = [ROOT / name for name in listed if name]
    return [f for f in files if f.is_file() and f.name not in UNSCANNED]


def violations(text: str, rules: dict[str, re.Pattern[str]]) -> list[str]:
    found = []
    for what, rule in rules.items():
        for match in rule.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"line {line}: {what}: {match.group(0).strip()!r}")
    return found


def test_no_rule_or_list_names_an_environment() -> None:
    offences = []
    for path in scanned_files():
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        offences += [f"{path.relative_to(ROOT)} {v}" for v in violations(text, RULES)]
    assert not offences, (
        "Rules follow the tier (modules/environment, environments/<env>/environment.yaml) and "
        "lists of environments come from environments/ (scripts/environments):\n"
        + "\n".join(offences)
    )


@pytest.mark.parametrize(
    "text",
    [
        'recovery_window_in_days = var.environment == "prod" ? 30 : 7',
        'condition = "dev" != var.environment',
        "if [[ $env == prod && $action == apply ]]; then",
        'condition = contains(["dev"], var.environment)',
        "        environment: [dev, staging, prod]",
        "[[ $1 =~ ^(dev|staging|prod)$ ]]",
        'command.add_argument("env", choices=("dev", "staging", "prod"))',
        'description = "Environment name: dev, staging or prod."',
        "matrix:\n  environment:\n    - dev\n    - prod\n",
        "replicas = { dev = 1, prod = 3 }",
    ],
)
def test_the_rules_catch_a_name_in_a_rule_or_a_list(text: str) -> None:
    assert violations(text, name_rules(["dev", "staging", "prod"]))


@pytest.mark.parametrize(
    "text",
    [
        'environment = "dev"',
        '  environment              = "prod"\n  jupyterhub_authenticator = "shared-password"',
        "condition = !local.production || var.mwaa_enabled",
        "tier: development\nregion: us-east-1",
        "scripts/setup-dev --checks",
        "Every commit goes to the environments in promotion order.",
        "production-tier environments keep the API private",
    ],
)
def test_the_rules_let_a_name_be_set_or_a_tier_be_compared(text: str) -> None:
    assert violations(text, name_rules(["dev", "staging", "prod"])) == []


# --- The environment files ------------------------------------------------------------------


@pytest.mark.parametrize("name", list(ENVIRONMENTS))
def test_an_environment_states_its_tier_region_and_promotion_order(name: str) -> None:
    environment = ENVIRONMENTS[name]
    assert re.fullmatch(r"[a-z][a-z0-9]{1,6}", name), f"environments/{name}: 2-7 letters, digits"
    assert environment["tier"] in ("development", "production")
    assert re.fullmatch(r"[a-z]{2}(-[a-z]+)+-[0-9]", environment["region"])
    assert isinstance(environment["promotion_order"], int) and environment["promotion_order"] >= 1
    assert set(environment) <= {"tier", "region", "promotion_order", "models", "log_model_text"}
    for role, pick in (environment.get("models") or {}).items():
        assert role in CATALOG["roles"], f"environments/{name}: no model role {role}"
        assert set(pick if isinstance(pick, list) else [pick]) <= set(CATALOG["models"])


def test_promotion_orders_are_distinct() -> None:
    orders = [e["promotion_order"] for e in ENVIRONMENTS.values()]
    assert len(set(orders)) == len(orders), "two environments share a promotion_order"


def test_the_workflows_promote_and_plan_in_the_scripts_order() -> None:
    listed = subprocess.run(
        [str(ROOT / "scripts" / "environments"), "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    by_order = sorted(ENVIRONMENTS, key=lambda name: ENVIRONMENTS[name]["promotion_order"])
    assert yaml.safe_load(listed) == by_order


# --- The model catalog ----------------------------------------------------------------------


def role(name: str) -> list[dict[str, object]]:
    pick = CATALOG["roles"][name]
    return [CATALOG["models"][key] for key in (pick if isinstance(pick, list) else [pick])]


def test_the_apps_default_catalog_is_the_chat_role() -> None:
    """Apps run without CHAT_MODELS (on a laptop, against Bedrock) offer the chat role's models."""
    from genai_common.settings import BEDROCK_CATALOG

    assert [(m.label, m.model_id) for m in BEDROCK_CATALOG] == [
        (m["label"], m["model_id"]) for m in role("chat")
    ]


def test_the_apps_default_embedding_model_is_the_embedding_role() -> None:
    """The vectors the apps compute by default match those of the knowledge base and shop_rag."""
    from genai_common.settings import PlatformSettings

    fields = PlatformSettings.model_fields
    [embedding] = role("embedding")
    assert fields["embeddings_model_id"].default == embedding["model_id"]
    assert fields["embeddings_dimensions"].default == embedding["dimensions"]
