"""The metric names the apps emit come from metering.json alone (the dashboards read the same)."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from genai_common.metering.spec import SPEC_FILE, MetricKey, metering_spec

APPS = Path(__file__).resolve().parents[3] / "apps"


def test_the_code_names_every_metric_of_the_spec_and_no_other() -> None:
    assert set(get_args(MetricKey)) == set(metering_spec().metrics)


def test_no_app_spells_a_metric_name_or_the_namespace_itself() -> None:
    spec = metering_spec()
    names = {metric.name for metric in spec.metrics.values()} | {spec.namespace}
    spelled = {
        f"{path.relative_to(APPS)}: {name}"
        for path in APPS.rglob("*.py")
        for name in names
        if f'"{name}"' in path.read_text() or f"'{name}'" in path.read_text()
    }
    assert not spelled, f"read these from {SPEC_FILE} instead: {sorted(spelled)}"


def test_the_spec_ships_inside_the_package() -> None:
    assert (APPS / "genai_common" / "metering" / SPEC_FILE).is_file()
    pyproject = (APPS.parent / "pyproject.toml").read_text()
    assert f'"genai_common.metering" = ["{SPEC_FILE}"]' in pyproject
