"""apps/bedrock_ops/mwaa-requirements.txt, what MWAA installs at each worker start: every line
pinned with ==, to the version these tests run (requirements/airflow.txt), under the constraints
of the Airflow version they run."""

from __future__ import annotations

from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.airflow.conftest import ROOT

MWAA = ROOT / "apps" / "bedrock_ops" / "mwaa-requirements.txt"
TESTED = ROOT / "requirements" / "airflow.txt"


def lines(path: Path) -> list[str]:
    """The requirement lines of ``path``: no comments, blank lines or pip options."""
    stripped = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in stripped if line and not line.startswith("-")]


def pins(path: Path) -> dict[str, str]:
    """Package (canonical name) -> the version its ``==`` pins; fails on any other specifier."""
    found = {}
    for line in lines(path):
        requirement = Requirement(line)
        specifiers = list(requirement.specifier)
        assert [s.operator for s in specifiers] == ["=="], f"{path.name}: {line} is not pinned"
        found[canonicalize_name(requirement.name)] = specifiers[0].version
    return found


def test_every_mwaa_requirement_is_pinned_to_the_version_the_tests_run() -> None:
    deployed, tested = pins(MWAA), pins(TESTED)
    assert "langchain-core" in deployed
    assert {name: tested.get(name) for name in deployed} == deployed


def test_the_constraints_are_those_of_the_airflow_the_tests_run() -> None:
    airflow = pins(TESTED)["apache-airflow"]
    assert (
        f'--constraint "https://raw.githubusercontent.com/apache/airflow/constraints-{airflow}/'
        'constraints-3.12.txt"'
    ) in MWAA.read_text().splitlines()
