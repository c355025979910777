"""Divisions kept by hand: add, rename, merge a township into another, mark remote, a year's population at once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.models import Change, Division, DivisionPopulation, Facility, KeyTask, ServiceArea
from desktop.division_editing import (
    PopulationError,
    add_division,
    division_rows,
    merge_township,
    next_free_code,
    rename_division,
    save_populations,
    set_remote,
)
from desktop.division_setup import set_up_area, update_area
from desktop.records.editing import RecordError

USER = "老王"


@pytest.fixture
def county(db):
    set_up_area(db, "430922", user=USER)
    return db


def _townships(s) -> list[Division]:
    return list(s.scalars(select(Division).where(Division.kind.in_(("township", "street"))).order_by(Division.code)))


def _villages(s, township: Division) -> list[Division]:
    return list(s.scalars(select(Division).where(Division.parent_id == township.id).order_by(Division.code)))


def test_a_village_is_added_under_its_township_with_the_next_free_code(county):
    with county.session() as s:
        township = _townships(s)[0]
        last = _villages(s, township)[-1].code
        code = next_free_code(s, township.id)
        assert code[:9] == township.code[:9] and int(code[9:]) == int(last[9:]) + 1
        village = add_division(s, township.id, name="新建村", kind="village", code=code, user=USER)
        s.commit()
        assert (village.parent_id, village.withdrawn_on) == (township.id, None)
        change = s.scalars(select(Change).where(Change.table_name == "divisions", Change.row_id == village.id)).one()
        assert change.action == "insert" and change.new_values["code"] == code
    # the official list does not know it: an update leaves it alone
    assert not update_area(county, "430922", user=USER).withdrawn


def test_a_bad_new_division_is_refused_with_its_reasons(county):
    with county.session() as s:
        first, second = _townships(s)[:2]
        existing = _villages(s, first)[0]
        cases = [
            (dict(name="甲村", kind="village", code="12345"), "code", "12 位数字"),
            (dict(name="甲村", kind="village", code=second.code[:9] + "998"), "code", f"以 {first.code[:9]} 开头"),
            (dict(name="甲村", kind="village", code=existing.code), "code", f"已是“{existing.name}”的代码"),
            (dict(name="甲村", kind="village", code=first.code[:9] + "000"), "code", "非零编号"),
            (dict(name=existing.name, kind="village", code=first.code[:9] + "998"), "name", "之下已有"),
            (dict(name="  ", kind="village", code=first.code[:9] + "998"), "name", "请填写名称"),
            (dict(name="甲镇", kind="township", code=first.code[:9] + "998"), "kind", "只能新增行政村或社区"),
        ]
        for values, field, words in cases:
            with pytest.raises(RecordError) as err:
                add_division(s, first.id, user=USER, **values)
            assert field in err.value.errors and words in err.value.errors[field], (values, err.value.errors)


def test_a_rename_is_kept_in_the_history(county):
    with county.session() as s:
        village = _villages(s, _townships(s)[0])[0]
        old = village.name
        rename_division(s, village.id, "幸福村", user=USER)
        s.commit()
        change = s.scalars(select(Change).where(Change.table_name == "divisions", Change.row_id == village.id)).one()
        assert (change.old_values, change.new_values) == ({"name": old}, {"name": "幸福村"})
        sibling = _villages(s, _townships(s)[0])[1]
        with pytest.raises(RecordError, match="同级已有“幸福村”"):
            rename_division(s, sibling.id, "幸福村", user=USER)


def test_the_remote_mark_toggles(county):
    with county.session() as s:
        township = _townships(s)[0]
        assert set_remote(s, township.id, True, user=USER)
        assert not set_remote(s, township.id, True, user=USER)  # nothing changed, nothing logged
        s.commit()
        assert s.get(Division, township.id).remote
        assert [r.shown for r in division_rows(s) if r.id == township.id] == [f"{township.name}（边远）"]


def test_a_merge_moves_villages_and_every_record_and_withdraws_the_township(county):
    with county.session() as s:
        source, target = _townships(s)[:2]
        moved = [v.id for v in _villages(s, source)]
        before_target = len(_villages(s, target))
        centre = Facility(name="甲乡卫生院", kind="thc", division_id=source.id, ownership="public", status="operating")
        other = Facility(name="乙镇卫生院", kind="thc", division_id=target.id, ownership="public", status="operating")
        s.add_all([centre, other])
        s.flush()
        s.add_all(
            [
                ServiceArea(facility_id=centre.id, division_id=source.id),
                ServiceArea(facility_id=other.id, division_id=source.id),
                ServiceArea(facility_id=other.id, division_id=target.id),
                KeyTask(ledger="台账", number="1", title="建", lead_unit="局", status="done", division_id=source.id),
                DivisionPopulation(division_id=source.id, year=2025, resident=1000, rural=800),
                DivisionPopulation(division_id=source.id, year=2026, resident=1100, rural=900),
                DivisionPopulation(division_id=target.id, year=2026, resident=2000, rural=None),
            ]
        )  # fmt: skip
        s.commit()
        summary = merge_township(s, source.id, target.id, user=USER, on=dt.date(2026, 12, 1))
        s.commit()
        assert f"已将{source.name}并入{target.name}" in summary.describe()
        assert summary.villages == len(moved) and summary.facilities == 1 and summary.tasks == 1
        s.expire_all()
        assert len(_villages(s, target)) == before_target + len(moved) and not _villages(s, source)
        assert s.get(Division, source.id).withdrawn_on == dt.date(2026, 12, 1)
        assert s.get(Facility, centre.id).division_id == target.id
        assert sorted(s.scalars(select(ServiceArea.division_id).where(ServiceArea.facility_id == other.id))) == [
            target.id
        ]
        assert s.scalars(select(ServiceArea.division_id).where(ServiceArea.facility_id == centre.id)).all() == [
            target.id
        ]
        assert s.scalars(select(KeyTask.division_id)).one() == target.id
        pops = {
            p.year: p for p in s.scalars(select(DivisionPopulation).where(DivisionPopulation.division_id == target.id))
        }
        assert (pops[2025].resident, pops[2025].rural) == (1000, 800)  # moved
        assert (pops[2026].resident, pops[2026].rural) == (3100, None)  # added; one side's rural unknown
        assert not s.scalars(select(DivisionPopulation).where(DivisionPopulation.division_id == source.id)).all()
        reasons = s.scalars(select(Change.reason).where(Change.reason.like("撤乡并镇%"))).all()
        assert len(reasons) >= len(moved) + 4
        # the merged township cannot be merged again, nor receive another
        with pytest.raises(RecordError, match="撤销"):
            merge_township(s, _townships(s)[2].id, source.id, user=USER)
    # the official list still names it, but an update must not undo the bureau's merge
    summary = update_area(county, "430922", user=USER)
    assert not summary.restored
    with county.session() as s:
        assert s.get(Division, source.id).withdrawn_on is not None


def test_a_merge_is_refused_where_village_names_clash(county):
    with county.session() as s:
        source, target = _townships(s)[:2]
        rename_division(s, _villages(s, source)[0].id, _villages(s, target)[0].name, user=USER)
        with pytest.raises(RecordError, match="已有同名的村"):
            merge_township(s, source.id, target.id, user=USER)
        with pytest.raises(RecordError, match="不能并入自身"):
            merge_township(s, source.id, source.id, user=USER)


def test_a_years_population_is_saved_in_one_go(county):
    with county.session() as s:
        a, b, c = _villages(s, _townships(s)[0])[:3]
        s.add(DivisionPopulation(division_id=c.id, year=2026, resident=500, registered=480))
        s.commit()
        done = save_populations(
            s,
            2026,
            {
                a.id: {"resident": "1,520", "registered": "1430"},
                b.id: {"resident": 980, "registered": "900", "rural": ""},
                c.id: {"registered": "490"},
            },
            user=USER,
        )
        s.commit()
        assert done == {"added": 2, "changed": 1}
        rows = {p.division_id: p for p in s.scalars(select(DivisionPopulation).where(DivisionPopulation.year == 2026))}
        assert (rows[a.id].resident, rows[a.id].registered) == (1520, 1430)
        assert (rows[b.id].resident, rows[b.id].rural) == (980, None)
        assert (rows[c.id].resident, rows[c.id].registered) == (500, 490)
        history = s.scalars(select(Change).where(Change.table_name == "division_populations")).all()
        assert sorted(c.action for c in history) == ["insert", "insert", "update"]


def test_bad_population_cells_are_all_reported_and_nothing_is_written(county):
    with county.session() as s:
        a, b, c = _villages(s, _townships(s)[0])[:3]
        with pytest.raises(PopulationError) as err:
            save_populations(
                s,
                2026,
                {
                    a.id: {"resident": "1,520", "registered": "一千"},
                    b.id: {"resident": "", "registered": "900"},
                    c.id: {"resident": "100", "rural": "120"},
                },
                user=USER,
            )
        s.rollback()
        cells = err.value.cells
        assert set(cells) == {(a.id, "registered"), (b.id, "resident"), (c.id, "rural")}
        assert "应为数字" in cells[(a.id, "registered")] and "不能为空" in cells[(b.id, "resident")]
        assert "不能多于常住人口" in cells[(c.id, "rural")]
        assert a.name in str(err.value)
        assert s.scalar(select(func.count()).select_from(DivisionPopulation)) == 0


def test_the_history_names_a_divisions_changes_in_chinese(county):
    from desktop.history import record_history

    with county.session() as s:
        source, target = _townships(s)[:2]
        set_remote(s, source.id, True, user=USER)
        merge_township(s, source.id, target.id, user=USER, on=dt.date(2026, 12, 1))
        s.commit()
        merged, remote = record_history(s, "divisions", source.id)
        assert (merged.table, merged.record) == ("行政区划", source.name)
        assert ("撤销日期", "", "2026-12-01") in merged.changes and ("并入", "", target.name) in merged.changes
        assert remote.changes == (("边远地区", "否", "是"),)
