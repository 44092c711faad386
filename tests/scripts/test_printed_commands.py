"""Every command the running system prints for a person to run works when pasted at the
repository root: the project's interpreter, not a bare ``python``, and a module that exists."""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
from pathlib import Path

import pytest
from genai_common.commands import PYTHON, module_command
from genai_common.declarations import load_apps
from localmode.plan import load_platform, plan

from tests.scripts.stand_ins import ROOT

BARE = re.compile(r"(?<![\w/.])python3? -m ")
COMMAND = re.compile(re.escape(PYTHON) + r" -m ([\w.]+)")


def _printed_strings(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module that are not docstrings, with their lines."""
    tree = ast.parse(path.read_text(), str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _sources() -> list[Path]:
    return sorted([*(ROOT / "apps").rglob("*.py"), *(ROOT / "scripts").rglob("*.py")])


def test_no_app_or_script_prints_a_bare_python_command() -> None:
    bare = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in _sources()
        for line, text in _printed_strings(path)
        if BARE.search(text)
    ]
    assert not bare, "printed with a bare python (use genai_common.commands):\n" + "\n".join(bare)


def test_the_scan_finds_a_bare_command_in_a_message_but_not_in_a_docstring(
    tmp_path: Path,
) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""Run python -m m."""\nprint("run python -m m publish")\n')
    assert [text for _, text in _printed_strings(module) if BARE.search(text)] == [
        "run python -m m publish"
    ]


def test_local_modes_notes_name_the_projects_interpreter_and_modules_that_exist() -> None:
    local = plan(load_apps(), load_platform(), {}, ROOT / ".local", ROOT)
    notes = " ".join(note for _, _, note in local.table())
    modules = COMMAND.findall(notes)
    assert modules, "the table prints no command (the review producer's, the client's)"
    assert not BARE.search(COMMAND.sub("", notes))
    for module in modules:
        assert importlib.util.find_spec(module) is not None, f"{module} is not importable"
    assert (ROOT / PYTHON).exists()


@pytest.mark.parametrize("module", ["code_generation.client", "review_stream"])
def test_a_command_line_tools_usage_line_is_runnable_as_printed(module: str) -> None:
    usage = subprocess.run(
        [str(ROOT / PYTHON), "-m", module, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert usage.startswith(f"usage: {module_command(module)} ")
