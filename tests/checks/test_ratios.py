"""County resource ratios: exact values from the records, and each rule at its limit."""

from __future__ import annotations

import datetime as dt

import pytest

from db.models import Indicator, Plan
from desktop.indicators import resource_indicators
from desktop.norms import ensure_defaults, norms_in_force
from desktop.snapshot import Snapshot

from .conftest import AS_OF

RATIO_RULES = [
    "ratio_beds",
    "ratio_physicians",
    "ratio_nurses",
    "ratio_gps",
    "ratio_public_health_staff",
    "ratio_tcm_beds",
    "ratio_tcm_physicians",
    "ratio_psychiatrists",
    "ratio_private_beds",
]


@pytest.fixture
def small_county(world):
    """10,000 residents; a hospital of 75 beds (10 TCM); staff of every kind counted by a ratio."""
    world.add_village("甲村", resident=6000)
    world.add_village("乙村", resident=4000)
    hospital = world.add_facility("清溪县人民医院", "county_hospital", open_beds=75, tcm_beds=10)
    world.add_facility("清溪县仁爱医院", "private_hospital", ownership="private", open_beds=25)
    cdc = world.add_facility("清溪县疾病预防控制中心", "cdc")
    for _ in range(30):
        world.add_person(hospital, category="physician")
    world.add_person(hospital, category="physician", gp_registered=True)
    world.add_person(hospital, category="physician", practice_category="tcm")
    world.add_person(hospital, category="physician", psychiatry_registered=True)
    for _ in range(40):
        world.add_person(hospital, category="nurse", sex="F")
    for _ in range(8):
        world.add_person(cdc, category="public_health")
    world.add_person(cdc, category="admin")  # not a health technician
    world.add_person(hospital, category="nurse", status="left", status_reason="辞职", status_date=dt.date(2026, 3, 1))
    return world


def test_values_are_computed_from_the_records(small_county, session):
    values = resource_indicators(Snapshot(session, AS_OF), 2026)
    got = {k: round(v.value, 4) for k, v in values.items()}
    assert got == {
        "beds_per_1000": 10.0,  # (75 + 25) / 10,000 * 1000
        "physicians_per_1000": 3.3,
        "nurses_per_1000": 4.0,  # the nurse who left in March is not counted
        "gps_per_10000": 1.0,
        "public_health_staff_per_1000": 0.8,
        "tcm_beds_per_10000": 10.0,
        "tcm_physicians_per_10000": 1.0,
        "psychiatrists_per_100000": 10.0,
        "private_bed_share": 25.0,
    }


def test_staff_who_left_after_the_check_date_still_count(small_county, session):
    values = resource_indicators(Snapshot(session, dt.date(2026, 2, 1)), 2026)
    assert values["nurses_per_1000"].value == pytest.approx(4.1)


def test_no_population_cannot_compute(world, session):
    world.add_facility("清溪县人民医院", "county_hospital", open_beds=75)
    values = resource_indicators(Snapshot(session, AS_OF), 2026)
    assert values["beds_per_1000"].value is None and "缺少2026年常住人口" in values["beds_per_1000"].reason
    world.add_village("空村", resident=0)
    values = resource_indicators(Snapshot(session, AS_OF), 2026)
    assert values["beds_per_1000"].value is None and "为0" in values["beds_per_1000"].reason


@pytest.mark.parametrize(("beds", "found"), [(74, True), (75, False), (76, False)])
def test_beds_per_thousand_at_the_target(world, findings, beds, found):
    world.add_village("甲村", resident=10_000)
    world.add_facility("清溪县人民医院", "county_hospital", open_beds=beds)
    result = findings("ratio_beds")
    assert bool(result) is found
    if found:
        # 2026 lies after the 十四五 plan, the only one a new database has: its 2025 targets carry on, and say so
        said = "清溪县2026年每千人口医疗卫生机构床位数为7.4张/千人，低于“十四五”规划2025年目标值7.5。"
        assert result[0].message == said
        assert result[0].where.kind == "county"


@pytest.mark.parametrize("rule", RATIO_RULES)
def test_every_ratio_rule_at_its_limit(small_county, session, findings, rule):
    """The threshold is the target of the plan judging the year: a 十五五 plan's target set at the measured value,
    just above it and just below it."""
    ensure_defaults(session)
    code = norms_in_force(session, AS_OF)[rule].params["indicator"]
    value = resource_indicators(Snapshot(session, AS_OF), 2026)[code].value
    plan = Plan(name="十五五", start_year=2026, end_year=2030)
    target = Indicator(code=code, name="指标", domain="卫生资源", unit="", attribute="expected", direction="at_least",
                       computed_by=code, target_year=2030)  # fmt: skip
    plan.indicators.append(target)
    session.add(plan)
    for minimum, expected in ((value, 0), (value + 0.01, 1), (value - 0.01, 0)):
        target.target_value = minimum
        session.flush()
        result = findings(rule)
        assert len(result) == expected, minimum
        if result:
            assert "低于“十五五”规划2030年目标值" in result[0].message
