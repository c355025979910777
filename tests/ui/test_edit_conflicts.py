"""Two clerks on one record, as the first meets it in the window: the refused save, the other's change shown on
the form, nothing typed lost; an undo that would overwrite a colleague's later save is refused too."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import select

from db.models import Change, StaffMember
from desktop.records.editing import update_record
from desktop.records.types import STAFF
from desktop.ui.record_dialogs import edit_record_dialog

from .test_pages import pick


def _junior(demo_db) -> StaffMember:
    with demo_db.session() as s:
        return s.scalars(
            select(StaffMember).where(StaffMember.title == "junior", StaffMember.phone.is_not(None))
        ).first()


def _colleague_saves(demo_db, person_id: int, values: dict) -> None:
    """小李, at another PC, saves the same person (through the same core as her window would)."""
    with demo_db.session() as s:
        update_record(s, STAFF, person_id, values, user="小李")
        s.commit()


def test_a_save_over_a_colleagues_newer_save_is_refused_and_shows_her_change(window, demo_db, monkeypatch):
    person = _junior(demo_db)
    form = edit_record_dialog(window, STAFF, person.id, exec_=False)  # 老王 opens the form
    _colleague_saves(demo_db, person.id, {"title": "intermediate", "hire_date": "2001-09-01"})
    form.editors["phone"].show_whole("13987654321")
    pick(form.editors["title"].widget, "副高级")  # 老王's own edit, of the same field
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: warnings.append((title, text)))
    form.try_save()

    assert form.result() != QDialog.DialogCode.Accepted  # the form stays open, with what he typed
    assert warnings and "保存被拒绝" in warnings[0][1] and "小李于" in warnings[0][1]
    assert "小李于" in form.editors["title"].error.text() and "“中级”" in form.editors["title"].error.text()
    assert form.editors["title"].widget.currentText() == "副高级"  # his edit is not thrown away
    assert form.editors["hire_date"].widget.text() == "2001-09-01"  # a field he left alone shows hers
    with demo_db.session() as s:
        stored = s.get(StaffMember, person.id)
        assert (stored.title, str(stored.hire_date), stored.phone) == ("intermediate", "2001-09-01", person.phone)

    form.try_save()  # he has seen her change and saves his own over it, deliberately
    assert form.result() == QDialog.DialogCode.Accepted
    with demo_db.session() as s:
        stored = s.get(StaffMember, person.id)
        assert (stored.title, str(stored.hire_date), stored.phone) == ("associate_senior", "2001-09-01", "13987654321")
        users = s.scalars(select(Change.user).where(Change.table_name == "staff", Change.row_id == person.id)).all()
        assert users[-2] == "小李" and users[-1] != "小李"


def test_an_undo_that_would_overwrite_a_colleagues_later_save_changes_nothing(window, demo_db, monkeypatch):
    person = _junior(demo_db)
    form = edit_record_dialog(window, STAFF, person.id, exec_=False)
    pick(form.editors["title"].widget, "副高级")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted
    _colleague_saves(demo_db, person.id, {"title": "senior"})
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: warnings.append((title, text)))
    window.undo_stack.undo()
    assert warnings and "无法撤销" in warnings[0][1] and "小李" in warnings[0][1]
    with demo_db.session() as s:
        assert s.get(StaffMember, person.id).title == "senior"  # her save stands
    assert not window.undo_stack.canRedo()  # the refused step left the stack


def test_undo_and_redo_of_ones_own_edit_still_work_between_colleagues_edits_of_other_records(window, demo_db):
    person = _junior(demo_db)
    with demo_db.session() as s:
        other = s.scalars(select(StaffMember).where(StaffMember.id != person.id)).first()
    form = edit_record_dialog(window, STAFF, person.id, exec_=False)
    pick(form.editors["title"].widget, "副高级")
    form.try_save()
    _colleague_saves(demo_db, other.id, {"hire_date": "2001-09-01"})
    window.undo_stack.undo()
    window.undo_stack.redo()
    window.undo_stack.undo()
    with demo_db.session() as s:
        assert s.get(StaffMember, person.id).title == "junior"
