"""The forms' own workbook writer, read back as Excel's readers would: openpyxl, calamine (the importer's) and
LibreOffice. Every value a record may hold lands as the same value, text stays text, and the sheet keeps its
layout (widths, heights, merges, frozen and printed header rows, page set-up)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from desktop.excel.spreadsheetml import FormWorkbook, Style, column_letter
from tests.integration.office import CSV_UTF8, convert, read_csv

ODD = "O'Brien 的表 & <附件>"


def _book(path):
    book = FormWorkbook()
    sheet = book.add_sheet(ODD)
    text = book.style(Style())
    number = book.style(Style(number_format="#,##0.00", border=True, horizontal="right"))
    title = book.style(Style(size=16, bold=True, horizontal="center", fill="F2F2F2"))
    sheet.widths = [6, 30.5, 12]
    sheet.freeze = (2, 1)
    sheet.print_titles = (2, 2)
    sheet.landscape = False
    sheet.footer, sheet.footer_font = "第 &P 页 共 &N 页", "宋体"
    sheet.append([("标题", title)], height=30)
    sheet.merge(1, 1, 1, 3)
    sheet.append([("序号", text), ("文字", text), ("数", text)])
    rows = [
        (1, "=SUM(A1:A2)", 1234.5),
        (2, "a & b < c > d\n第二行", Decimal("7.25")),
        (3, "控制\x07字符\u202e", True),
        (4, dt.date(2026, 9, 30), dt.datetime(2026, 9, 30, 12, 0)),
        (5, "", None),
        (6, "重复", float("nan")),
        (7, "重复", -3),
    ]
    for row in rows:
        sheet.append_values(row, [(number, text)] * 3)
    book.add_sheet("空表")  # a sheet with no rows is still a sheet
    book.save(path)


def test_values_read_back_as_written(tmp_path):
    path = tmp_path / "form.xlsx"
    _book(path)
    wb = load_workbook(path)
    assert wb.sheetnames == [ODD, "空表"]
    ws = wb[ODD]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert values[0] == [1, "=SUM(A1:A2)", 1234.5] and ws["B3"].data_type == "s"  # text, never a formula
    assert values[1] == [2, "a & b < c > d\n第二行", 7.25]
    assert values[2] == [3, "控制字符", True]
    assert values[3][1] == dt.datetime(2026, 9, 30) and values[3][2] == dt.datetime(2026, 9, 30, 12, 0)
    assert ws["B6"].number_format == "yyyy-mm-dd"  # a date in a column of text shows as a date
    assert values[4] == [5, None, None] and ws["B7"].border.left.style is None  # a cell left alone
    assert values[5] == [6, "重复", "nan"] and values[6] == [7, "重复", -3]
    assert ws["C3"].number_format == "#,##0.00" and ws["C3"].border.left.style == "thin"
    assert ws["A1"].font.b and ws["A1"].font.sz == 16 and ws["A1"].fill.fgColor.rgb.endswith("F2F2F2")

    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(ODD).to_python()
    assert calamine[2][:2] == [1.0, "=SUM(A1:A2)"] and calamine[3][1] == "a & b < c > d\n第二行"
    assert calamine[5][1] == dt.date(2026, 9, 30)


def test_layout_read_back(tmp_path):
    path = tmp_path / "form.xlsx"
    _book(path)
    ws = load_workbook(path)[ODD]
    assert [ws.column_dimensions[column_letter(i)].width for i in (1, 2, 3)] == [6, 30.5, 12]
    assert ws.row_dimensions[1].height == 30 and [str(r) for r in ws.merged_cells.ranges] == ["A1:C1"]
    assert ws.freeze_panes == "B3" and ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "portrait" and ws.page_setup.paperSize == 9
    assert (
        ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    )
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"


@pytest.mark.parametrize("index, letters", [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (702, "ZZ"), (703, "AAA")])
def test_column_letters(index, letters):
    assert column_letter(index) == letters


def test_libreoffice_opens_it(tmp_path):
    path = tmp_path / "form.xlsx"
    _book(path)
    rows = read_csv(convert(path, CSV_UTF8, tmp_path))
    assert rows[0][0] == "标题" and rows[2] == ["1.00", "=SUM(A1:A2)", "1,234.50"] and rows[5][1] == "2026-09-30"
