"""The demo county: the numbers the brief asks for, valid IDs, a clean file, the same rows for the same seed."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import text

from desktop.demo import Cancelled, DemoError, DemoOptions, generate, write_demo
from desktop.validators import check_credit_code, check_id_number

AS_OF = DemoOptions().as_of


def q(db, sql: str):
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def scalar(db, sql: str):
    return q(db, sql)[0][0]


@pytest.mark.sqlite_only
def test_the_file_is_clean(demo_db):
    assert q(demo_db, "PRAGMA integrity_check") == [("ok",)]
    assert q(demo_db, "PRAGMA foreign_key_check") == []


def test_divisions_and_population(demo_db):
    kinds = dict(q(demo_db, "SELECT kind, count(*) FROM divisions GROUP BY kind"))
    assert kinds["county"] == 1 and kinds["city"] == 1
    assert kinds["township"] + kinds["street"] == 18 and kinds["street"] == 2
    assert 270 <= kinds["village"] <= 330
    years = q(demo_db, "SELECT DISTINCT year FROM division_populations ORDER BY year")
    assert years == [(2024,), (2025,), (2026,)]
    # every village and community has resident and rural figures for each year
    assert scalar(
        demo_db,
        "SELECT count(*) FROM division_populations p JOIN divisions d ON d.id = p.division_id"
        " WHERE d.kind IN ('village', 'community') AND p.rural IS NOT NULL",
    ) == 3 * (kinds["village"] + kinds["community"])
    small = scalar(
        demo_db,
        "SELECT count(*) FROM division_populations p JOIN divisions d ON d.id = p.division_id"
        " WHERE d.kind = 'village' AND p.year = 2026 AND p.resident < 1000",
    )
    assert small >= 5, "some villages under 1,000 residents, for the subsidy rule"


def test_facilities(demo_db):
    kinds = dict(q(demo_db, "SELECT kind, count(*) FROM facilities GROUP BY kind"))
    assert kinds["central_thc"] == 3
    assert kinds["central_thc"] + kinds["thc"] == 16
    assert kinds["chsc"] == 2
    for k in ("county_hospital", "county_tcm_hospital", "mch_hospital", "cdc"):
        assert kinds[k] == 1
    assert 250 <= kinds["village_clinic"] <= 300
    villages = scalar(demo_db, "SELECT count(*) FROM divisions WHERE kind = 'village'")
    served = scalar(
        demo_db,
        "SELECT count(DISTINCT s.division_id) FROM service_areas s"
        " JOIN facilities f ON f.id = s.facility_id WHERE f.kind = 'village_clinic'",
    )
    assert 0 < villages - served < villages * 0.1, "some villages have no clinic"
    ownership = dict(
        q(
            demo_db,
            "SELECT building_ownership, count(*) FROM facilities"
            " WHERE kind = 'village_clinic' GROUP BY building_ownership",
        )
    )
    assert ownership["rented_private"] > 0 and ownership["public"] > ownership["rented_private"]
    assert 0 < scalar(demo_db, "SELECT count(*) FROM facilities WHERE kind = 'village_clinic' AND NOT standardised")
    for (code,) in q(demo_db, "SELECT credit_code FROM facilities WHERE credit_code IS NOT NULL"):
        check_credit_code(code)


def test_staff_numbers_and_mix(demo_db):
    total = scalar(demo_db, "SELECT count(*) FROM staff")
    assert 2300 <= total <= 2800
    cats = dict(q(demo_db, "SELECT category, count(*) FROM staff GROUP BY category"))
    assert cats["nurse"] > cats["physician"] > cats["assistant_physician"]
    assert 250 <= cats["village_doctor"] <= 450
    assert scalar(demo_db, "SELECT count(*) FROM staff WHERE gp_registered") > 20
    assert scalar(demo_db, "SELECT count(*) FROM staff WHERE practice_category = 'tcm'") > 50
    assert scalar(demo_db, "SELECT count(*) FROM staff WHERE psychiatry_registered") > 0
    assert scalar(demo_db, "SELECT count(*) FROM staff WHERE directed_graduate") > 0
    assert scalar(demo_db, "SELECT count(*) FROM staff_loans") > 0
    assert scalar(demo_db, "SELECT count(*) FROM trainings WHERE kind = 'full_time_study'") > 100


def test_every_id_number_is_valid_and_matches_birth_date_and_sex(demo_db):
    rows = q(demo_db, "SELECT id_number, birth_date, sex FROM staff")
    for number, birth, sex in rows:
        info = check_id_number(number, today=AS_OF)
        assert (info.birth_date.isoformat(), info.sex) == (str(birth), sex)  # SQLite gives text, PostgreSQL a date
    assert len({r[0] for r in rows}) == len(rows)


def test_some_village_doctors_are_over_60_and_still_on_post(demo_db):
    cutoff = AS_OF.replace(year=AS_OF.year - 60).isoformat()
    over = scalar(
        demo_db,
        f"SELECT count(*) FROM staff WHERE category = 'village_doctor' AND status = 'on_post'"
        f" AND birth_date <= '{cutoff}'",
    )
    assert over >= 10


def test_projects_with_updates_some_overdue(demo_db):
    assert 25 <= scalar(demo_db, "SELECT count(*) FROM projects") <= 35
    overdue = scalar(
        demo_db, f"SELECT count(*) FROM projects WHERE planned_completion < '{AS_OF}' AND actual_completion IS NULL"
    )
    assert overdue >= 1
    assert (
        scalar(
            demo_db,
            "SELECT count(*) FROM projects p WHERE NOT EXISTS"
            " (SELECT 1 FROM project_updates u WHERE u.project_id = p.id)",
        )
        <= 3
    )
    assert (
        scalar(
            demo_db,
            "SELECT count(*) FROM projects p WHERE NOT EXISTS"
            " (SELECT 1 FROM project_funding f WHERE f.project_id = p.id)",
        )
        == 0
    )


def test_key_tasks_of_both_seed_ledgers(demo_db):
    ledgers = dict(q(demo_db, "SELECT ledger, count(*) FROM key_tasks GROUP BY ledger"))
    assert sorted(ledgers.values()) == [16, 16]
    assert any("深化医药卫生体制改革" in name for name in ledgers)
    assert scalar(demo_db, "SELECT count(*) FROM key_tasks WHERE lead_unit LIKE '市%'") == 0
    assert (
        scalar(demo_db, "SELECT lead_unit FROM key_tasks WHERE number = '（二）' AND ledger LIKE '%医药%'")
        == "县医疗保障局"
    )
    assert scalar(demo_db, "SELECT count(*) FROM task_cooperating_units") > 32
    assert scalar(demo_db, "SELECT count(*) FROM task_updates") > 0


def test_the_indicator_table_of_seed_003(demo_db):
    assert scalar(demo_db, "SELECT count(*) FROM indicators WHERE baseline_year = 2020") == 25
    row = q(
        demo_db,
        "SELECT baseline_value, target_value, attribute, direction FROM indicators"
        " WHERE name = '每千人口医疗卫生机构床位数'",
    )
    assert row == [(6.6, 7.5, "expected", "at_least")]
    assert q(demo_db, "SELECT target_value, direction FROM indicators WHERE name = '孕产妇死亡率'") == [
        (11.0, "at_most")
    ]


def test_same_seed_same_rows_other_seed_other_rows():
    def digest(seed: int) -> str:
        rows, _ = generate(DemoOptions(seed=seed))
        h = hashlib.sha256()
        for name, table in rows:
            h.update(name.encode())
            for row in table:
                h.update(repr(sorted(row.items())).encode())
        return h.hexdigest()

    assert digest(7) == digest(7)
    assert digest(7) != digest(8)


def test_the_demo_only_goes_into_an_empty_database(demo_db):
    with pytest.raises(DemoError, match="空数据库"):
        write_demo(demo_db, DemoOptions())


def test_a_cancelled_demo_writes_nothing(db):
    calls = []

    def progress(done, total):
        calls.append(done)

    with pytest.raises(Cancelled):
        write_demo(db, DemoOptions(), progress=progress, cancelled=lambda: len(calls) >= 2)
    assert scalar(db, "SELECT count(*) FROM divisions") == 0
    assert scalar(db, "SELECT count(*) FROM staff") == 0


def test_city_scale_is_ten_counties_of_unique_people():
    rows, counties = generate(DemoOptions(scale="city"))
    assert len(counties) == 10
    staff = rows.tables["staff"]
    assert 23000 <= len(staff) <= 28000
    assert len({s["id_number"] for s in staff}) == len(staff)
    assert len({c.code6 for c in counties}) == 10
    assert all(s["hire_date"] <= dt.date(2026, 9, 30) for s in staff)


def test_a_smaller_city_is_the_first_counties_of_the_whole_one():
    """The benchmarks grow the city from one to three to ten counties; each is a prefix of the next."""
    small, small_counties = generate(DemoOptions(scale="city", city_size=3))
    whole, _ = generate(DemoOptions(scale="city"))
    assert [c.name for c in small_counties] == ["清溪", "南屏", "云岭"]
    assert small.tables["staff"] == whole.tables["staff"][: len(small.tables["staff"])]
    assert 6000 <= len(small.tables["staff"]) <= 9000
    with pytest.raises(DemoError):
        generate(DemoOptions(scale="city", city_size=11))
