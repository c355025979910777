"""The change history in the window: a record's own, and every change since the last submission."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from db.models import StaffMember
from desktop.excel.export import export_workbook
from desktop.periods import Period
from desktop.records.editing import update_record
from desktop.records.types import STAFF
from desktop.ui.pages.history import RecordHistoryDialog
from desktop.ui.record_dialogs import edit_record_dialog


def test_changes_since_the_last_submission_name_who_changed_what(qtbot, window, demo_db, tmp_path):
    with demo_db.session() as s:
        first, second = s.scalars(select(StaffMember).where(StaffMember.phone.is_not(None)).limit(2)).all()
        update_record(s, STAFF, first.id, {"title": "senior"}, user="老王")
        s.commit()
    export_workbook(demo_db, ["staff"], Period(2026, 3), tmp_path / "上报.xlsx", user="老王")
    with demo_db.session() as s:
        update_record(s, STAFF, second.id, {"title": "senior", "phone": "13912345678"}, user="小张")
        s.commit()

    page = window.show_page("history")
    page.refresh()
    assert "上次导出上报报表" in page.note.text()
    rows = [page.model.row_at(i) for i in range(page.model.rowCount())]
    assert [(e.user, e.record) for e in rows] == [("小张", second.name)]  # the change before it is not "since"
    assert "正高级" in rows[0].summary and "139****5678" in rows[0].summary
    assert "13912345678" not in rows[0].summary

    page.span.setCurrentIndex(page.span.findData("all"))
    assert page.model.rowCount() == 2
    page.search.setText("老王")
    assert page.count.text() == "共 1 条"

    page.view.doubleClicked.emit(page.model.index(0, 0))  # opens the person on the staff page
    staff = window.current_page()
    assert staff.key == "staff" and staff.search.text() == first.name  # found by name, not by whole ID
    qtbot.waitUntil(lambda: bool(staff.view.selectionModel().selectedRows()))
    (selected,) = staff.view.selectionModel().selectedRows()
    assert staff.model.row_at(selected.row()).id == first.id


def test_a_record_form_opens_its_own_history(window, demo_db, monkeypatch):
    with demo_db.session() as s:
        person = s.scalars(select(StaffMember)).first()
        update_record(s, STAFF, person.id, {"status": "retired", "status_reason": "到龄退休"}, user="老王")
        update_record(s, STAFF, person.id, {"hire_date": dt.date(2001, 9, 1)}, user="老王")
        s.commit()
    shown = []
    monkeypatch.setattr(window, "ask", lambda dialog: shown.append(dialog) or 0)
    form = edit_record_dialog(window, STAFF, person.id, exec_=False)
    form.findChild(QPushButton, "recordHistory").click()
    (dialog,) = shown
    assert isinstance(dialog, RecordHistoryDialog)
    entries = [dialog.model.row_at(i) for i in range(dialog.model.rowCount())]
    assert [e.summary.split("：")[0] for e in entries] == ["参加工作日期", "在岗状态"]  # newest first
    assert entries[1].summary.startswith("在岗状态：在岗 → 退休") and "到龄退休" in entries[1].summary


def test_the_history_names_the_computers_user_an_imports_file_and_the_time_to_the_second(window, demo_db, tmp_path):
    """Without sign-in the history says 本机用户 NAME, not a bare login taken for an account's; rows an import
    added say which file they came from; times show seconds and sort as times."""
    from openpyxl import load_workbook

    from desktop.excel.importer import run_import
    from desktop.excel.templates import write_template
    from tests.factories import fill_staff_rows

    assert not demo_db.actor.signed_in and demo_db.actor.name.startswith("本机用户")
    with demo_db.session() as s:
        path = write_template(s, "staff", tmp_path / "马田镇花名册.xlsx")
    wb = load_workbook(path)
    fill_staff_rows(wb["数据"], 2, "马田镇卫生院")
    wb.save(path)
    report = run_import(demo_db, "staff", path, user=window.user)
    assert report.count("new") == 2 and not report.problems
    page = window.show_page("history")
    page.span.setCurrentIndex(page.span.findData("all"))
    page.refresh()
    added = [page.model.row_at(i) for i in range(page.model.rowCount()) if page.model.row_at(i).action == "新增"]
    assert len(added) == 2 and all(e.reason == "导入 马田镇花名册.xlsx" for e in added)
    assert all(e.user == window.user == demo_db.actor.name for e in added)
    time = page.model.columns[0]
    assert len(time.text(added[0])) == len("2026-12-03 10:11:12")
    first, last = page.model.row_at(0).at, page.model.row_at(page.model.rowCount() - 1).at
    assert first >= last  # newest first, to the second
