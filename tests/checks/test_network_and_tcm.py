"""TCM coverage and staffing, the village network and equipment, each at its limit."""

from __future__ import annotations

import datetime as dt

import pytest

THC_ITEMS = ["ambulance", "dr", "colour_ultrasound", "biochem_analyser"]


@pytest.mark.parametrize(
    ("kind", "hall", "found"),
    [("central_thc", "none", True), ("central_thc", "hall", False), ("chsc", "none", True), ("thc", "none", False)],
)
def test_tcm_hall(world, findings, kind, hall, found):
    world.add_centre(30, 30_000, kind=kind, tcm_hall=hall)
    assert bool(findings("tcm_hall")) is found


@pytest.mark.parametrize(("model", "found"), [(2, True), (3, False), (4, False)])  # of 20 halls: 10%, 15%, 20%
def test_model_hall_share(world, findings, model, found):
    for i in range(20):
        world.add_facility(f"第{i}卫生院", "thc", tcm_hall="model_hall" if i < model else "hall")
    result = findings("tcm_model_hall_share")
    assert bool(result) is found
    if found:
        assert "示范中医馆2个，占10%" in result[0].message


@pytest.mark.parametrize(("providing", "found"), [(2, True), (3, False), (4, False)])  # of 4: 50%, 75%, 100%
def test_village_tcm_service(world, findings, providing, found):
    for i in range(4):
        world.add_facility(f"第{i}村卫生室", "village_clinic", provides_tcm=i < providing)
    assert bool(findings("tcm_village_service")) is found


@pytest.mark.parametrize(("tcm", "found"), [(0, True), (1, False), (2, False)])
def test_tcm_physician_present(world, findings, tcm, found):
    centre = world.add_centre(30, 30_000)
    for _ in range(tcm):
        world.add_person(centre, practice_category="tcm")
    world.add_person(centre, practice_category="clinical")
    assert bool(findings("tcm_physician_present")) is found


@pytest.mark.parametrize(("others", "found"), [(5, True), (4, False), (3, False)])  # 1 TCM of 6, 5, 4
def test_tcm_staff_share(world, findings, others, found):
    centre = world.add_centre(30, 30_000)
    world.add_person(centre, category="assistant_physician", practice_category="tcm")
    for i in range(others):
        world.add_person(centre, category="pharmacist" if i == 0 else "physician", practice_category=None)
    world.add_person(centre, category="nurse")  # nurses are not in the base
    assert bool(findings("tcm_staff_share")) is found


def test_a_community_health_station_needs_a_tcm_physician_too(world, findings):
    """Seed 003, box 5: "每个社区卫生服务机构、乡镇卫生院至少配备1名中医师": a station is such an institution."""
    station = world.add_facility("东街社区卫生服务站", "chs_station")
    world.add_person(station, practice_category="clinical")
    (f,) = findings("tcm_physician_present")
    assert f.where.id == station.id
    assert f.message == "东街社区卫生服务站在岗中医类别执业（助理）医师0名，少于至少1名的要求。"
    world.add_person(station, category="assistant_physician", practice_category="tcm")
    assert findings("tcm_physician_present") == []


def test_a_pharmacist_of_tcm_counts_among_tcm_staff(world, findings):
    """1 TCM physician of 6 physicians and pharmacists is 16.7%; a 中药师 among them makes it 2 of 6."""
    centre = world.add_centre(30, 30_000)
    world.add_person(centre, category="physician", practice_category="tcm")
    for _ in range(4):
        world.add_person(centre, category="physician", practice_category="clinical")
    pharmacist = world.add_person(centre, category="pharmacist", practice_category=None)
    (f,) = findings("tcm_staff_share")
    assert "其中中医类别医师和中药师1名" in f.message
    pharmacist.practice_category = "tcm"
    assert findings("tcm_staff_share") == []


@pytest.mark.parametrize(("standardised", "found"), [(8, True), (9, False), (10, False)])  # of 10
def test_standardised_share(world, findings, standardised, found):
    for i in range(10):
        world.add_facility(f"第{i}村卫生室", "village_clinic", standardised=i < standardised)
    assert bool(findings("clinic_standardised_share")) is found


def test_village_coverage(world, findings):
    served = world.add_village("有卫生室村")
    world.add_village("空白村")
    seat = world.add_village("卫生院所在村")
    world.add_facility("有卫生室村卫生室", "village_clinic", division=served, serves=[served])
    world.add_facility("桃源镇卫生院", "thc", division=seat)
    world.add_facility("撤销村卫生室", "village_clinic", status="closed", status_reason="合并", serves=[seat])
    (f,) = findings("village_coverage")
    assert f.where.name == "空白村" and f.where.township == "桃源镇" and f.severity == "high"


@pytest.mark.parametrize(("building", "found"), [("rented_private", True), ("village", False), ("public", False)])
def test_rented_building(world, findings, building, found):
    world.add_facility("甲村卫生室", "village_clinic", building_ownership=building)
    assert bool(findings("clinic_rented_building")) is found


@pytest.mark.parametrize("missing", [[], ["dr"], ["ambulance", "biochem_analyser"]])
def test_thc_equipment(world, findings, missing):
    world.add_facility("桃源镇卫生院", "thc", equipment=[i for i in THC_ITEMS if i not in missing])
    result = findings("thc_equipment")
    assert len(result) == (1 if missing else 0)
    if missing:
        assert result[0].details["missing"] == [
            {"dr": "DR", "ambulance": "救护车", "biochem_analyser": "全自动生化分析仪"}[m] for m in missing
        ]


def test_zero_quantity_is_missing_and_clinics_have_their_own_list(world, findings, session):
    from db.models import FacilityEquipment

    clinic = world.add_facility("甲村卫生室", "village_clinic", equipment=["checkup_machine", "simple_resuscitator"])
    assert findings("clinic_equipment") == []
    session.query(FacilityEquipment).filter_by(facility_id=clinic.id, item="checkup_machine").one().quantity = 0
    session.flush()
    (f,) = findings("clinic_equipment")
    assert "健康一体机" in f.message


@pytest.mark.parametrize(("tcm_beds", "found"), [(4, True), (5, False), (6, False)])  # of 100 beds
def test_a_general_hospitals_tcm_beds_are_at_least_five_percent(world, findings, tcm_beds, found):
    hospital = world.add_facility("清溪县人民医院", "county_hospital", open_beds=100, tcm_beds=tcm_beds)
    result = findings("hospital_tcm_beds_share")
    assert bool(result) is found
    if found:
        assert result[0].where.id == hospital.id
        assert result[0].message == "清溪县人民医院实有床位100张，其中中医床位4张，占4%，低于5%的要求。"


@pytest.mark.parametrize(("tcm", "found"), [(2, True), (3, False), (4, False)])  # of 5 physicians: 40%, 60%, 80%
def test_a_tcm_hospitals_physicians_are_at_least_sixty_percent_of_tcm(world, findings, tcm, found):
    hospital = world.add_facility("清溪县中医医院", "county_tcm_hospital", open_beds=200)
    for i in range(5):
        world.add_person(hospital, practice_category="tcm" if i < tcm else "clinical")
    world.add_person(hospital, category="nurse")  # not a physician
    result = findings("tcm_hospital_physician_share")
    assert bool(result) is found
    if found:
        assert "在岗执业（助理）医师5名，其中中医类别2名，占40%" in result[0].message


def test_every_township_and_street_has_a_centre(world, findings, session):
    """Seed 000: a THC or CHSC in every township and street; a withdrawn one needs none."""
    world.add_centre(30, 30_000)  # in the world's own township
    lonely = world.add_township("石坪乡")
    gone = world.add_township("旧镇")
    gone.withdrawn_on = dt.date(2025, 1, 1)
    session.flush()
    (f,) = findings("township_centre_coverage")
    assert f.where.id == lonely.id and "石坪乡没有在运行的乡镇卫生院" in f.message
    assert gone.id != f.where.id
    world.add_facility("石坪乡卫生院", "thc", division=lonely)
    assert findings("township_centre_coverage") == []
