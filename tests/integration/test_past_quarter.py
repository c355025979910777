"""A past quarter stays as it was: a facilities import made today that changes bed counts leaves 2026Q3's bed
sheet cell for cell as it was, while the quarter running shows the new beds; a change said to hold from an
earlier day moves the quarters from that day on."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import Facility
from desktop.cli import main
from desktop.excel.importer import run_import
from desktop.excel.templates import fill_template
from desktop.figures import headline_figures
from desktop.periods import Period
from desktop.records.editing import RecordError, update_record
from desktop.records.types import FACILITY
from desktop.snapshot import Snapshot


def _cells(path) -> list[tuple]:
    return [tuple(c.value for c in row) for row in load_workbook(path).worksheets[0].iter_rows()]


def _export_beds(db, period: str, out, sheet: str = "beds") -> list[tuple]:
    assert main(["export", sheet, "--db", str(db.target), "--period", period, "--out", str(out)]) == 0
    return _cells(out)


def test_an_import_made_today_leaves_the_past_quarter_as_it_was(demo_db, tmp_path, capsys):
    today = dt.date.today()
    current = Period.quarter_of(today)
    before = _export_beds(demo_db, "2026Q3", tmp_path / "before.xlsx")
    ratios = _export_beds(demo_db, "2026Q3", tmp_path / "ratios-before.xlsx", "indicators")  # beds per 1,000 too
    with demo_db.session() as s:
        figures_before = headline_figures(s, Period(2026, 3), findings=False, subsidies=False)
        fill_template(s, "facilities", tmp_path / "机构.xlsx")
        s.commit()

    wb = load_workbook(tmp_path / "机构.xlsx")
    ws = wb["数据"]
    header = [c.value for c in ws[1]]
    beds, kind = header.index("实有床位（张）"), header.index("机构类别*")
    changed = 0
    for row in ws.iter_rows(min_row=3):
        if row[kind].value == "乡镇卫生院" and changed < 5:
            row[beds].value = (row[beds].value or 0) + 17
            changed += 1
    wb.save(tmp_path / "机构.xlsx")
    report = run_import(demo_db, "facilities", tmp_path / "机构.xlsx", user="测试")
    assert not report.problems and report.written == changed == 5

    after = _export_beds(demo_db, "2026Q3", tmp_path / "after.xlsx")
    assert after == before
    assert _export_beds(demo_db, "2026Q3", tmp_path / "ratios-after.xlsx", "indicators") == ratios
    with demo_db.session() as s:
        figures_after = headline_figures(s, Period(2026, 3), findings=False, subsidies=False)
        now = headline_figures(s, current, today=today, findings=False, subsidies=False)
    assert figures_after.open_beds == figures_before.open_beds
    assert now.open_beds == figures_before.open_beds + 5 * 17  # the quarter running has the new beds
    capsys.readouterr()


def test_equipment_and_villages_served_changed_today_leave_the_past_quarter_as_it_was(demo_db):
    with demo_db.session() as s:
        centre = s.scalars(select(Facility).where(Facility.kind == "thc").order_by(Facility.id)).first()
        past, now = (Snapshot(s, day) for day in (dt.date(2026, 9, 30), dt.date.today()))
        served, kit = list(past.service_area[centre.id]), dict(past.equipment[centre.id])
        assert len(served) > 1 and kit
        item = next(iter(kit))
        one_fewer = {"service_area": served[1:], f"equipment_{item}": kit[item] + 2}
        update_record(s, FACILITY, centre.id, one_fewer, user="测试")
        s.commit()
        past, now = (Snapshot(s, day) for day in (dt.date(2026, 9, 30), dt.date.today()))
        assert sorted(past.service_area[centre.id]) == sorted(served) and past.equipment[centre.id] == kit
        assert sorted(now.service_area[centre.id]) == sorted(served[1:])
        assert now.equipment[centre.id][item] == kit[item] + 2


def test_a_change_said_to_hold_from_an_earlier_day_moves_the_quarters_from_it(demo_db):
    with demo_db.session() as s:
        centre = s.scalars(select(Facility).where(Facility.kind == "thc").order_by(Facility.id)).first()
        beds = centre.open_beds
        update_record(s, FACILITY, centre.id, {"open_beds": beds + 10}, user="测试", effective_on=dt.date(2026, 8, 1))
        s.commit()
        by_quarter = {
            q: headline_figures(s, Period(2026, q), today=dt.date(2026, 11, 23), findings=False, subsidies=False)
            for q in (2, 3, 4)
        }
    assert by_quarter[3].open_beds == by_quarter[4].open_beds == by_quarter[2].open_beds + 10


def test_a_change_dated_before_a_later_change_of_the_same_field_is_refused(demo_db):
    """The record keeps one value per field: a correction said to hold from before a later change would lose that
    change's value. The clerk is told from which day it may hold, and nothing changes."""
    with demo_db.session() as s:
        centre = s.scalars(select(Facility).where(Facility.kind == "thc").order_by(Facility.id)).first()
        beds = centre.open_beds
        update_record(s, FACILITY, centre.id, {"open_beds": beds + 20}, user="测试", effective_on=dt.date(2026, 10, 5))
        s.commit()
        with pytest.raises(RecordError) as refused:
            update_record(
                s, FACILITY, centre.id, {"open_beds": beds + 5}, user="测试", effective_on=dt.date(2026, 9, 30)
            )
        s.rollback()
        assert "已有自2026年10月5日起生效的修改" in refused.value.errors["open_beds"]
        assert s.get(Facility, centre.id).open_beds == beds + 20
        update_record(s, FACILITY, centre.id, {"open_beds": beds + 25}, user="测试", effective_on=dt.date(2026, 10, 5))
