"""A facility's form asks from which day its change holds: beds raised from 1 August count in 2026Q3 and not in
2026Q2, and undoing the change restores both quarters."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog

from desktop.figures import headline_figures
from desktop.history import record_history
from desktop.periods import Period
from tests.ui.conftest import TODAY
from tests.ui.test_pages import pick


def _beds(db, quarter: int) -> int:
    with db.session() as s:
        return headline_figures(s, Period(2026, quarter), today=TODAY, subsidies=False, findings=False).open_beds


def test_beds_changed_from_a_day_move_the_quarters_from_that_day(window, demo_db):
    before = {q: _beds(demo_db, q) for q in (2, 3)}
    page = window.show_page("facilities")
    pick(page.kind, "乡镇卫生院")
    page.view.selectRow(0)
    form = page.edit_selected(exec_=False)
    since = form.findChild(QDateEdit, "effectiveOn")
    assert since.date().toPython() == window.period.as_of(TODAY) == dt.date(2026, 9, 30)  # the period's day
    since.setDate(QDate(2026, 8, 1))
    beds = form.editors["open_beds"].widget
    beds.setText(str(int(beds.text()) + 12))
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted
    assert _beds(demo_db, 2) == before[2] and _beds(demo_db, 3) == before[3] + 12
    with demo_db.session() as s:  # the form's 修改记录 shows the values over time, each from its day
        latest = record_history(s, "facilities", page.model.row_at(0).id)[0]
    assert latest.summary.startswith("实有床位：") and latest.summary.endswith("（自2026年8月1日起）")

    window.undo_stack.undo()
    assert (_beds(demo_db, 2), _beds(demo_db, 3)) == (before[2], before[3])
    window.undo_stack.redo()
    assert (_beds(demo_db, 2), _beds(demo_db, 3)) == (before[2], before[3] + 12)
