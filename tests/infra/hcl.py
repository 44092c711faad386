"""Reading the repository's Terraform with python-hcl2 for the contract tests."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import hcl2

ROOT = Path(__file__).resolve().parents[2]
STACKS = sorted(p for p in (ROOT / "infra").iterdir() if p.is_dir())
MODULES = sorted(p for p in (ROOT / "modules").iterdir() if p.is_dir())
ENVIRONMENTS = sorted(p.parent for p in (ROOT / "environments").glob("*/environment.yaml"))
ALL_DIRS = STACKS + MODULES


@cache
def load(path: Path) -> dict[str, Any]:
    with path.open() as handle:
        return _normalise(hcl2.load(handle))


def _normalise(value: Any) -> Any:
    """Drop python-hcl2 8's bookkeeping keys and the quotes it keeps around labels and literals."""
    if isinstance(value, dict):
        return {
            unquote(k): _normalise(v)
            for k, v in value.items()
            if k not in ("__is_block__", "__comments__")
        }
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return unquote(value)


def blocks(directory: Path, kind: str) -> list[Any]:
    """Every top-level ``kind`` block (variable, output, resource, ...) of the directory."""
    found: list[Any] = []
    for tf in sorted(directory.glob("*.tf")):
        found.extend(load(tf).get(kind, []))
    return found


def variables(directory: Path) -> dict[str, dict[str, Any]]:
    return {name: body for block in blocks(directory, "variable") for name, body in block.items()}


def unquote(value: Any) -> Any:
    """python-hcl2 8 keeps string literals quoted; strip the quotes for comparisons."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))
