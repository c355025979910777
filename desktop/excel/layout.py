"""A sheet in the layout of a Chinese statistical form, written into a FormWorkbook (desktop/excel/spreadsheetml.py).

Title, reporting unit and period, one- or two-level headers, data, a 合计 row, the
footer (单位负责人, 填表人, 联系电话, 报出日期); A4 fitted to the page width with the
header rows repeated on every printed page. The title, the form's block, two-level
headers and notes are merged across their columns.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from db.errors import Cancelled
from desktop.excel.spreadsheetml import FormSheet, Style

FONT = "宋体"
HEADER_FILL = "F2F2F2"

# Column kinds: text, code (text that must stay text: ID numbers, codes), int, float, money, date, percent
NUMBER_FORMATS = {"int": "#,##0", "float": "#,##0.00", "money": "#,##0.0", "percent": "0.0", "date": "yyyy-mm-dd"}


@dataclass(frozen=True)
class Col:
    label: str
    value: Callable[[Any], Any]
    kind: str = "text"
    group: str | None = None  # the upper header of a two-level header
    total: bool = False  # summed in the 合计 row
    counted: bool = False  # the 合计 row gives the number of rows (a roster's people)
    width: float | None = None  # in characters; measured from the content when None
    wrap: bool = False  # long text wrapped within the width, its row growing to it (printed whole, never cut)


@dataclass
class SheetSpec:
    key: str
    title: str
    columns: Sequence[Col]
    rows: Iterable[Any]
    unit: str = ""  # 计量单位 shown above the table
    landscape: bool = True
    notes: list[str] = field(default_factory=list)  # lines under the table (填表说明)
    signers: tuple[str, ...] = ()  # who signs besides the form's own (审核人 of a payment roster), in the footer


@dataclass(frozen=True)
class FormHeader:
    """The county profile's part of every form."""

    reporting_unit: str
    period_label: str
    head_of_unit: str
    preparer: str
    phone: str
    date_sent: dt.date


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(
    ws: FormSheet,
    value: Any,
    *,
    kind: str = "text",
    bold: bool = False,
    size: float = 10.5,
    align: str = "left",
    border: bool = False,
    fill: str | None = None,
    wrap: bool = False,
) -> tuple[Any, int]:
    """A value with the index of its cell style: a number of a numeric kind right-aligned in its format."""
    if isinstance(value, str) and kind in ("int", "float", "money", "percent"):
        kind = "text"
    numeric = kind in NUMBER_FORMATS and not isinstance(value, str)
    horizontal = "right" if numeric and kind != "date" and align == "left" else align
    style = Style(
        font=FONT,
        size=size,
        bold=bold,
        horizontal=horizontal,
        wrap=wrap,
        number_format=NUMBER_FORMATS[kind] if numeric else "General",
        border=border,
        fill=fill,
    )
    return value, ws.book.style(style)


LINE_POINTS = 14  # a line of 10.5-point 宋体, in points
MAX_WIDTH = 60  # characters: the widest a column is made for its content


def _lines(value: Any, width: float) -> int:
    """How many lines a text takes wrapped in a column ``width`` characters wide (a Chinese character is two)."""
    if not isinstance(value, str) or not value:
        return 1
    usable = max(1, int(width) - 1)  # the cell's own margins
    return sum(-(-display_width(part) // usable) or 1 for part in value.split("\n"))


def _text_of(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def write_sheet(
    ws: FormSheet,
    spec: SheetSpec,
    header: FormHeader,
    *,
    block: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write one form into a sheet of a FormWorkbook; returns the number of data rows. ``block``: the lines of the
    statistical form's block (表号：…), where the sheet has one."""
    cols = list(spec.columns)
    values = [[c.value(r) for c in cols] for r in spec.rows]
    widths, wraps = _measured(cols, values)
    ws.widths = widths
    head = 3 + len(block)  # the header's first row: after the title, the form's block and the line of who reports
    first_data = head + (2 if any(c.group for c in cols) else 1)
    ws.freeze = (first_data - 1, 1)
    ws.print_titles = (head, first_data - 1)
    _write_title(ws, spec, header, block, widths)
    _write_headers(ws, cols, head)
    totals = _write_rows(ws, cols, values, widths, wraps, progress, cancelled)
    if any(c.total or c.counted for c in cols):
        _write_total(ws, cols, totals, len(values))
    _write_notes_and_signatures(ws, spec, header, widths)
    ws.landscape = spec.landscape  # A4, fitted to the page's width, centred, as many pages long as it takes
    ws.margins = (0.5, 0.5, 0.7, 0.7)
    ws.footer, ws.footer_font = "第 &P 页 共 &N 页", FONT
    return len(values)


def _measured(cols: list[Col], values: list[list[Any]]) -> tuple[list[float], list[bool]]:
    """Each column's width from its content (a Chinese character counts double), within reason, the 序号 column's
    first; and which columns wrap their text (what is longer than a column may be is wrapped, never cut)."""
    widths = [6.0]
    wraps = [c.wrap for c in cols]
    for i, c in enumerate(cols):
        if c.width:
            widths.append(c.width)
            continue
        longest = max([display_width(c.label)] + [display_width(_text_of(v[i], c.kind)) for v in values[:2000]])
        widths.append(min(max(longest + 2, 6), MAX_WIDTH))
        wraps[i] = wraps[i] or longest + 2 > MAX_WIDTH
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(cols, 1):
        if c.group:
            groups.setdefault(c.group, []).append(i)
    for label, members in groups.items():  # a group's label must fit over its columns
        short = display_width(label) + 2 - sum(widths[i] for i in members)
        for i in members:
            widths[i] += max(0.0, short) / len(members)
    return widths, wraps


def _write_title(ws: FormSheet, spec: SheetSpec, header: FormHeader, block: Sequence[str], widths: list[float]) -> None:
    """The title across the table, the form's block at the top right, and who reports for which period."""
    n = len(widths)
    # The block's lines, left-aligned one under another, span as many of the last columns as the longest needs.
    longest, block_from = max(map(display_width, block), default=0) + 2, n
    while block_from > 1 and sum(widths[block_from - 1 :]) < longest:
        block_from -= 1
    ws.append([_cell(ws, spec.title, size=16, bold=True, align="center")], height=30)
    ws.merge(1, 1, 1, n)
    for line in block:  # 表号, 制定机关 …: at the top right, as a statistical form carries them
        ws.append([_cell(ws, None) for _ in range(block_from - 1)] + [_cell(ws, line)])
        ws.merge(ws.rows, block_from, ws.rows, n)
    info = [_cell(ws, f"填报单位：{header.reporting_unit}")]
    info += [_cell(ws, None) for _ in range(max(0, n // 2 - 1))]
    info.append(_cell(ws, f"报告期：{header.period_label}"))
    info += [_cell(ws, None) for _ in range(n - len(info) - 1)]
    info.append(_cell(ws, f"计量单位：{spec.unit}" if spec.unit else "", align="right"))
    ws.append(info[:n] if n > 1 else info[:1])


def _heading(ws: FormSheet, text: str | None, *, wrap: bool = False) -> tuple[Any, int]:
    return _cell(ws, text, bold=True, align="center", border=True, fill=HEADER_FILL, wrap=wrap)


def _write_headers(ws: FormSheet, cols: list[Col], head: int) -> None:
    """One header row, or two where columns are grouped: a group's label spans its columns, a single header both
    rows."""
    if not any(c.group for c in cols):
        ws.append([_heading(ws, "序号")] + [_heading(ws, c.label, wrap=True) for c in cols])
        return
    top = [_heading(ws, "序号")]
    ws.merge(head, 1, head + 1, 1)
    start = 0
    for j, c in enumerate(cols, 2):
        if c.group and start and cols[start - 2].group == c.group:
            top.append(_heading(ws, None))
        elif c.group:
            top.append(_heading(ws, c.group))
            start = j
        else:
            top.append(_heading(ws, c.label, wrap=True))
            ws.merge(head, j, head + 1, j)
            start = 0
        if c.group and (j - 1 == len(cols) or cols[j - 1].group != c.group):
            ws.merge(head, start, head, j)
    ws.append(top)
    ws.append([_heading(ws, None)] + [_heading(ws, c.label if c.group else None, wrap=True) for c in cols])


def _write_rows(
    ws: FormSheet,
    cols: list[Col],
    values: list[list[Any]],
    widths: list[float],
    wraps: list[bool],
    progress: Callable[[int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> list[float]:
    """The data rows, numbered; returns the sums of the columns the 合计 row adds up."""
    totals = [0.0] * len(cols)
    # Each column's two styles (for a value of its kind, and for text in it), the 序号 column's first.
    body = [(_cell(ws, 0, kind="int", align="center", border=True)[1],) * 2]
    body += [
        (_cell(ws, 0, kind=c.kind, border=True)[1], _cell(ws, "", kind=c.kind, border=True, wrap=wrap)[1])
        for c, wrap in zip(cols, wraps, strict=True)
    ]
    summed = [i for i, c in enumerate(cols) if c.total]
    wrapped = [(i, widths[i + 1]) for i, wrap in enumerate(wraps) if wrap]
    for k, row in enumerate(values, 1):
        if cancelled and k % 500 == 0 and cancelled():
            raise Cancelled()
        height = None
        if wrapped and (lines := max(_lines(row[i], width) for i, width in wrapped)) > 1:
            # Neither Excel nor LibreOffice grows a row to its wrapped text when it opens a file: it is said here.
            height = LINE_POINTS * lines + 3
        for i in summed:
            if isinstance(row[i], int | float):
                totals[i] += row[i]
        ws.append_values([k, *row], body, height=height)
        if progress and k % 500 == 0:
            progress(k)
    return totals


def _write_total(ws: FormSheet, cols: list[Col], totals: list[float], count: int) -> None:
    out = [_cell(ws, "合计", bold=True, align="center", border=True)]
    for c, t in zip(cols, totals, strict=True):
        if c.counted:
            out.append(_cell(ws, count, kind="int", bold=True, border=True))
            continue
        value = (round(t, 2) if c.kind != "int" else int(t)) if c.total else None
        out.append(_cell(ws, value, kind=c.kind, bold=True, border=True))
    ws.append(out)


def _write_notes_and_signatures(ws: FormSheet, spec: SheetSpec, header: FormHeader, widths: list[float]) -> None:
    """The notes under the table, then who signs, spread across the page's width."""
    n, table_width = len(widths), sum(widths)
    for line in spec.notes:  # wrapped across the table's width, so a long note never widens the page
        height = 13 * (display_width(line) // max(1, int(table_width)) + 1)
        ws.append([_cell(ws, line, size=9, wrap=True)], height=height)
        ws.merge(ws.rows, 1, ws.rows, n)
    ws.append([])
    footer = [
        f"单位负责人：{header.head_of_unit}",
        f"填表人：{header.preparer}",
        f"联系电话：{header.phone}",
        *(f"{signer}：" for signer in spec.signers),
        f"报出日期：{header.date_sent.year}年{header.date_sent.month}月{header.date_sent.day}日",
    ]
    step = max(1, n // len(footer))
    cells = [_cell(ws, None) for _ in range(max(n, step * len(footer)))]
    for j, text in enumerate(footer):
        cells[j * step] = _cell(ws, text)
    ws.append(cells)
