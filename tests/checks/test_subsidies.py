"""Monthly living subsidies: who gets which, and never two of the village-doctor ones."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.periods import Period
from desktop.subsidies import subsidy_roster

from .conftest import TODAY


def roster(session):
    return {
        line.name: (line.rule_id, line.monthly_yuan)
        for line in subsidy_roster(session, Period(2026, 3), today=TODAY).lines
    }


@pytest.fixture
def centre(world):
    return world.add_centre(30, 30_000)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"title": "associate_senior"}, ("subsidy_senior_or_master", 1000)),
        ({"title": "senior", "education": "bachelor"}, ("subsidy_senior_or_master", 1000)),
        ({"education": "master", "education_full_time": True}, ("subsidy_senior_or_master", 1000)),
        ({"education": "master", "education_full_time": False}, None),
        ({"education": "bachelor"}, ("subsidy_bachelor", 500)),
        ({"education": "bachelor", "education_medical": False}, None),
        ({"education": "bachelor", "directed_graduate": True, "directed_service_until": dt.date(2028, 1, 1)}, None),
        (
            {"education": "bachelor", "directed_graduate": True, "directed_service_until": dt.date(2026, 9, 1)},
            ("subsidy_bachelor", 500),
        ),
        ({"education": "college", "title": "intermediate"}, None),
    ],
)
def test_centre_staff(world, centre, session, values, expected):
    person = world.add_person(centre, **values)
    assert roster(session).get(person.name) == expected


def test_county_hospital_staff_get_none(world, session):
    hospital = world.add_facility("清溪县人民医院", "county_hospital")
    world.add_person(hospital, title="senior")
    assert roster(session) == {}


@pytest.mark.parametrize(
    ("residents", "remote", "expected"),
    [
        (999, False, ("subsidy_small_village_doctor", 1000)),
        (1000, False, ("subsidy_small_village_doctor", 1000)),  # "常住人口1000人以内": 1,000 is within
        (1001, False, None),
        (999, True, ("subsidy_small_village_doctor", 1000)),  # not the remote 300 as well
        (1000, True, ("subsidy_small_village_doctor", 1000)),
        (1001, True, ("subsidy_remote_village_doctor", 300)),
    ],
)
def test_village_doctors(world, session, residents, remote, expected):
    village = world.add_village("甲村", resident=residents, remote=remote)
    clinic = world.add_facility("甲村卫生室", "village_clinic", division=village, serves=[village])
    person = world.add_person(clinic, category="village_doctor")
    lines = [x for x in subsidy_roster(session, Period(2026, 3), today=TODAY).lines if x.name == person.name]
    assert [(x.rule_id, x.monthly_yuan) for x in lines] == ([expected] if expected else [])
    if expected:
        assert lines[0].source.startswith("《章贡区") and lines[0].basis


def test_a_remote_township_makes_its_villages_remote(world, session):
    township = world.add_township("白渡乡", remote=True)
    village = world.add_village("乙村", resident=1500, township=township)
    clinic = world.add_facility("乙村卫生室", "village_clinic", division=village)
    person = world.add_person(clinic, category="village_doctor")
    assert roster(session)[person.name] == ("subsidy_remote_village_doctor", 300)


def test_demo_roster(demo_db):
    with demo_db.session() as session:
        lines = subsidy_roster(session, Period(2026, 3), today=TODAY).lines
    rules = {x.rule_id for x in lines}
    assert rules == {
        "subsidy_senior_or_master",
        "subsidy_bachelor",
        "subsidy_remote_village_doctor",
        "subsidy_small_village_doctor",
    }
    assert len({x.staff_id for x in lines}) == len(lines)
