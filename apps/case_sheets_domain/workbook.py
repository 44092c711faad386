"""The case sheet: one Excel workbook per case, readable as it comes out of the download."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from case_sheets_domain.fields import LABELS, Case

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

_HEADER = PatternFill("solid", fgColor="232F3E")
_LABEL = PatternFill("solid", fgColor="EAEDED")
_THIN = Side(style="thin", color="AAB7B8")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def build_workbook(case_id: str, case: Case, created_at: str) -> bytes:
    """The workbook as .xlsx bytes: a title, then a Field / Value table.

    A function of the stored record alone (its id, fields and createdAt), so a sheet rebuilt
    after a failed write shows what the first attempt would have shown.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "Case sheet"
    ws["A1"] = "AWS Competency case sheet"
    ws["A1"].font = Font(size=14, bold=True)
    ws.merge_cells("A1:B1")
    _text_cell(ws["A2"], f"Case {case_id}, created {created_at}")
    ws["A2"].font = Font(italic=True, color="566573")
    ws.merge_cells("A2:B2")

    ws.append([])
    ws.append(["Field", "Value"])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER
        cell.border = _BOX

    texts = case.texts()
    rows: list[tuple[str, str | Decimal]] = [
        ("Case id", case_id),
        *((LABELS[name], case.budget if name == "budget" else texts[name]) for name in LABELS),
    ]
    for label, value in rows:
        ws.append([label])
        label_cell = ws.cell(ws.max_row, 1)
        value_cell = ws.cell(ws.max_row, 2)
        label_cell.font = Font(bold=True)
        label_cell.fill = _LABEL
        label_cell.alignment = Alignment(vertical="top")
        value_cell.alignment = Alignment(wrap_text=True, vertical="top")
        label_cell.border = value_cell.border = _BOX
        if isinstance(value, Decimal):  # parsed by fields.py: a number, never a formula
            value_cell.value = value
            value_cell.number_format = '"$"#,##0.00'
        else:
            _text_cell(value_cell, value)

    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 80
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _text_cell(cell: Cell, text: str) -> None:
    """Text as a string cell, whatever it starts with.

    openpyxl stores a str starting with "=" as a formula, and Excel or LibreOffice evaluate
    "+", "-" and "@" too (formula injection, DDE): the type is forced to string, and
    quotePrefix keeps the cell text when someone edits it in Excel.
    """
    cell.value = text
    cell.data_type = "s"
    cell.quotePrefix = True
