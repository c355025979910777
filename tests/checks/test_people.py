"""Village doctors' age, training, study and insurance; loans of THC staff; each at its limit."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import AS_OF


@pytest.fixture
def clinic(world):
    return world.add_facility("甲村卫生室", "village_clinic")


def birth_for_age(age: int, extra_days: int = 0) -> dt.date:
    return AS_OF.replace(year=AS_OF.year - age) + dt.timedelta(days=extra_days)


@pytest.mark.parametrize(
    ("birth", "form", "found"),
    [
        (birth_for_age(60), "contract", True),  # 60th birthday on the check date
        (birth_for_age(60, 1), "contract", False),  # turns 60 the day after
        (birth_for_age(61), "contract", True),
        (birth_for_age(65), "rehired", False),  # re-hired: allowed
    ],
)
def test_village_doctor_age(world, clinic, findings, birth, form, found):
    world.add_person(clinic, category="village_doctor", birth=birth, employment_form=form)
    result = findings("vd_age")
    assert bool(result) is found
    if found:
        assert result[0].where.kind == "person" and result[0].severity == "high"


def test_each_person_is_named_by_their_own_category(world, clinic, findings):
    """A clinic's 执业助理医师 is no 乡村医生: the finding says what each person is."""
    doctor = world.add_person(clinic, category="village_doctor", birth=birth_for_age(61))
    assistant = world.add_person(clinic, category="assistant_physician", birth=birth_for_age(62))
    said = {f.where.id: f.message for f in findings("vd_age")}
    expected = f"甲村卫生室乡村医生{doctor.name}已年满61周岁，仍在岗且未办理返聘，应按规定离岗退出或办理返聘。"
    assert said[doctor.id] == expected
    assert said[assistant.id].startswith(f"甲村卫生室执业助理医师{assistant.name}已年满62周岁")


def test_age_rule_is_for_village_clinics_only(world, findings):
    centre = world.add_centre(30, 30_000)
    world.add_person(centre, category="physician", birth=birth_for_age(62))
    assert findings("vd_age") == []


@pytest.mark.parametrize(
    ("days", "found"),
    [((7, 7), False), ((7, 6), True), ((14,), True), ((5, 5, 5), False)],  # 2 sessions and 14 days, both needed
)
def test_yearly_training(world, clinic, findings, days, found):
    person = world.add_person(clinic, category="village_doctor", hire_date=dt.date(2010, 1, 1))
    for i, d in enumerate(days):
        world.add_training(person, dt.date(2025, 3 + i * 3, 1), d)
    world.add_training(person, dt.date(2026, 3, 1), 30)  # this year's: judged next year
    result = findings("vd_training")
    assert bool(result) is found
    if found:
        assert result[0].period == "2025"


def test_a_year_is_judged_once_it_has_ended(world, clinic, findings):
    person = world.add_person(clinic, category="village_doctor", hire_date=dt.date(2010, 1, 1))
    world.add_training(person, dt.date(2024, 3, 1), 7)
    world.add_training(person, dt.date(2024, 9, 1), 7)
    assert findings("vd_training", "2024") == []
    assert findings("vd_training", "2025Q2") == []  # 2025 is not over: 2024 is judged
    (f,) = findings("vd_training", "2025")  # nothing in 2025
    assert f.period == "2025" and "2025年参加免费培训0次" in f.message


@pytest.mark.parametrize(
    ("end", "days", "found"),
    [
        (AS_OF.replace(year=2021), 30, True),  # ended exactly five years before: too old
        (AS_OF.replace(year=2021) + dt.timedelta(days=1), 30, False),
        (dt.date(2024, 5, 30), 29, True),  # under a month
    ],
)
def test_full_time_study(world, clinic, findings, end, days, found):
    person = world.add_person(clinic, category="village_doctor", hire_date=dt.date(2005, 1, 1))
    world.add_training(person, end - dt.timedelta(days=days - 1), days, kind="full_time_study")
    assert bool(findings("vd_full_time_study")) is found


def test_study_is_not_due_for_a_doctor_hired_within_five_years(world, clinic, findings):
    world.add_person(clinic, category="village_doctor", hire_date=dt.date(2023, 1, 1))
    assert findings("vd_full_time_study") == []


@pytest.mark.parametrize(("insured", "found"), [(True, False), (False, True), (None, True)])
def test_insurance(world, clinic, findings, insured, found):
    world.add_person(clinic, category="village_doctor", liability_insured=insured)
    assert bool(findings("vd_insurance")) is found


@pytest.mark.parametrize(
    ("end", "found"),
    [(dt.date(2026, 7, 1), False), (dt.date(2026, 7, 2), True), (None, True)],  # from 2026-01-01: six months
)
def test_loan_duration(world, findings, end, found):
    centre = world.add_centre(30, 30_000)
    person = world.add_person(centre)
    world.add_loan(person, dt.date(2026, 1, 1), end)
    result = findings("staff_loan_duration")
    assert bool(result) is found


def test_a_loan_planned_beyond_six_months_is_found_before_it_runs_out(world, findings):
    centre = world.add_centre(30, 30_000)
    world.add_loan(world.add_person(centre), dt.date(2026, 8, 1), dt.date(2027, 6, 30))
    (f,) = findings("staff_loan_duration")
    assert "借用期自2026年8月1日计划至2027年6月30日" in f.message


@pytest.mark.parametrize(("form", "approval", "too_long", "unapproved"), [
    ("establishment", None, True, True),
    ("establishment", "县委组织部商借函〔2026〕3号", True, False),  # approved, and still six months at most
    ("contract", None, False, False),  # seed 002 item 7 is about 在编 people only
])  # fmt: skip
def test_loans_by_employment_form_and_written_request(world, findings, session, form, approval, too_long, unapproved):
    centre = world.add_centre(30, 30_000)
    person = world.add_person(centre, employment_form=form)
    loan = world.add_loan(person, dt.date(2026, 1, 1), None)
    loan.approval = approval
    session.flush()
    assert bool(findings("staff_loan_duration")) is too_long
    found = findings("staff_loan_approval")
    assert bool(found) is unapproved
    if unapproved:
        assert found[0].message == (
            f"桃源镇卫生院在编人员{person.name}自2026年1月1日起被借用到清溪县人民医院，"
            "未登记区级及以上组织、人事部门的书面商借文件。"
        )
        assert found[0].severity == "high" and "书面商借外" in found[0].source


def test_loans_that_ended_before_the_period_are_not_reported(world, findings):
    centre = world.add_centre(30, 30_000)
    world.add_loan(world.add_person(centre), dt.date(2025, 1, 1), dt.date(2026, 3, 1))
    assert findings("staff_loan_duration") == []
    assert len(findings("staff_loan_duration", "2026Q1")) == 1
