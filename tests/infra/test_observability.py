"""The dashboards and alarms read the metrics the apps emit: both take the names from
apps/genai_common/metering/metering.json, the module by key (modules/observability), never by a
name of its own."""

from __future__ import annotations

import json
import re

from tests.infra.hcl import ROOT

MODULE = ROOT / "modules" / "observability"
SPEC = json.loads((ROOT / "apps" / "genai_common" / "metering" / "metering.json").read_text())
# local.metrics.<key> and the widgets' { ..., key = "<key>", ... }.
KEY_REFERENCE = re.compile(r"\blocal\.metrics\.([a-z_]+)\b|\bkey\s*=\s*\"([a-z_]+)\"")


def module_text() -> str:
    return "\n".join(path.read_text() for path in sorted(MODULE.glob("*.tf")))


def referenced_keys(text: str) -> set[str]:
    return {a or b for a, b in KEY_REFERENCE.findall(text)}


def test_every_metric_the_dashboard_and_alarms_read_is_declared() -> None:
    keys = referenced_keys(module_text())
    assert {"calls", "errors", "throttles", "budget_used_percent"} <= keys
    assert keys <= set(SPEC["metrics"]), f"undeclared metrics {sorted(keys - set(SPEC['metrics']))}"


def test_the_module_names_no_metric_of_its_own() -> None:
    """A name written in the module would drift from what the apps emit."""
    text = module_text()
    written = [m["name"] for m in SPEC["metrics"].values() if re.search(rf"\b{m['name']}\b", text)]
    assert written == [], f"modules/observability spells out {written}: read them from var.metering"
    assert SPEC["namespace"] not in text


def test_the_reader_sees_a_reference_and_a_name() -> None:
    assert referenced_keys('x = local.metrics.errors.name\n{ key = "calls" }') == {
        "errors",
        "calls",
    }
