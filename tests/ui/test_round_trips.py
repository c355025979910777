"""No query per row: the statements each page open, form open and save, check, report and export sends to the
database are as many for a city of three counties as for one county. A server across the LAN pays a round trip for
each."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from contextlib import contextmanager

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import event, select

from db import open_database
from desktop.checks.runner import run_checks
from desktop.demo import DemoOptions, write_demo
from desktop.excel.export import export_workbook
from desktop.excel.sheets import SHEETS
from desktop.periods import Period
from desktop.records.types import RECORD_TYPES
from desktop.report.build import build_report
from desktop.ui.main_window import MainWindow
from desktop.ui.record_dialogs import edit_record_dialog
from tests.forms import NEEDS_AN_OPENER, SAVED

PERIOD, TODAY = Period(2026, 3), dt.date(2026, 11, 23)


@contextmanager
def counted(db):
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def statements(db, tmp_path, qtbot) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}

    def measure(label: str, fn) -> None:
        with counted(db) as seen:
            fn()
        out[label] = list(seen)

    def check() -> None:
        with db.session() as session:
            run_checks(session, PERIOD, today=TODAY)
            session.commit()

    measure("核查", check)
    measure("报告 PDF", lambda: build_report(db, PERIOD, tmp_path / "r.pdf", today=TODAY))
    measure("报告 Word", lambda: build_report(db, PERIOD, tmp_path / "r.docx", today=TODAY))
    for key in SHEETS:
        measure(
            f"导出 {key}", lambda k=key: export_workbook(db, [k], PERIOD, tmp_path / "e.xlsx", user="t", today=TODAY)
        )
    win = MainWindow(db, today=TODAY)
    qtbot.addWidget(win)
    win.show()
    for key in win.pages:
        win.pages[key].stale = True
        measure(f"页面 {key}", lambda k=key: win.show_page(k))
    for key, rtype in RECORD_TYPES.items():
        if key in NEEDS_AN_OPENER:
            continue
        with db.session() as session:
            first = session.scalars(select(rtype.model.id).order_by(rtype.model.id).limit(1)).first()
        if first is None:
            continue
        measure(f"表单 {key}", lambda r=rtype, i=first: edit_record_dialog(win, r, i, exec_=False).close())
        if key in SAVED:
            form = edit_record_dialog(win, rtype, first, exec_=False)
            editor = form.editors[SAVED[key]]
            editor.set_value(f"{editor.raw() or ''}改")
            measure(f"保存 {key}", form.try_save)
            refused = [e.error.text() for e in form.editors.values() if e.error.text()]
            assert form.result() == QDialog.DialogCode.Accepted, (key, refused)
    win.close()
    return out


@pytest.mark.sqlite_only  # the counts are the ORM's, the same on a server; a city written there takes long
def test_no_job_sends_more_statements_for_more_records(qtbot, demo_db, tmp_path):
    county = statements(demo_db, tmp_path, qtbot)
    city_db = open_database(tmp_path / "city.db")
    try:
        write_demo(city_db, DemoOptions(scale="city", city_size=3))
        city = statements(city_db, tmp_path, qtbot)
    finally:
        city_db.close()
    assert set(city) == set(county) and len(county) > 25
    grew = {
        label: (len(county[label]), len(city[label]), Counter(city[label]).most_common(1)[0][0][:80])
        for label in county
        if len(city[label]) > len(county[label])
    }
    assert not grew, grew
