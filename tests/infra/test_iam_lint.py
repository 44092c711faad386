"""parliament (an offline AWS IAM policy linter) over every aws_iam_policy_document the stacks
and modules declare.

The statements are rendered statically from the HCL: literal actions as they are, an action
list given as a variable from the variable's default, string locals resolved, and every other
expression replaced by a value of the right shape (the test account and Region, a wildcard). A
resource that is an expression (a module's ARN, a computed list) cannot be checked statically:
for those statements the resource findings are left out, everything else is still checked
(action names, condition keys and types). Trust statements (a principal and no resource) are
not identity policies and have tests of their own (modules/github-oidc/tests, the evaluator).

parliament runs in .tools (scripts/setup-dev --checks): it imports pkg_resources, which the
setuptools of .venv no longer ships. Intended findings are listed with their reasons in
iam_lint_suppressions.yaml; any other finding fails.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.infra.hcl import ALL_DIRS, ROOT, blocks, relative, variables

SUPPRESSIONS = Path(__file__).with_name("iam_lint_suppressions.yaml")
TOOLS_PYTHON = ROOT / ".tools" / "bin" / "python"
INTERPOLATION = re.compile(r"\$\{[^{}]*\}")
LOCAL = re.compile(r"\$\{local\.(\w+)\}")
WHOLE_VARIABLE = re.compile(r"^\$\{var\.(\w+)\}$")
RESOURCE_FINDINGS = {"RESOURCE_MISMATCH", "RESOURCE_STAR", "INVALID_ARN"}
LINT = """
import json, sys
import parliament
statements = json.load(sys.stdin)
json.dump({
    key: [[f.issue, f.detail] for f in parliament.analyze_policy_string(policy).findings]
    for key, policy in statements.items()
}, sys.stdout, default=str)
"""


@dataclass(frozen=True)
class Statement:
    document: str
    policy: str
    resources_known: bool


class Renderer:
    """Renders one directory's policy document statements as IAM JSON."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.locals = {
            name: value
            for block in blocks(directory, "locals")
            for name, value in block.items()
            if isinstance(value, str)
        }

    def resolve(self, value: str) -> str:
        for _ in range(5):
            value = LOCAL.sub(lambda m: self.locals.get(m.group(1), m.group(0)), value)
        return value

    def strings(self, value: Any) -> list[str] | None:
        """A list of strings (or a variable's list default), locals resolved; None otherwise."""
        if isinstance(value, str) and (match := WHOLE_VARIABLE.match(value)):
            value = variables(self.directory).get(match.group(1), {}).get("default")
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [self.resolve(v) for v in value]
        return None

    @staticmethod
    def concrete(value: str) -> str:
        """The value with each expression replaced by the test account, Region or a wildcard."""

        def placeholder(match: re.Match[str]) -> str:
            for hint, stand_in in (
                ("account_id", "123456789012"),
                ("region", "us-east-1"),
                ("partition", "aws"),
            ):
                if hint in match.group(0):
                    return stand_in
            # An ARN attribute (a key's, a role's) in a condition keeps the ARN type.
            return "arn:aws:iam::123456789012:*" if "arn" in match.group(0).lower() else "*"

        while INTERPOLATION.search(value):  # innermost first: expressions nest
            value = INTERPOLATION.sub(placeholder, value)
        return value

    def statement(self, statement: dict[str, Any]) -> tuple[dict[str, Any], bool] | None:
        if "principals" in statement and not {"resources", "not_resources"} & statement.keys():
            return None
        rendered: dict[str, Any] = {"Effect": statement.get("effect", "Allow")}
        if isinstance(statement.get("sid"), str) and "${" not in statement["sid"]:
            rendered["Sid"] = statement["sid"]
        for hcl_key, json_key in (("actions", "Action"), ("not_actions", "NotAction")):
            if hcl_key in statement:
                actions = self.strings(statement[hcl_key])
                if actions is None:
                    return None
                rendered[json_key] = [a for a in actions if "${" not in a]
        if not (rendered.get("Action") or rendered.get("NotAction")):
            return None
        known = True
        for hcl_key, json_key in (("resources", "Resource"), ("not_resources", "NotResource")):
            if hcl_key in statement:
                resources = self.strings(statement[hcl_key])
                # A resource that starts with an expression has no ARN to check.
                if resources is None or any(r.startswith("${") for r in resources):
                    known = False
                rendered[json_key] = sorted({self.concrete(r) for r in resources or ["*"]})
        if principals := statement.get("principals"):
            rendered["Principal"] = {
                p["type"]: scalar(
                    [self.concrete(i) for i in self.strings(p["identifiers"]) or ["*"]]
                )
                for p in principals
            }
            if rendered["Principal"] == {"*": "*"}:
                rendered["Principal"] = "*"
        conditions: dict[str, dict[str, Any]] = {}
        for condition in statement.get("condition", []):
            key = self.concrete(self.resolve(condition["variable"]))
            unknown = "${arn}" if re.search("arn$", key, re.IGNORECASE) else "${value}"
            values = [self.concrete(v) for v in self.strings(condition["values"]) or [unknown]]
            conditions.setdefault(condition["test"], {})[key] = scalar(values)
        if conditions:
            rendered["Condition"] = conditions
        return rendered, known


def scalar(values: list[str]) -> str | list[str]:
    """As the provider renders a list of one."""
    return values[0] if len(values) == 1 else values


def statements() -> dict[str, Statement]:
    """'<dir>: <document>#<n>' => one statement as a policy, for every statement parliament can read."""
    found = {}
    for directory in ALL_DIRS:
        renderer = Renderer(directory)
        for block in blocks(directory, "data"):
            for name, doc in block.get("aws_iam_policy_document", {}).items():
                document = f"{relative(directory)}: {name}"
                for i, statement in enumerate(doc.get("statement", [])):
                    if (rendered := renderer.statement(statement)) is None:
                        continue
                    policy = json.dumps({"Version": "2012-10-17", "Statement": [rendered[0]]})
                    found[f"{document}#{i}"] = Statement(document, policy, rendered[1])
    return found


STATEMENTS = statements()
DOCUMENTS = sorted({s.document for s in STATEMENTS.values()})


def lint(policies: dict[str, str]) -> dict[str, list[tuple[str, Any]]]:
    """Each policy's findings, as (issue, detail)."""
    if not TOOLS_PYTHON.exists():
        pytest.skip("parliament lives in .tools: run scripts/setup-dev --checks")
    done = subprocess.run(
        [str(TOOLS_PYTHON), "-c", LINT],
        input=json.dumps(policies),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"parliament failed (scripts/setup-dev --checks):\n{done.stderr}"
    return {
        key: [(issue, detail) for issue, detail in found]
        for key, found in json.loads(done.stdout).items()
    }


@dataclass(frozen=True)
class Suppression:
    document: str
    issue: str
    reason: str
    actions: frozenset[str] = frozenset()

    def applies_to(self, document: str, issue: str) -> bool:
        return self.document in (document, "*") and self.issue == issue


SUPPRESSED = [
    Suppression(e["document"], e["issue"], e["reason"], frozenset(e.get("actions", [])))
    for e in yaml.safe_load(SUPPRESSIONS.read_text())
]


def detail_action(entry: Any) -> str | None:
    """The action a RESOURCE_STAR or RESOURCE_MISMATCH detail entry is about."""
    if isinstance(entry, dict):
        return entry.get("action")
    return entry if isinstance(entry, str) else None


def remaining(
    document: str, issue: str, detail: Any, resources_known: bool
) -> tuple[Any, set[Suppression]]:
    """What is left of a finding once the suppressions that apply are taken out (None: nothing)."""
    if not resources_known and issue in RESOURCE_FINDINGS:
        return None, set()
    used = set()
    for suppression in SUPPRESSED:
        if not suppression.applies_to(document, issue):
            continue
        if not suppression.actions:
            return None, {suppression}
        if isinstance(detail, list):
            kept = [e for e in detail if detail_action(e) not in suppression.actions]
            if len(kept) < len(detail):
                used.add(suppression)
                detail = kept
    return (detail or None), used


@cache
def findings() -> tuple[dict[str, list[str]], frozenset[Suppression]]:
    """The findings left by document, and the suppressions that were needed."""
    found: dict[str, list[str]] = {document: [] for document in DOCUMENTS}
    used: set[Suppression] = set()
    for key, issues in lint({k: s.policy for k, s in STATEMENTS.items()}).items():
        statement = STATEMENTS[key]
        for issue, detail in issues:
            left, applied = remaining(statement.document, issue, detail, statement.resources_known)
            used |= applied
            if left is not None:
                where = key.rsplit(": ", 1)[-1]
                found[statement.document].append(f"{where} {issue} {json.dumps(left)}")
    return found, frozenset(used)


def test_every_stack_and_module_document_is_rendered() -> None:
    assert len(DOCUMENTS) > 30
    assert {"modules/github-oidc: apply_iam", "modules/github-oidc: boundary"} <= set(DOCUMENTS)
    # The apply role's action lists come from the variables' defaults.
    assert any(
        "kms:CreateKey" in s.policy for s in STATEMENTS.values() if s.document.endswith(": apply")
    )


@pytest.mark.parametrize("document", DOCUMENTS)
def test_policy_document_has_no_findings(document: str) -> None:
    unexpected = findings()[0][document]
    assert unexpected == [], f"{document}:\n" + "\n".join(unexpected)


def test_every_suppression_is_reasoned_and_still_needed() -> None:
    assert all(len(s.reason) > 40 for s in SUPPRESSED)
    stale = [f"{s.document}: {s.issue}" for s in SUPPRESSED if s not in findings()[1]]
    assert stale == []


def test_the_lint_reports_an_unknown_action_and_a_misplaced_resource() -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::b/*"},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b"},
        ],
    }
    issues = {issue for issue, _ in lint({"probe": json.dumps(policy)})["probe"]}
    assert {"UNKNOWN_ACTION", "RESOURCE_MISMATCH"} <= issues
