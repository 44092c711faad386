"""The case fields the agent sends, checked before anything is written.

Everything here is refused as the caller's mistake (a 400), because retrying the same input can
never succeed: text a workbook cannot hold, amounts DynamoDB cannot store or that could be read
two ways. Every problem is reported at once, named by the form's label and the API parameter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Limits keep a sheet readable and an item far below DynamoDB's 400 KB.
MAX_LENGTHS = {"client": 200, "casename": 200, "challenge": 4000, "solution": 4000, "kpi": 1000}
MAX_BUDGET = Decimal(10) ** 12
LABELS = {
    "client": "Client",
    "casename": "Case name",
    "challenge": "Challenge",
    "solution": "Solution",
    "budget": "Budget (USD)",
    "kpi": "KPI",
}
ID_LABEL = "Case sheet id"
MAX_ID_LENGTH = 64

# An .xlsx is XML 1.0, which cannot carry C0 controls or U+FFFE/U+FFFF; lone surrogates are not
# valid UTF-8, so neither DynamoDB nor the JSON response can carry them. C1 controls are legal
# XML but invisible, and a spreadsheet shows them as boxes.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_ID = re.compile(r"[a-z0-9-]+")

# Amounts as people write them in US dollars: "," only between groups of three digits, "." only
# before cents. re.ASCII: \d would also take other scripts' digits.
_AMOUNT = re.compile(r"(?P<sign>[+-]?)\s*\$?\s*(?P<number>[\d.,]+)\s*(?:USD)?", re.ASCII | re.I)
_PLAIN = re.compile(r"\d+(?:\.(?P<cents>\d+))?", re.ASCII)
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.(?P<cents>\d+))?", re.ASCII)
# "250.000" is 250 thousand in much of Europe and 250 with three decimals in the US.
_THOUSANDS_OR_DECIMALS = re.compile(r"[1-9]\d{0,2}\.\d{3}", re.ASCII)
# "1.000,50", "1.000.000", "12,50": dots between thousands or a comma before cents.
_CONTINENTAL = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d{1,2})?|\d+,\d{1,2}", re.ASCII)


@dataclass(frozen=True)
class Problem:
    """One thing the caller must change: the field, and what is wrong with it."""

    field: str
    text: str  # reads after the field's name: "is required"

    @property
    def label(self) -> str:
        return LABELS.get(self.field) or (ID_LABEL if self.field == "caseSheetId" else self.field)

    def for_agent(self) -> str:
        # The agent knows the parameter, the user the form's label: the agent relays both.
        if self.label == self.field:
            return f"{self.field} {self.text}"
        return f"{self.label} ({self.field}) {self.text}"

    def for_user(self) -> str:
        return f"{self.label} {self.text}"


class InputError(ValueError):
    """A request the caller must correct; the same request can never succeed."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__("; ".join(problem.for_agent() for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Case:
    client: str
    casename: str
    challenge: str
    solution: str
    budget: Decimal  # US dollars, at most two decimals, never negative zero
    kpi: str

    def texts(self) -> dict[str, str]:
        return {
            "client": self.client,
            "casename": self.casename,
            "challenge": self.challenge,
            "solution": self.solution,
            "kpi": self.kpi,
        }


def shown(raw: object, limit: int = 40) -> str:
    """Input quoted back in a message: short, and only characters every encoder can carry."""
    text = "".join(c if c.isprintable() else "?" for c in str(raw)[:limit])
    return f'"{text}…"' if len(str(raw)) > limit else f'"{text}"'


def _text(name: str, value: object) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError(Problem(name, "is required"))
    if not isinstance(value, str):
        raise InputError(Problem(name, "must be text"))
    text = " ".join(value.split())
    bad = _UNSTORABLE.search(text)
    if bad:
        raise InputError(
            Problem(
                name,
                f"contains a character a spreadsheet cannot hold (U+{ord(bad.group()):04X} "
                f"at character {bad.start() + 1}): remove it",
            )
        )
    if len(text) > MAX_LENGTHS[name]:
        raise InputError(
            Problem(name, f"is too long: {len(text)} characters, at most {MAX_LENGTHS[name]}")
        )
    return text


def _amount(raw: str) -> Decimal:
    """The dollars in one written amount, or InputError saying how to write it unambiguously."""
    text = raw.strip()
    match = _AMOUNT.fullmatch(text)
    number = match.group("number") if match else ""
    if _THOUSANDS_OR_DECIMALS.fullmatch(number):
        raise InputError(
            Problem(
                "budget",
                f"{shown(raw)} is ambiguous: write {number.replace('.', '')} "
                f"or {number[:-1]} (dollars and cents)",
            )
        )
    if _CONTINENTAL.fullmatch(number):
        usual = number.replace(".", "").replace(",", ".")
        raise InputError(
            Problem(
                "budget",
                f'{shown(raw)} uses "." between thousands or "," before cents: write {usual}',
            )
        )
    written = _PLAIN.fullmatch(number) or _GROUPED.fullmatch(number)
    if not match or not written:
        raise InputError(
            Problem(
                "budget",
                f"must be an amount of US dollars such as 250000 or 1,250.50, not {shown(raw)}",
            )
        )
    value = Decimal(number.replace(",", ""))
    return -value if match.group("sign") == "-" else value


def _budget(raw: object) -> Decimal:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise InputError(Problem("budget", "is required"))
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float, Decimal)):
        raise InputError(Problem("budget", "must be a number of US dollars"))
    if isinstance(raw, str):
        value = _amount(raw)
    else:
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            raise InputError(
                Problem("budget", f"must be an amount of US dollars, not {shown(raw)}")
            )
    if value < 0:
        raise InputError(Problem("budget", f"must be zero or more, not {shown(raw)}"))
    if value > MAX_BUDGET:
        raise InputError(Problem("budget", f"must be at most {MAX_BUDGET:,.0f}"))
    # Whole cents, as written: "1250.500" is a typo or a thousands separator, not an amount.
    if int(value.as_tuple().exponent) < -2:
        raise InputError(
            Problem("budget", f"has more than two decimals ({shown(raw)}): round it to cents")
        )
    # One spelling per amount ("250,000.00" is 250000), and -0 is 0.
    return Decimal(f"{value.copy_abs().normalize():f}")


def parse_case(values: Mapping[str, object]) -> Case:
    """A valid :class:`Case`, or one :class:`InputError` naming every problem in form order."""
    texts: dict[str, str] = {}
    budget = Decimal(0)
    problems: list[Problem] = []
    for name in LABELS:
        try:
            if name == "budget":
                budget = _budget(values.get(name))
            else:
                texts[name] = _text(name, values.get(name))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(*problems)
    return Case(
        client=texts["client"],
        casename=texts["casename"],
        challenge=texts["challenge"],
        solution=texts["solution"],
        budget=budget,
        kpi=texts["kpi"],
    )


def parse_case_id(values: Mapping[str, object]) -> str:
    """The case id to look up, lower-cased, or InputError."""
    raw = values.get("caseSheetId")
    if not isinstance(raw, str) or not raw.strip():
        raise InputError(Problem("caseSheetId", "is required"))
    case_id = raw.strip().lower()
    if len(case_id) > MAX_ID_LENGTH or not _ID.fullmatch(case_id):
        raise InputError(
            Problem("caseSheetId", f"{shown(raw)} is not a case sheet id (like cs-7k2m9q4x1d3v)")
        )
    return case_id
