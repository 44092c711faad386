"""Reading a saved workbook back: the values openpyxl sees and the sheet XML Excel parses."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from openpyxl import load_workbook

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def table(sheet: bytes) -> dict[str, tuple[object, str, bool]]:
    """Label -> (value, openpyxl data_type, quotePrefix) of each Field / Value row."""
    ws = load_workbook(io.BytesIO(sheet)).active
    return {
        str(ws.cell(r, 1).value): (
            ws.cell(r, 2).value,
            ws.cell(r, 2).data_type,
            bool(ws.cell(r, 2).quotePrefix),
        )
        for r in range(5, ws.max_row + 1)
    }


def subtitle(sheet: bytes) -> str:
    return str(load_workbook(io.BytesIO(sheet)).active["A2"].value)


def value_cells(sheet: bytes) -> dict[int, ElementTree.Element]:
    """Row number -> the <c> element of column B, straight from xl/worksheets/sheet1.xml."""
    with zipfile.ZipFile(io.BytesIO(sheet)) as archive:
        root = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    cells = {}
    for cell in root.iter(f"{MAIN}c"):
        reference = cell.get("r", "")
        if reference.startswith("B"):
            cells[int(reference[1:])] = cell
    return cells


def has_formula(sheet: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(sheet)) as archive:
        root = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    return any(True for _ in root.iter(f"{MAIN}f"))
