"""Field rules: amounts read one way only, text a workbook can hold, every problem at once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from case_sheets_domain.fields import LABELS, MAX_BUDGET, InputError, parse_case
from hypothesis import given
from hypothesis import strategies as st

from tests.apps.case_sheets.events import CASE

cents = st.integers(min_value=0, max_value=int(MAX_BUDGET) * 100)


def budget_of(raw: object) -> Decimal:
    return parse_case({**CASE, "budget": raw}).budget


def refusal(raw: object) -> str:
    with pytest.raises(InputError) as error:
        budget_of(raw)
    [problem] = error.value.problems
    assert problem.field == "budget"
    return str(error.value)


@given(cents, st.sampled_from(["{:.2f}", "{:,.2f}", "${:,.2f}", "  {:.2f} ", "{:,.2f} USD"]))
def test_formatted_amounts_round_trip(amount: int, style: str) -> None:
    value = Decimal(amount) / 100
    assert budget_of(style.format(value)) == value
    if amount % 100 == 0:
        whole = amount // 100
        assert budget_of(f"{whole}") == budget_of(f"{whole:,}") == value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("250000", "250000"),
        ("250,000", "250000"),
        ("$1,250.50", "1250.5"),
        ("1250.5", "1250.5"),
        ("  12 ", "12"),
        ("-0", "0"),
        ("-0.00", "0"),
        (-0.0, "0"),
        (250000.0, "250000"),
    ],
)
def test_unambiguous_amounts_are_accepted_in_one_spelling(raw: object, expected: str) -> None:
    assert str(budget_of(raw)) == expected


@given(st.integers(1, 999), st.integers(0, 999))
def test_a_dot_before_three_digits_is_ambiguous(whole: int, part: int) -> None:
    raw = f"{whole}.{part:03d}"
    message = refusal(raw)
    assert f'"{raw}" is ambiguous: write {whole}{part:03d} or {whole}.{part:03d}'[:-1] in message


@given(
    st.integers(1, 999),
    st.lists(st.integers(0, 999), min_size=1, max_size=3),
    st.one_of(st.none(), st.integers(0, 99)),
)
def test_continental_separators_are_refused_with_the_amount_to_write(
    lead: int, groups: list[int], decimals: int | None
) -> None:
    raw = f"{lead}" + "".join(f".{g:03d}" for g in groups)
    raw += "" if decimals is None else f",{decimals:02d}"
    if decimals is None and len(groups) == 1:
        assert "is ambiguous" in refusal(raw)
        return
    usual = raw.replace(".", "").replace(",", ".")
    assert f'"{raw}" uses "." between thousands or "," before cents: write {usual}' in refusal(raw)


@pytest.mark.parametrize("raw", ["1,00", "12,5", "250,00"])
def test_a_decimal_comma_is_refused(raw: str) -> None:
    assert f"write {raw.replace(',', '.')}" in refusal(raw)


@pytest.mark.parametrize(
    "raw", ["nan", "NaN", "Infinity", "-inf", float("nan"), float("inf"), float("-inf")]
)
def test_nan_and_infinity_are_not_amounts(raw: object) -> None:
    message = refusal(raw)
    assert "must be an amount of US dollars" in message and "zero or more" not in message


@pytest.mark.parametrize("raw", ["1250.505", "0.125", 1e-300, 0.1 + 0.2, "1,000.000"])
def test_more_than_cents_is_refused(raw: object) -> None:
    assert "has more than two decimals" in refusal(raw)


@pytest.mark.parametrize("raw", ["1" * 39, 1e300, 10**40, "1000000000000.01"])
def test_amounts_over_the_maximum_are_refused(raw: object) -> None:
    assert "must be at most 1,000,000,000,000" in refusal(raw)


def test_every_problem_is_reported_at_once_by_label_and_parameter() -> None:
    with pytest.raises(InputError) as error:
        parse_case({"budget": "250.000", "kpi": "ok\x00"})
    problems = error.value.problems
    assert [p.field for p in problems] == list(LABELS)
    assert problems[1].for_agent() == "Case name (casename) is required"
    assert problems[1].for_user() == "Case name is required"
    assert problems[5].for_user().startswith("KPI contains a character a spreadsheet cannot hold")
    assert str(error.value) == "; ".join(p.for_agent() for p in problems)


unholdable = st.one_of(
    st.sampled_from(["\x00", "\x01", "\x08", "\x0e", "\x1b", "\x7f", "\x9b", "\ufffe", "\uffff"]),
    st.characters(categories=["Cs"]),
)


@given(
    st.sampled_from([name for name in LABELS if name != "budget"]),
    st.text(st.characters(exclude_categories=["Cc", "Cs", "Cn"]), max_size=20),
    unholdable,
    st.text(max_size=20),
)
def test_text_a_workbook_cannot_hold_is_refused_naming_the_field(
    name: str, before: str, bad: str, after: str
) -> None:
    with pytest.raises(InputError) as error:
        parse_case({**CASE, name: f"x{before}{bad}{after}"})
    assert any(
        p.field == name and f"U+{ord(bad):04X}" in p.text and "cannot hold" in p.text
        for p in error.value.problems
    )
