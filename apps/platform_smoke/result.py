"""A check's outcome, and running checks so that one failing never hides the others."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


class CheckFailed(Exception):
    """A check ran and found the platform not as it should be."""


class CheckSkipped(Exception):
    """What the check looks at is off in this environment by design: nothing to check."""


@dataclass(frozen=True)
class Outcome:
    name: str
    passed: bool
    detail: str
    # Not checked because what it looks at is off (never because something else failed: that is
    # a failure). A skipped outcome does not fail the run.
    skipped: bool = False

    def line(self) -> str:
        label = "SKIP" if self.skipped else "PASS" if self.passed else "FAIL"
        return f"{label}  {self.name}: {self.detail}"


Check = tuple[str, Callable[[], str]]


def run_check(name: str, check: Callable[[], str]) -> Outcome:
    """A check returns what it saw, or raises CheckFailed, or CheckSkipped when what it looks at
    is off; an API error is a failure too."""
    try:
        return Outcome(name, True, check())
    except CheckFailed as failure:
        return Outcome(name, False, str(failure))
    except CheckSkipped as off:
        return Outcome(name, True, str(off), skipped=True)
    # An API, network or authorisation error is a failed check, never a crash of the run.
    except Exception as error:
        return Outcome(name, False, f"{type(error).__name__}: {error}")


def run_checks(checks: Iterable[Check], *, gate: str | None = None) -> list[Outcome]:
    """Runs every check; once the check named `gate` fails, the rest are reported unchecked."""
    outcomes: list[Outcome] = []
    blocked = None
    for name, check in checks:
        if blocked:
            outcomes.append(Outcome(name, False, f"not checked: {blocked} failed"))
            continue
        outcomes.append(run_check(name, check))
        if name == gate and not outcomes[-1].passed:
            blocked = name
    return outcomes
