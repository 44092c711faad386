"""The environments as the tests read them: the folders of environments/ with an environment.yaml."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


@cache
def declared(root: Path = ROOT) -> dict[str, dict[str, Any]]:
    """Each environment's name (its folder) and its environment.yaml."""
    return {
        path.parent.name: yaml.safe_load(path.read_text())
        for path in sorted((root / "environments").glob("*/environment.yaml"))
    }


def of_tier(tier: str) -> list[str]:
    """The environments of a tier, in promotion order."""
    ordered = sorted(declared().items(), key=lambda item: item[1]["promotion_order"])
    return [name for name, environment in ordered if environment["tier"] == tier]
