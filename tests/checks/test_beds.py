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
    # 0.6 per thousand of 32,000 is 19.2 beds: the limit is the floor, and is named so
    assert f.message == "桃源镇卫生院实有床位18张，低于最低配置20张（应配置20～38张），配置不足。"
    assert f.measured == 18 and f.limit == {"lower": 20, "upper": 38}
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


def test_no_rural_people_is_a_figure_and_the_floor_applies(world, findings):
    """A community whose service area has no rural people at all is judged on the floor, not "缺少人口数据"."""
    world.add_centre(30, 0, kind="chsc", name="东街社区卫生服务中心")
    (f,) = findings("bed_band")
    assert f.details["verdict"] == "over" and f.limit == {"lower": 20, "upper": 20}
    assert f.message == (
        "东街社区卫生服务中心实有床位30张，服务范围乡村人口0万人按每千人1.2张测算不足20张，应按最低20张配置，配置过多。"
    )
    assert findings("ratio_beds") == []  # a county of no people has no beds per thousand people


@pytest.mark.parametrize(
    ("rural", "beds", "verdict", "band", "said"),
    [
        # 0.6 x 40,010 = 24.006 beds: 24 is under, and the limit printed is 25, not 24
        (40_010, 24, "under", (25, 48), "低于按服务范围乡村人口4万人测算的下限25张（应配置25～48张）"),
        (40_010, 25, None, (25, 48), None),
        # 1.2 x 18,300 = 21.96 beds: 22 is over, and the limit printed is 21, not 22
        (18_300, 22, "over", (20, 21), "高于按服务范围乡村人口1.83万人测算的上限21张（应配置20～21张）"),
        (18_300, 21, None, (20, 21), None),
        # 0.6 x 40,000 is 24.000000000000004 in floating point: 24 beds are enough
        (40_000, 24, None, (24, 48), None),
        (16_400, 21, "over", (20, 20), "按每千人1.2张测算不足20张，应按最低20张配置"),
    ],
)
def test_a_fractional_band_is_judged_and_printed_in_whole_beds(world, findings, rural, beds, verdict, band, said):
    world.add_centre(beds, rural)
    found = findings("bed_band")
    assert [f.details["verdict"] for f in found] == ([verdict] if verdict else [])
    for f in found:
        assert said in f.message and f.limit == {"lower": band[0], "upper": band[1]}
        assert (band[0] if verdict == "under" else band[1]) != beds  # never a limit that agrees with the beds


def test_a_service_area_with_villages_lacking_the_years_population_is_not_judged(world, findings, session):
    """Judged on part of its people, a centre would look over-equipped: it is not judged, and the data rule says
    which villages lack the figure."""
    counted = world.add_village("有人口村", resident=2000, rural=2000)
    missing = world.add_village("缺人口村", resident=None)
    world.add_facility("半数卫生院", "thc", serves=[counted, missing], open_beds=40)
    assert findings("bed_band") == []
    import datetime as dt

    from desktop.checks.beds import bed_rows
    from desktop.norms import ensure_defaults, norms_in_force
    from desktop.snapshot import Snapshot

    ensure_defaults(session)
    as_of = dt.date(2026, 9, 30)
    (row,) = bed_rows(Snapshot(session, as_of), 2026, norms_in_force(session, as_of)["bed_band"])
    assert row.verdict == "partial_population" and row.missing == ("缺人口村",) and row.lower is None
    assert any("缺人口村" in f.message for f in findings("data_population_missing"))
