"""The bed band: DOMAIN.md's worked examples and the band's edges."""

from __future__ import annotations

import pytest

from desktop.checks.beds import bed_band

PARAMS = dict(low=0.6, high=1.2, floor=20)


@pytest.mark.parametrize(
    ("rural", "cap", "band"),
    [
        (10_000, 100, (20, 20)),
        (50_000, 100, (30, 60)),
        (150_000, 100, (90, 100)),
        (150_000, 150, (90, 150)),
        (200_000, 150, (120, 150)),
        (300_000, 150, (150, 150)),
        (0, 100, (20, 20)),
    ],
)
def test_band(rural, cap, band):
    assert bed_band(rural, cap=cap, **PARAMS) == pytest.approx(band)


@pytest.mark.parametrize(
    ("rural", "beds", "kind", "verdict"),
    [
        (10_000, 20, "thc", None),  # exactly 20 beds for 10,000 people is within, not "over 1.2 per thousand"
        (50_000, 25, "thc", "under"),  # lower limit 30
        (150_000, 110, "thc", "over"),  # over the cap of 100
        (150_000, 110, "central_thc", None),  # band 90-150
        (200_000, 110, "central_thc", "under"),  # band 120-150
    ],
)
def test_domain_examples(world, findings, rural, beds, kind, verdict):
    world.add_centre(beds, rural, kind=kind)
    found = findings("bed_band")
    assert [f.details["verdict"] for f in found] == ([verdict] if verdict else [])


@pytest.mark.parametrize(
    ("beds", "verdict"), [(29, "under"), (30, None), (31, None), (59, None), (60, None), (61, "over")]
)
def test_edges_of_the_band(world, findings, beds, verdict):
    world.add_centre(beds, 50_000)
    found = findings("bed_band")
    assert [f.details["verdict"] for f in found] == ([verdict] if verdict else [])


def test_elderly_care_beds_count_as_open_beds(world, findings):
    world.add_centre(25, 50_000, elderly_care_beds=5)
    assert findings("bed_band") == []


def test_the_finding_reads_as_a_sentence(world, findings):
    world.add_centre(18, 32_000, name="桃源镇卫生院")
    (f,) = findings("bed_band")
    assert f.message.startswith("桃源镇卫生院实有床位 18 张，低于按服务范围乡村人口 3.2 万测算的下限 20 张")
    assert f.measured == 18 and f.limit == {"lower": 20, "upper": 38.4}
    assert f.where.kind == "facility" and f.where.township == "桃源镇"
    assert "区府办字〔2020〕56号" in f.source and f.period == "2026Q3"


def test_resident_population_stands_in_for_missing_rural_and_says_so(world, findings, session):
    from db.models import DivisionPopulation

    centre = world.add_centre(18, 50_000)
    pop = session.query(DivisionPopulation).one()
    pop.rural = None
    session.flush()
    (f,) = findings("bed_band")
    assert "以常住人口代替" in f.message and f.details["resident_stood_in"]
    assert centre.name in f.message


def test_closed_centres_and_other_kinds_are_not_checked(world, findings):
    world.add_centre(5, 50_000, status="closed", status_reason="撤并")
    world.add_centre(5, 50_000, kind="county_hospital", name="清溪县人民医院")
    assert findings("bed_band") == []


def test_missing_data_is_a_finding_not_a_crash(world, findings):
    no_area = world.add_facility("无服务范围卫生院", "thc", open_beds=30)
    village = world.add_village("无人口村", resident=None)
    world.add_facility("缺人口卫生院", "thc", serves=[village], open_beds=30)
    assert findings("bed_band") == []
    (missing_area,) = findings("data_service_area_missing")
    assert missing_area.where.id == no_area.id
    by_kind = {f.where.kind: f for f in findings("data_population_missing")}
    township, county = by_kind["township"], by_kind["county"]
    assert "无人口村" in township.message and "2026年" in township.message and township.where.kind == "township"
    assert county.where.kind == "county" and "无法计算" in county.message


def test_zero_population_cannot_compute(world, findings):
    world.add_centre(30, 0)
    assert findings("bed_band") == []
    messages = [f.message for f in findings("data_population_missing")]
    assert any("无法计算" in m for m in messages)
    assert findings("ratio_beds") == []
