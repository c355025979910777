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
