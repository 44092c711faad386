"""Formula injection: whatever a field starts with, the saved workbook holds it as text."""

from __future__ import annotations

from typing import Any

from case_sheets.handler import lambda_handler
from case_sheets_domain.fields import LABELS, parse_case
from case_sheets_domain.workbook import build_workbook
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.apps.case_sheets.conftest import BUCKET
from tests.apps.case_sheets.events import CASE, event
from tests.apps.case_sheets.sheets import has_formula, table, value_cells
from tests.apps.case_sheets.test_handler import body

TEXT_FIELDS = [name for name in LABELS if name != "budget"]
# What Excel, LibreOffice and openpyxl take as the start of a formula, also after whitespace
# (which the fields drop) and after tab or CR (CSV-injection variants).
TRIGGERS = ["=", "+", "-", "@", " =", "\t=", "\r+", "  @", "\t-", "=cmd|' /C calc'!A0"]
printable = st.characters(exclude_categories=["Cc", "Cs", "Cn"])
texts = st.builds(
    lambda trigger, rest: trigger + rest,
    st.sampled_from(TRIGGERS),
    st.text(printable, min_size=1, max_size=40),
)


def assert_text_cells(sheet: bytes, expected: dict[str, str]) -> None:
    rows = table(sheet)
    cells = value_cells(sheet)
    row_of = {label: row for row, label in enumerate(rows, start=5)}
    assert not has_formula(sheet)
    for name, text in expected.items():
        value, data_type, quote_prefix = rows[LABELS[name]]
        assert (value, data_type, quote_prefix) == (text, "s", True), name
        assert cells[row_of[LABELS[name]]].get("t") in {"s", "inlineStr"}, name
    # The budget is a number fields.py parsed, so a numeric cell cannot carry a formula.
    _, data_type, _ = rows[LABELS["budget"]]
    assert data_type == "n" and cells[row_of[LABELS["budget"]]].get("t") in {None, "n"}


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({name: texts for name in TEXT_FIELDS}))
def test_every_field_is_text_in_the_saved_file_whatever_it_starts_with(
    fields: dict[str, str],
) -> None:
    assume(all(value.strip() for value in fields.values()))
    case = parse_case({**CASE, **fields})
    sheet = build_workbook("cs-abcdefghijkl", case, "2026-11-23T10:00:00+00:00")
    assert_text_cells(sheet, case.texts())


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.fixed_dictionaries({name: texts for name in TEXT_FIELDS}))
def test_the_sheet_the_handler_stores_has_no_formula(
    aws: dict[str, Any], fields: dict[str, str]
) -> None:
    assume(all(value.strip() for value in fields.values()))
    created = body(lambda_handler(event("/generateCaseSheet", {**CASE, **fields})))
    key = f"case-sheets/{created['id']}.xlsx"
    sheet = aws["s3"].get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert_text_cells(sheet, parse_case({**CASE, **fields}).texts())


def test_text_shaped_like_the_layouts_markers_is_written_as_sent() -> None:
    """The workbook is filled from a layout with markers: a field that looks like one stays
    the field's text, and the other cells keep theirs."""
    looks_like_markers = "\ue000client\ue000 then \ue001kpi\ue000 and <b>&amp;</b>"
    case = parse_case({**CASE, "challenge": looks_like_markers})
    sheet = build_workbook("cs-abcdefghijkl", case, "2026-11-23T10:00:00+00:00")
    assert_text_cells(sheet, case.texts())
    assert case.challenge == looks_like_markers
