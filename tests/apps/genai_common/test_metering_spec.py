"""metering.json is read whole with the standard library, and a spec the dashboards could not use is refused."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from genai_common.metering.spec import MeteringSpec, SpecError, metering_spec, spec_text


def _spec() -> dict[str, Any]:
    return json.loads(spec_text())


def test_the_parsed_spec_holds_every_metric_of_the_file() -> None:
    document = _spec()
    spec = metering_spec()
    assert {key: (m.name, m.unit) for key, m in spec.metrics.items()} == {
        key: (m["name"], m["unit"]) for key, m in document["metrics"].items()
    }
    assert spec.budget_table.hash_key.name == document["budget_table"]["hash_key"]["name"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["metrics"].pop("calls"), "metrics must have exactly"),
        (lambda d: d["metrics"]["calls"].update(unit="Bytes"), "metrics.calls.unit"),
        (lambda d: d.update(extra=1), "the spec must have exactly"),
        (lambda d: d["dimensions"].append("User"), "a dimension"),
        (lambda d: d["budget_table"]["hash_key"].update(type="N"), "hash_key.type"),
    ],
)
def test_a_spec_the_dashboards_could_not_use_is_refused(change: Any, problem: str) -> None:
    document = _spec()
    change(document)
    with pytest.raises(SpecError, match=problem):
        MeteringSpec.parse(document)


@pytest.mark.parametrize("first", ["genai_common.errors", "genai_common.metering"])
def test_the_meter_imports_in_any_order_without_pydantic_or_pyyaml(first: str) -> None:
    probe = (
        f"import sys, {first}, genai_common.metering as m; m.metering_spec();"
        "print(sorted({'yaml', 'pydantic', 'langchain_core'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
