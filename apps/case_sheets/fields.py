"""The case fields the agent sends, checked before anything is written."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Limits keep a sheet readable and an item far below DynamoDB's 400 KB.
MAX_LENGTHS = {"client": 200, "casename": 200, "challenge": 4000, "solution": 4000, "kpi": 1000}
MAX_BUDGET = 1e12
LABELS = {
    "client": "Client",
    "casename": "Case name",
    "challenge": "Challenge",
    "solution": "Solution",
    "budget": "Budget (USD)",
    "kpi": "KPI",
}


class InputError(ValueError):
    """A request the agent must correct: the message names the field and the rule."""


@dataclass(frozen=True)
class Case:
    client: str
    casename: str
    challenge: str
    solution: str
    budget: float
    kpi: str

    def as_dict(self) -> dict[str, str | float]:
        return {
            "client": self.client,
            "casename": self.casename,
            "challenge": self.challenge,
            "solution": self.solution,
            "budget": self.budget,
            "kpi": self.kpi,
        }


def _text(values: dict[str, object], name: str) -> str:
    value = values.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError(f"{name} is required")
    if not isinstance(value, str):
        raise InputError(f"{name} must be text")
    text = " ".join(value.split())
    if len(text) > MAX_LENGTHS[name]:
        raise InputError(
            f"{name} is too long ({len(text)} characters; at most {MAX_LENGTHS[name]})"
        )
    return text


def _budget(values: dict[str, object]) -> float:
    raw = values.get("budget")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise InputError("budget is required")
    if isinstance(raw, bool):
        raise InputError("budget must be a number")
    try:
        budget = float(str(raw).replace(",", "").replace("$", "").strip())
    except ValueError:
        raise InputError(f"budget must be a number of US dollars, not {str(raw)[:40]!r}") from None
    if not math.isfinite(budget) or budget < 0:
        raise InputError("budget must be zero or more")
    if budget > MAX_BUDGET:
        raise InputError(f"budget must be at most {MAX_BUDGET:,.0f}")
    return budget


def parse_case(values: dict[str, object]) -> Case:
    """A valid :class:`Case`, or :class:`InputError` naming the first problem."""
    return Case(
        client=_text(values, "client"),
        casename=_text(values, "casename"),
        challenge=_text(values, "challenge"),
        solution=_text(values, "solution"),
        budget=_budget(values),
        kpi=_text(values, "kpi"),
    )
