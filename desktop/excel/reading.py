"""Reading any table file a bureau has into plain sheets of rows: the one way the importer reads a file.

Excel (.xlsx, .xlsm, .xls), WPS (.et, .ett: BIFF8 in a compound file like an .xls, or sometimes an
OOXML zip under that name) and OpenDocument (.ods) workbooks are read by python-calamine; CSV and text
tables (.csv, .txt) by the csv module. Which reader a file gets is decided by its content, as
``check_workbook`` found it, not by its name: an .xls renamed .xlsx is read as the .xls it is.
"""

from __future__ import annotations

import csv
import io
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.excel.errors import ExcelError
from desktop.excel.safety import (
    MAX_COLUMNS,
    MAX_SHEET_ROWS,
    READ_BUDGET_BYTES,
    TEXT_BYTE_COST,
    WPS_SAVE_AS,
    WPS_SUFFIXES,
    Vetted,
    budget_refusal,
    cell_name,
    check_workbook,
    extent_refusal,
    password_refusal,
)

log = logging.getLogger(__name__)

# The names calamine's from_path reads each kind under; a file named otherwise is handed over open.
_SUFFIXES = {"xlsx": (".xlsx", ".xlsm"), "xls": (".xls",), "ods": (".ods",)}
_DELIMITERS = ",\t;"
_SAMPLE_CHARS = 64 * 1024
# A text cell as Python holds it: a list slot and a str object (49 bytes and up); "" is shared.
_TEXT_CELL_BYTES = 64


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]  # as calamine's to_python(skip_empty_area=False) gives them; "" for an empty cell
    hidden: bool  # hidden or very hidden in the workbook


Chooser = Callable[[list[tuple[str, bool]]], set[str]]


def read_sheets(path: Path, choose: Chooser | None = None, vetted: Vetted | None = None) -> list[Sheet]:
    """Every worksheet of a workbook, in the workbook's order, or a text table's one sheet (named after the
    file). Raises ExcelError with a Chinese sentence for a file that is unsafe, damaged or not a table.
    ``choose``: given every worksheet's (name, hidden), the names of those to read (a template's lists of
    choices, thousands of rows, need not be parsed to import its data sheet). ``vetted``: what check_workbook
    said of the file, when the caller has checked it already (the importer checks on its own thread, so that the
    check's Python does not share the interpreter with its work while calamine reads)."""
    path = Path(path)
    vetted = vetted or check_workbook(path)
    if vetted.kind == "text":
        return [_read_text(path, vetted.encoding or "utf-8-sig")]
    return _read_workbook(path, vetted.kind, choose)


def _read_workbook(path: Path, kind: str, choose: Chooser | None) -> list[Sheet]:
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    try:
        if path.suffix.lower() in _SUFFIXES[kind]:
            wb = CalamineWorkbook.from_path(str(path))
        else:  # calamine picks its reader by the name; opened, it picks by the content
            with path.open("rb") as fh:
                wb = CalamineWorkbook.from_filelike(fh)
    except PasswordError:
        raise password_refusal(path) from None
    except BaseException as exc:  # calamine's own errors, in English, and its panics
        _reraise_interrupts(exc)
        log.warning("calamine could not open %s: %s", path, exc)
        if path.suffix.lower() in WPS_SUFFIXES:
            raise ExcelError(f"“{path.name}”无法读取，可能是这个程序读不了的 WPS 表格格式。{WPS_SAVE_AS}") from None
        raise ExcelError(f"“{path.name}”已损坏，无法读取。") from None
    sheets = []
    try:
        # chart sheets, macro sheets: no cells to import
        listed = [(m.name, m.visible != SheetVisibleEnum.Visible) for m in wb.sheets_metadata
                  if m.typ == SheetTypeEnum.WorkSheet]  # fmt: skip
        wanted = choose(listed) if choose is not None else {name for name, _hidden in listed}
        for meta in wb.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet or meta.name not in wanted:
                continue
            rows = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            sheets.append(Sheet(meta.name, rows, meta.visible != SheetVisibleEnum.Visible))
    except BaseException as exc:  # a sheet the workbook lists but cannot give: a damaged or hand-edited file
        _reraise_interrupts(exc)
        log.warning("calamine could not read a sheet of %s: %s", path, exc)
        raise ExcelError(f"“{path.name}”已损坏，无法读取其中的工作表。") from None
    finally:
        wb.close()
    return sheets


def _reraise_interrupts(exc: BaseException) -> None:
    """calamine's Rust panics reach Python as pyo3's PanicException, a BaseException (a BIFF record shorter
    than calamine expects panics it): they are a damaged file like any other; Ctrl+C and exit are not."""
    if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
        raise exc


def _read_text(path: Path, encoding: str) -> Sheet:
    name = path.stem
    with path.open(encoding=encoding, newline="") as fh:
        delimiter = _delimiter(fh.read(_SAMPLE_CHARS))
        fh.seek(0)
        rows: list[list[Any]] = []
        width = cost = 0
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            for row in reader:
                if len(rows) >= MAX_SHEET_ROWS:
                    raise extent_refusal(name, cell_name(1, len(rows) + 1))
                if len(row) > MAX_COLUMNS:
                    raise extent_refusal(name, cell_name(len(row), len(rows) + 1))
                while row and not row[-1]:
                    row.pop()
                width = max(width, len(row))
                cost += len(row) * _TEXT_CELL_BYTES + sum(map(len, row)) * 2 * TEXT_BYTE_COST
                if cost > READ_BUDGET_BYTES:
                    raise budget_refusal(path, cost, name)
                rows.append(row)
        except csv.Error:  # a quote never closed, or a cell longer than csv's limit (131,072 characters)
            raise ExcelError(
                f"“{path.name}”第 {reader.line_num} 行的格式不对（引号不成对或单元格过长），无法作为表格读取。"
            ) from None
    while rows and not rows[-1]:  # calamine's sheets end at their last cell too
        rows.pop()
    for row in rows:
        row.extend([""] * (width - len(row)))
    return Sheet(name, rows, hidden=False)


def _delimiter(sample: str) -> str:
    """The separator most lines of the sample agree on: the one that splits them into the same number of
    cells most often (then into more cells). A file of one column has none: a comma is as good as any."""
    lines = sample.splitlines()
    if len(sample) >= _SAMPLE_CHARS and len(lines) > 1:
        lines.pop()  # cut off in the middle
    lines = lines[:100]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter) if any(r)]
        except csv.Error:
            continue
        if not widths:
            continue
        width, agreeing = Counter(widths).most_common(1)[0]
        score = (agreeing, width) if width > 1 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best
