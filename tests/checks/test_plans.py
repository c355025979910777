"""Plans as data: a bureau enters its 十五五 plan from its own sheets, and 2026's indicator table and ratio checks
both judge by it; the year a plan judges; an older database's indicators kept as the 十四五 plan."""

from __future__ import annotations

import json
import sqlite3

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from db import open_database
from db.models import Change, Indicator, Plan
from desktop.excel.importer import run_import
from desktop.indicators import indicator_table
from desktop.norms import ensure_defaults
from desktop.plans import plan_in_force
from desktop.records.editing import create_record
from desktop.records.types import PLAN

from .conftest import TODAY


def _sheet(path, header, *rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["清溪县“十五五”卫生健康事业发展规划主要指标"])  # a title line above the table, as bureaus write
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def county(world, session):
    """10,000 residents, a hospital of 75 beds and 45 nurses: 7.5 beds and 4.5 nurses per 1,000."""
    world.add_village("甲村", resident=6000)
    world.add_village("乙村", resident=4000)
    hospital = world.add_facility("清溪县人民医院", "county_hospital", open_beds=75)
    for _ in range(45):
        world.add_person(hospital, category="nurse", sex="F")
    session.commit()
    return world


def test_a_15th_plan_entered_from_the_bureaus_sheets_judges_2026_in_the_table_and_the_checks(
    county, db, session, findings, tmp_path
):
    plans = _sheet(
        tmp_path / "规划.xlsx",
        ["规划名称", "起始年度", "终止年度", "规划文件"],
        ["十五五", 2026, 2030, "《清溪县“十五五”卫生健康事业发展规划》"],
    )
    header = [
        "所属规划",
        "领域",
        "指标名称",
        "单位",
        "基期年度",
        "基期值",
        "目标年度",
        "目标值",
        "方向",
        "属性",
        "由台账计算",
    ]
    indicators = _sheet(
        tmp_path / "指标.xlsx",
        header,
        [
            "十五五",
            "卫生资源",
            "每千人口医疗卫生机构床位数",
            "张",
            2025,
            7.2,
            2030,
            8,
            "≥",
            "预期性",
            "每千人口医疗卫生机构床位数",
        ],
        [
            "十五五",
            "卫生资源",
            "每千人口注册护士数",
            "人",
            2025,
            4.1,
            2030,
            4.2,
            "不低于",
            "预期性",
            "每千人口注册护士数",
        ],
        ["十五五", "健康水平", "人均预期寿命", "岁", 2025, 77.3, 2030, 78, "不低于", "预期性", None],
    )
    for kind, path in (("plans", plans), ("indicators", indicators)):
        report = run_import(db, kind, path, user="测试")
        assert not report.problems, report.problems
    session.expire_all()

    plan = plan_in_force(session, 2026)
    assert (plan.name, plan.carried) == ("十五五", False)
    assert plan.note() == "2026年按“十五五”规划（2026～2030年）的目标值判定。"
    rows = {r.name: r for r in indicator_table(session, 2026, today=TODAY)}
    assert set(rows) == {"每千人口医疗卫生机构床位数", "每千人口注册护士数", "人均预期寿命"}
    beds, nurses = rows["每千人口医疗卫生机构床位数"], rows["每千人口注册护士数"]
    assert (beds.value, beds.target_value, beds.verdict) == (pytest.approx(7.5), 8, "not_met")
    assert (nurses.value, nurses.target_value, nurses.verdict) == (pytest.approx(4.5), 4.2, "met")
    (found,) = findings("ratio_beds")
    assert found.message == "清溪县2026年每千人口医疗卫生机构床位数为7.5张/千人，低于“十五五”规划2030年目标值8。"
    assert found.source == "《清溪县“十五五”卫生健康事业发展规划》"
    assert findings("ratio_nurses") == []
    assert findings("ratio_gps") == []  # the 十五五 plan sets no target for it: nothing to judge by
    # 2025 is still the 十四五 plan's year: its 7.5 beds target is met exactly
    assert plan_in_force(session, 2025).name == "十四五"
    assert findings("ratio_beds", "2025Q4") == []


def test_the_plan_that_judges_a_year(session):
    assert plan_in_force(session, 2020) is None  # before every plan: nothing to judge by
    assert plan_in_force(session, 2023).name == "十四五"
    carried = plan_in_force(session, 2027)
    assert carried.name == "十四五" and carried.carried
    assert carried.note().startswith("2027年不在已录入的规划期内，沿用“十四五”规划（2021～2025年）的目标值")
    create_record(session, PLAN, {"name": "十五五", "start_year": "2026", "end_year": "2030"}, user="测试")
    create_record(session, PLAN, {"name": "中期调整", "start_year": "2023", "end_year": "2025"}, user="测试")
    assert plan_in_force(session, 2027).name == "十五五"
    assert plan_in_force(session, 2024).name == "中期调整"  # two plans hold the year: the later-starting one
    assert plan_in_force(session, 2031).name == "十五五"


def test_an_older_database_keeps_its_indicators_as_the_14th_plan(tmp_path):
    """Upgrading: the indicators held become the 十四五 plan's (none is added beside them), and a ratio rule's own
    minimum leaves the rule, the history keeping a bureau's own."""
    path = tmp_path / "old.db"
    open_database(path, to_revision="0016").close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO indicators (code, name, domain, unit, target_year, target_value, attribute, direction, "
        "computed_by, position) VALUES ('beds_per_1000', '每千人口床位数', '卫生资源', '张', 2025, 7.5, 'expected', "
        "'at_least', 'beds_per_1000', 0)"
    )
    conn.commit()
    conn.close()
    db = open_database(path, to_revision="0016")
    with db.session() as s:
        ensure_defaults(s)
        s.commit()
    db.close()
    conn = sqlite3.connect(path)
    for key, minimum in (("ratio_beds", 8.5), ("ratio_nurses", 4.0)):  # the bureau's own beds; the default nurses
        conn.execute(
            "UPDATE norm_versions SET params = ? WHERE rule_id = (SELECT id FROM norm_rules WHERE key = ?)",
            (json.dumps({"indicator": key.replace("ratio_", "") + "_per_1000", "min": minimum}), key),
        )
    conn.commit()
    conn.close()

    db = open_database(path)
    with db.session() as s:
        (plan,) = s.scalars(select(Plan)).all()
        assert (plan.name, plan.start_year, plan.end_year) == ("十四五", 2021, 2025)
        assert [i.code for i in s.scalars(select(Indicator))] == ["beds_per_1000"]
        kept = s.scalars(select(Change).where(Change.table_name == "norm_versions")).all()
        assert len(kept) == 1 and kept[0].old_values == {"min": 8.5} and "ratio_beds" in kept[0].reason
    db.close()
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT r.key, v.params FROM norm_versions v JOIN norm_rules r ON r.id = v.rule_id WHERE r.key LIKE 'ratio_%'"
    ).fetchall()
    conn.close()
    assert rows and all("min" not in json.loads(p) for _k, p in rows)
