"""The one way text goes into a workbook: as text, never as a formula, and only with characters a workbook holds.

Blank and filled templates and the problem workbook write through ``put``, the submission sheets through
``cell_text`` into shared strings (desktop/excel/spreadsheetml.py), so that no stored text, however it
got into the database (an older version, an exchange file, a hand-edited database), can fail an export with
openpyxl's IllegalCharacterError or be written as a live formula.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from desktop.validators import clean_text

# A reader (Excel, WPS, calamine) decodes _xHHHH_ in a cell's text; what is left of one after cleaning is text a
# person typed, so its underscore is escaped (_x005F_) and the reader shows it as typed.
_LITERAL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def cell_text(text: str) -> str:
    """``text`` as a cell may hold it: control, bidirectional and zero-width characters removed (including every
    character openpyxl refuses), tabs and line breaks kept."""
    text = clean_text(text, multiline=True)
    if "_x" in text:
        text = _LITERAL_ESCAPE.sub("_x005F_", text)
    return text


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write ``value`` into a cell of an openpyxl worksheet; text stays text."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = cell_text(value)
        cell.data_type = "s"  # openpyxl makes any string starting with "=" a formula
    else:
        cell.value = value
    return cell
