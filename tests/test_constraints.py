"""Bad input is refused by the database itself, not only by a form in front of it.

Each test writes with plain SQL through the engine, as any other program could,
and expects the database (SQLite or PostgreSQL) to refuse.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError

from db.engine import sync_id_sequences
from db.models import StaffMember

ID_A = "11010519491231002X"
ID_B = "440524188001010014"


@pytest.fixture
def base(db):
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO divisions (id, code, name, kind, remote) VALUES (1, '539921000000', '清溪县', 'county', FALSE)"
        )
        conn.exec_driver_sql(
            "INSERT INTO facilities (id, name, kind, division_id) VALUES (1, '桃源镇卫生院', 'thc', 1)"
        )
        conn.exec_driver_sql(
            "INSERT INTO staff (id, name, sex, id_number, id_key, birth_date, facility_id, category, employment_form)"
            f" VALUES (1, '李华', 'F', '{ID_A}', '{ID_A}', '1949-12-31', 1, 'physician', 'establishment')"
        )
        sync_id_sequences(conn)
    return db


def refused(db, sql: str, match: str) -> None:
    """``match`` in the database's message, in either's wording ("NOT NULL" / "not-null", "UNIQUE" / "unique")."""
    with pytest.raises(IntegrityError) as info, db.engine.begin() as conn:
        conn.exec_driver_sql(sql)
    assert match.lower().replace("-", " ") in str(info.value.orig).lower().replace("-", " ")


def test_negative_bed_count_is_refused(base):
    refused(base, "UPDATE facilities SET open_beds = -1 WHERE id = 1", "open_beds_not_negative")
    refused(base, "UPDATE facilities SET approved_beds = -5 WHERE id = 1", "approved_beds_not_negative")
    refused(base, "UPDATE facilities SET elderly_care_beds = -2 WHERE id = 1", "elderly_beds_not_negative")


def test_tcm_beds_beyond_open_beds_are_refused(base):
    refused(base, "UPDATE facilities SET open_beds = 10, tcm_beds = 11 WHERE id = 1", "tcm_beds_in_open_beds")


def test_duplicate_id_number_is_refused(base):
    refused(
        base,
        "INSERT INTO staff (name, sex, id_number, id_key, birth_date, facility_id, category, employment_form)"
        f" VALUES ('王强', 'M', '{ID_A}', '{ID_A}', '1949-12-31', 1, 'nurse', 'contract')",
        "UNIQUE",
    )


def test_duplicate_id_number_is_refused_through_the_orm_too(base):
    with base.session() as s:
        s.add(
            StaffMember(
                name="王强",
                sex="M",
                id_number=ID_A,
                birth_date=dt.date(1949, 12, 31),
                facility_id=1,
                category="nurse",
                employment_form="contract",
            )
        )
        with pytest.raises(IntegrityError):
            s.commit()


def test_task_without_lead_unit_is_refused(base):
    refused(
        base,
        "INSERT INTO key_tasks (ledger, number, title, status) VALUES ('台账', '1', '推进医共体建设', 'in_progress')",
        "NOT NULL",
    )
    refused(
        base,
        "INSERT INTO key_tasks (ledger, number, title, lead_unit, status)"
        " VALUES ('台账', '1', '推进医共体建设', '  ', 'in_progress')",
        "lead_unit_not_blank",
    )


def test_task_struck_off_without_note_is_refused(base):
    refused(
        base,
        "INSERT INTO key_tasks (ledger, number, title, lead_unit, status)"
        " VALUES ('台账', '1', '推进医共体建设', '县卫生健康局', 'struck_off')",
        "struck_off_needs_note",
    )


def test_progress_outside_0_100_is_refused(base):
    with base.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO projects (id, name, facility_id, kind, planned_start, planned_completion, lead_unit)"
            " VALUES (1, '业务用房改扩建', 1, 'extension', '2025-01-01', '2026-06-30', '县卫生健康局')"
        )
    refused(base, "UPDATE projects SET progress = 101 WHERE id = 1", "progress_range")
    refused(
        base,
        "INSERT INTO project_updates (project_id, date, stage, progress, investment_completed)"
        " VALUES (1, '2025-03-31', 'design', -3, 0)",
        "progress_range",
    )


def test_dates_out_of_order_are_refused(base):
    refused(
        base,
        "INSERT INTO projects (name, facility_id, kind, planned_start, planned_completion, lead_unit)"
        " VALUES ('迁建', 1, 'relocation', '2026-01-01', '2025-06-30', '县卫生健康局')",
        "planned_dates_in_order",
    )
    refused(
        base,
        "INSERT INTO trainings (staff_id, kind, start_date, end_date, days)"
        " VALUES (1, 'on_post', '2026-05-10', '2026-05-01', 3)",
        "dates_in_order",
    )
    refused(base, "UPDATE staff SET hire_date = '1940-01-01' WHERE id = 1", "hired_after_birth")


def test_unknown_codes_are_refused(base):
    refused(base, "UPDATE facilities SET kind = 'hospital' WHERE id = 1", "ck_facilities_kind")
    refused(base, "UPDATE staff SET category = 'doctor' WHERE id = 1", "ck_staff_category")
    refused(base, "UPDATE staff SET sex = '男' WHERE id = 1", "ck_staff_sex")


def test_a_dangling_reference_is_refused(base):
    refused(base, "UPDATE staff SET facility_id = 999 WHERE id = 1", "FOREIGN KEY")


def test_closing_a_facility_or_letting_a_person_go_needs_a_reason(base):
    refused(base, "UPDATE facilities SET status = 'closed' WHERE id = 1", "closed_needs_reason")
    refused(base, "UPDATE staff SET status = 'left' WHERE id = 1", "leaving_needs_reason")
    with base.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE staff SET status = 'left', status_reason = '辞职' WHERE id = 1")


def test_duplicate_division_code_and_credit_code_are_refused(base):
    refused(
        base,
        "INSERT INTO divisions (code, name, kind, remote) VALUES ('539921000000', '另一县', 'county', FALSE)",
        "UNIQUE",
    )
    with base.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE facilities SET credit_code = '12539921MB0000000X' WHERE id = 1")
    refused(
        base,
        "INSERT INTO facilities (name, kind, division_id, credit_code)"
        " VALUES ('另一卫生院', 'thc', 1, '12539921MB0000000X')",
        "UNIQUE",
    )


def test_population_rural_cannot_exceed_resident(base):
    refused(
        base,
        "INSERT INTO division_populations (division_id, year, resident, rural) VALUES (1, 2026, 1000, 1200)",
        "rural_in_resident",
    )


@pytest.mark.sqlite_only
def test_the_database_refuses_even_without_the_app(base):
    """A raw sqlite3 connection sees the same CHECKs (foreign keys are per connection in SQLite)."""
    conn = sqlite3.connect(base.path)
    with pytest.raises(sqlite3.IntegrityError, match="open_beds_not_negative"):
        conn.execute("UPDATE facilities SET open_beds = -1")
    conn.close()
