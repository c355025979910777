"""设置 › 县域信息 › 报表表号: a sheet's statistical-form block entered, kept, and printed on the sheet."""

from __future__ import annotations

from openpyxl import load_workbook

from desktop.excel.export import export_workbook
from desktop.periods import Period
from desktop.profile import form_blocks


def test_a_sheets_form_number_is_entered_saved_and_printed(window, demo_db, tmp_path):
    page = window.show_page("settings")
    block = page.form_block
    block.sheet.setCurrentIndex(block.sheet.findData("staff"))
    block.edits["form_number"].setText(" 卫健统2表 ")
    block.edits["issued_by"].setText("清溪县卫生健康局")
    assert block.save()
    with demo_db.session() as s:
        assert form_blocks(s) == {"staff": {"form_number": "卫健统2表", "issued_by": "清溪县卫生健康局"}}
    block.sheet.setCurrentIndex(block.sheet.findData("beds"))
    assert block.edits["form_number"].text() == ""  # another sheet: its own block, here none
    block.sheet.setCurrentIndex(block.sheet.findData("staff"))
    assert block.edits["form_number"].text() == "卫健统2表"

    block.edits["valid_until"].setText("有效期\u202e至")  # a direction override, pasted from a web page
    assert not block.save()
    assert block.errors["valid_until"].isVisibleTo(page) and "不可见" in block.errors["valid_until"].text()

    path = tmp_path / "staff.xlsx"
    export_workbook(demo_db, ["staff"], Period(2026, 3), path, user="测试")
    ws = load_workbook(path).worksheets[0]
    assert [next(c.value for c in ws[r] if c.value) for r in (2, 3)] == [
        "表　　号：卫健统2表",
        "制定机关：清溪县卫生健康局",
    ]
