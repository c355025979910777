"""Ctrl+Z straight after a save undoes the save, though the cursor is back in the page's search box; a field
with typing of its own undoes that first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from db.models import StaffMember
from desktop.records.types import STAFF
from desktop.ui.record_dialogs import edit_record_dialog
from tests.ui.test_lists_like_excel import _activate
from tests.ui.test_pages import pick


def test_ctrl_z_after_a_save_undoes_it_unless_the_focused_field_has_its_own_edits(window, demo_db, qtbot):
    page = window.show_page("staff")
    _activate(window, qtbot)
    with demo_db.session() as s:
        person = s.scalars(select(StaffMember).where(StaffMember.title == "junior")).first()
    form = edit_record_dialog(window, STAFF, person.id, exec_=False)
    pick(form.editors["title"].widget, "副高级")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted

    def title() -> str:
        with demo_db.session() as s:
            return s.get(StaffMember, person.id).title

    assert title() == "associate_senior"
    page.search.setFocus()  # where the cursor goes back to after the form
    qtbot.keyClicks(page.search, "53")
    qtbot.keyClick(page.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.search.text() == "" and title() == "associate_senior"  # the box's own typing first
    qtbot.keyClick(page.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert title() == "junior"  # then the save
    qtbot.keyClick(page.search, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert page.search.text() == "53"  # the box's own redo first
    page.search.clear()
    page.search.setText("")  # a programmatic change leaves no edit of the box's to redo
    qtbot.keyClick(page.search, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert title() == "associate_senior"
