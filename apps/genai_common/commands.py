"""The commands that apps and tools print for a person to run, spelled as they run from the
repository root: with the project's interpreter (``make local`` and ``make test`` create
.venv), since a bare ``python`` there is not the one with the apps installed."""

from __future__ import annotations

PYTHON = ".venv/bin/python"


def module_command(module: str) -> str:
    """``module`` run as a program, e.g. ``.venv/bin/python -m review_stream``."""
    return f"{PYTHON} -m {module}"
