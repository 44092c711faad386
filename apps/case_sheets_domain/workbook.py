"""The case sheet: one Excel workbook per case, readable as it comes out of the download.

openpyxl lays the workbook out once per container, with a marker where each case's values go;
a case's workbook is that saved layout with the markers replaced by its values, escaped as XML
text. Saving through openpyxl took ~10 ms of every generateCaseSheet; filling the layout takes
well under one. The cells keep the types and styles openpyxl gave the markers: text cells stay
string cells with quotePrefix (see _text_cell), the budget a number cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from case_sheets_domain.fields import LABELS, Case

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

_HEADER = PatternFill("solid", fgColor="232F3E")
_LABEL = PatternFill("solid", fgColor="EAEDED")
_THIN = Side(style="thin", color="AAB7B8")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


_SHEET = "xl/worksheets/sheet1.xml"
_PROPERTIES = "docProps/core.xml"
# Private-use characters around each marker's name. A whole cell's marker starts with a space,
# so openpyxl keeps the text's edge whitespace (xml:space="preserve") whatever replaces it.
_MARKER = re.compile("(?: \ue001|\ue000)(\\w+)\ue000")
# The budget's marker: the one number of the layout.
_BUDGET = Decimal("-0.123456789")
_TIMESTAMP = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _marker(name: str, whole_cell: bool = True) -> str:
    return f" \ue001{name}\ue000" if whole_cell else f"\ue000{name}\ue000"


@cache
def _layout() -> tuple[tuple[zipfile.ZipInfo, bytes], ...]:
    """The saved layout's parts, in the order openpyxl writes them."""
    case = Case(
        **{name: _marker(name) for name in LABELS if name != "budget"},  # type: ignore[arg-type]
        budget=_BUDGET,
    )
    saved = _layout_workbook(
        _marker("case_id", whole_cell=False), case, _marker("created_at", whole_cell=False)
    )
    with zipfile.ZipFile(io.BytesIO(saved)) as archive:
        return tuple((info, archive.read(info)) for info in archive.infolist())


def build_workbook(case_id: str, case: Case, created_at: str) -> bytes:
    """The workbook as .xlsx bytes: a title, then a Field / Value table.

    A function of the stored record alone (its id, fields and createdAt), so a sheet rebuilt
    after a failed write shows what the first attempt would have shown.
    """
    values = {**case.texts(), "case_id": case_id, "created_at": created_at}
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in _layout():
            if info.filename == _SHEET:
                text = _MARKER.sub(lambda m: escape(values[m.group(1)]), data.decode())
                number = f"<v>{safe_string(case.budget)}</v>"
                data = text.replace(f"<v>{safe_string(_BUDGET)}</v>", number, 1).encode()
            elif info.filename == _PROPERTIES:
                # When this workbook was made, as openpyxl states it.
                data = _TIMESTAMP.sub(rf"\g<1>{now}\g<2>", data.decode()).encode()
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            entry.compress_type = info.compress_type
            archive.writestr(entry, data)
    return buffer.getvalue()


def _layout_workbook(case_id: str, case: Case, created_at: str) -> bytes:
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
