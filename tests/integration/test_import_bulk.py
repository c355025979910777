"""A first day's roster imported as new people: written in batches, a batch the database refuses written again row
by row, so that the one bad row is a problem of its own and the file's other rows land as they would one by one."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, func, select, text

from db.models import Change, StaffLoan, StaffMember, Training
from desktop.excel import importer
from desktop.excel.importer import run_import
from desktop.excel.templates import DATA_SHEET, FIRST_DATA_ROW, fill_template

PEOPLE = 300  # a few batches of 100 (below); the refused one in the middle of the third
BAD = FIRST_DATA_ROW + 250


@pytest.fixture
def roster(demo_db, tmp_path):
    """The demo county's first PEOPLE people as a filled template, and the county without any staff."""
    path = tmp_path / "人员.xlsx"
    with demo_db.session() as s:
        fill_template(s, "staff", path, unmask=True)
        s.commit()
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    ws.delete_rows(FIRST_DATA_ROW + PEOPLE, ws.max_row)
    bad_number = ws.cell(BAD, _column(ws, "身份证号码")).value
    wb.save(path)
    with demo_db.engine.begin() as conn:  # past the session's guard: a person is never deleted through it
        conn.execute(delete(Training))
        conn.execute(delete(StaffLoan))
        conn.execute(delete(Change).where(Change.table_name.in_(("staff", "trainings", "staff_loans"))))
        conn.execute(delete(StaffMember))
        _refuse(conn, bad_number)
    return path, bad_number


def _column(ws, label: str) -> int:
    return next(c.column for c in ws[1] if str(c.value or "").rstrip("*") == label)


def _refuse(conn, number: str) -> None:
    """A rule only the database knows, that no check of the import sees: this person may not be inserted."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                f"CREATE TRIGGER refuse_one BEFORE INSERT ON staff WHEN NEW.id_number = '{number}' "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        )
    else:
        conn.execute(
            text(
                "CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF NEW.id_number = '{number}' THEN RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation'; "
                "END IF; RETURN NEW; END $$"
            )
        )
        conn.execute(
            text("CREATE TRIGGER refuse_one BEFORE INSERT ON staff FOR EACH ROW EXECUTE FUNCTION refuse_one()")
        )


def _stored(db):
    """Every person by ID number, and the history of staff in the order written, people named by ID number."""
    with db.session() as s:
        columns = [c for c in StaffMember.__table__.columns if c.name != "id"]
        people = {row.id_number: tuple(row) for row in s.execute(select(*columns))}
        number = dict(s.execute(select(StaffMember.id, StaffMember.id_number)).all())
        history = [
            (number[c.row_id], c.user, c.action, c.old_values, c.new_values, c.reason)
            for c in s.scalars(select(Change).where(Change.table_name == "staff").order_by(Change.id))
        ]
    return people, history


def test_a_row_the_database_refuses_is_a_problem_and_the_others_are_written_as_row_by_row(
    roster, demo_db, tmp_path, monkeypatch
):
    path, bad_number = roster
    monkeypatch.setattr(importer, "BATCH", 100)
    report = run_import(demo_db, "staff", path, user="科员", good_rows_only=True)
    assert [(p.row, p.column) for p in report.problems] == [(BAD, "")]
    assert "与数据库中已有的数据或规则冲突" in report.problems[0].message
    assert report.written == PEOPLE - 1
    in_batches = _stored(demo_db)
    assert len(in_batches[0]) == len(in_batches[1]) == PEOPLE - 1 and bad_number not in in_batches[0]

    # the same file into the same database, each row on its own (a batch of one is today's row-by-row path)
    with demo_db.engine.begin() as conn:
        conn.execute(delete(Change).where(Change.table_name == "staff"))
        conn.execute(delete(StaffMember))
    monkeypatch.setattr(importer, "BATCH", 1)
    one_by_one = run_import(demo_db, "staff", path, user="科员", good_rows_only=True)
    assert one_by_one.problems == report.problems and one_by_one.written == report.written
    assert _stored(demo_db) == in_batches


def test_with_a_problem_and_not_only_the_good_rows_nothing_is_written(roster, demo_db, monkeypatch):
    path, _bad_number = roster
    monkeypatch.setattr(importer, "BATCH", 100)
    report = run_import(demo_db, "staff", path, user="科员")
    assert [p.row for p in report.problems] == [BAD] and report.written == 0
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(StaffMember)) == 0
        assert s.scalar(select(func.count()).select_from(Change).where(Change.table_name == "staff")) == 0
