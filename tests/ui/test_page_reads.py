"""The window re-reads a page only after an action wrote a table the page shows. Each page, and the checks, name
the tables they read; here they are held to what they really read on the demo county, where every table has rows.
What an action wrote is noted as its statements go out (db.access.tables_written)."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import event, select

from db.models import Base, KeyTask, Project
from desktop.checks import READS as CHECKED
from desktop.checks.runner import run_checks
from desktop.operations import perform
from desktop.periods import Period
from desktop.records.types import PROJECT, TASK
from desktop.ui.record_dialogs import edit_record_dialog
from tests.ui.conftest import TODAY

TABLES = frozenset(Base.metadata.tables)
_NAMED = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)
# An as-of figure reads the history rows of the tables it shows; each is written with the row it describes.
HISTORY = "changes"
# Read by every transaction on a server (db.vault.follow_the_server: is the key it holds still the server's?).
NOT_SHOWN = {HISTORY, "vault"}


@contextmanager
def tables_read(db):
    seen: set[str] = set()

    def note(_conn, _cursor, statement, *_rest) -> None:
        seen.update(t for t in _NAMED.findall(statement) if t in TABLES)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def test_each_page_names_every_table_it_reads(window, demo_db):
    for key in window.pages:
        page = window.pages[key]
        window.records_changed(frozenset(TABLES))  # the findings too are read again
        with tables_read(demo_db) as seen:
            page.stale = True
            window.show_page(key)
        assert page.reads is not None and page.reads <= TABLES, key
        assert seen, key
        unnamed = seen - page.reads - NOT_SHOWN
        assert not unnamed, f"the {key} page reads {sorted(unnamed)} without naming them in its reads"


def test_the_checks_name_every_table_they_read(demo_db):
    with tables_read(demo_db) as seen:
        for quarter in (1, 2, 3, 4):
            perform(demo_db, lambda s, q=quarter: run_checks(s, Period(2026, q), today=TODAY))
    assert CHECKED <= TABLES
    assert seen - NOT_SHOWN <= CHECKED, sorted(seen - NOT_SHOWN - CHECKED)


def _save_from_form(win, rtype, record_id, field: str) -> None:
    form = edit_record_dialog(win, rtype, record_id, exec_=False)
    editor = form.editors[field]
    editor.set_value(f"{editor.raw() or ''}改")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted


def test_an_action_refreshes_the_pages_that_show_what_it_wrote_and_no_other(window, demo_db, monkeypatch):
    refreshed: list[str] = []
    for key in ("tasks", "projects", "beds", "history"):
        page = window.show_page(key)
        monkeypatch.setattr(page, "refresh", lambda k=key, r=page.refresh: (refreshed.append(k), r())[1])
    window.show_page("tasks")
    with demo_db.reading() as session:
        task_id = session.scalars(select(KeyTask.id).limit(1)).one()
        project_id = session.scalars(select(Project.id).limit(1)).one()
    findings = window._findings
    titled: list[bool] = []
    monkeypatch.setattr(window, "_update_title", lambda: titled.append(True))

    _save_from_form(window, TASK, task_id, "content")  # the 重点任务 page is the one shown
    assert refreshed == ["tasks"]
    assert not titled  # the title (the area, and whether there are any records) is as it was
    assert window.pages["tasks"].model.rows[[r.id for r in window.pages["tasks"].model.rows].index(task_id)]
    assert not window.pages["projects"].stale and not window.pages["beds"].stale
    assert window.pages["history"].stale  # the history lists every change
    assert window._findings is None or window._findings is not findings  # a task is judged: checked again

    window.show_page("projects")
    assert refreshed == ["tasks"]  # nothing it shows was written: it keeps its rows
    window.show_page("history")
    assert refreshed == ["tasks", "history"]

    window.show_page("tasks")
    _save_from_form(window, PROJECT, project_id, "contact")  # from the 重点任务 page: it is not read again
    assert refreshed == ["tasks", "history"]
    assert window.pages["projects"].stale and not window.pages["beds"].stale
    window.show_page("projects")
    assert refreshed == ["tasks", "history", "projects"]

    from desktop.records.types import FACILITY

    with demo_db.reading() as session:
        facility_id = session.scalars(select(FACILITY.model.id).limit(1)).one()
    _save_from_form(window, FACILITY, facility_id, "name")  # its name is on the beds page, not on the task list
    assert not titled and window.pages["beds"].stale and not window.pages["tasks"].stale

    from desktop.records.types import DIVISION

    with demo_db.reading() as session:
        division_id = session.scalars(select(DIVISION.model.id).limit(1)).one()
    _save_from_form(window, DIVISION, division_id, "name")  # a division's name may be the area's, in the title
    assert titled == [True]


def test_a_reading_session_refuses_to_write(demo_db):
    from db.models import CountyProfile

    with demo_db.reading() as session:
        session.scalars(select(CountyProfile)).one().bureau_name = "改"
        with pytest.raises(RuntimeError, match="reading session"):
            session.flush()


def test_an_action_says_which_tables_it_wrote(demo_db):
    from desktop.records.editing import update_record

    with demo_db.reading() as session:
        task_id = session.scalars(select(KeyTask.id).limit(1)).one()
    done = perform(demo_db, lambda s: update_record(s, TASK, task_id, {"content": "新的内容"}, user="t"))
    assert done.changed == {"key_tasks", HISTORY}
    nothing = perform(demo_db, lambda s: update_record(s, TASK, task_id, {"content": "新的内容"}, user="t"))
    assert nothing.changed == frozenset()


@pytest.mark.parametrize("key", ["settings", "beds", "dashboard", "exchange"])
def test_a_page_with_several_parts_reads_them_in_one_transaction(window, demo_db, monkeypatch, key):
    """Its parts see one state of the records, and a server is asked to begin (and to check its key) once."""
    from db.engine import Database

    window.show_page("history")
    window.records_changed(frozenset(TABLES))  # every page to be read again when next shown
    opened: list[bool] = []
    session = Database.session
    monkeypatch.setattr(Database, "session", lambda self: (opened.append(True), session(self))[1])
    window.show_page(key)
    assert len(opened) == 1
