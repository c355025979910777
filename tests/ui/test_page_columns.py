"""Each page's list, as its columns show the core's rows, read with no window: on the demo county every column
says something for some row, a column of a field bears the field's label, and the cells say what the core says."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.checks.beds import bed_rows
from desktop.checks.runner import run_checks
from desktop.indicators import indicator_table
from desktop.lists import StaffList, facility_rows, project_rows, task_rows
from desktop.norms import ensure_defaults, norms_in_force
from desktop.operations import perform
from desktop.periods import Period
from desktop.snapshot import Snapshot
from desktop.ui.pages import beds, facilities, findings, indicators, projects, staff, tasks

PERIOD, TODAY = Period(2026, 3), dt.date(2026, 11, 23)


def _beds(session):
    as_of = Period(2026).as_of(TODAY)
    return bed_rows(Snapshot(session, as_of), 2026, norms_in_force(session, as_of)["bed_band"])


ROWS = {  # each page's module, and the rows its refresh asks the core for
    "facilities": (facilities, lambda s: facility_rows(s, TODAY)),
    "staff": (staff, lambda s: StaffList(s, TODAY, full_ids=False).rows),
    "beds": (beds, _beds),
    "projects": (projects, lambda s: project_rows(s, PERIOD, today=TODAY)),
    "tasks": (tasks, lambda s: task_rows(s, PERIOD, today=TODAY)),
    "indicators": (indicators, lambda s: indicator_table(s, 2026, today=TODAY)),
    "findings": (findings, lambda s: run_checks(s, PERIOD, today=TODAY).findings),
}
# Columns empty on every row of the demo county: the county column of one county's lists (shown only in a city's),
# and the practising-certificate number, which the demo gives no one.
EMPTY_IN_THE_DEMO = {
    ("facilities", "县（市、区）"), ("staff", "县（市、区）"), ("findings", "县（市、区）"), ("staff", "执业证书编码"),
}  # fmt: skip


@pytest.fixture
def shown(demo_db):
    """Each page's columns and the texts they give for every row of the demo county."""
    perform(demo_db, ensure_defaults)  # as the window does when it opens a database
    out = {}
    for key, (module, rows_of) in ROWS.items():
        with demo_db.reading() as session:
            rows = rows_of(session)
        columns = module.columns()
        out[key] = (columns, rows, [[c.text(r) for c in columns] for r in rows])
    return out


@pytest.mark.parametrize("key", list(ROWS))
def test_every_column_shows_something_on_the_demo_county(shown, key):
    columns, rows, texts = shown[key]
    assert rows, key
    labels = [c.label for c in columns]
    assert len(set(labels)) == len(labels), labels
    for j, column in enumerate(columns):
        if (key, column.label) in EMPTY_IN_THE_DEMO:
            continue
        assert any(row[j] for row in texts), f"the {key} list's column {column.label} is empty on every row"
        if column.field is not None:
            assert column.label == column.field.header


def test_the_cells_say_what_the_records_say(shown):
    columns, rows, texts = shown["tasks"]
    at = {c.label: j for j, c in enumerate(columns)}
    for row, cells in zip(rows, texts, strict=True):
        assert cells[at["责任人"]] == row.responsible_person
        assert cells[at["推进状态"]] == row.status_label
        assert cells[at["预警"]] == ("逾期" if row.overdue else "本期未更新" if row.stale else "")
    columns, rows, texts = shown["staff"]
    at = {c.label: j for j, c in enumerate(columns)}
    for row, cells in zip(rows, texts, strict=True):
        assert cells[at["身份证号码"]] == row.masked_id and "*" in row.masked_id  # never the whole number here
    columns, rows, texts = shown["facilities"]
    at = {c.label: j for j, c in enumerate(columns)}
    assert {cells[at["机构类别"]] for cells in texts} >= {"乡镇卫生院", "村卫生室"}
