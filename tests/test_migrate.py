"""countyhealth migrate: a bureau's database copied whole to another, verified table by table."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select, update

from db import open_database
from db.copying import LABELS, Cancelled, copy_database, verify_copy
from db.models import Base, Change, Facility, StaffMember
from desktop.cli import main
from desktop.identifiers import make_id_number
from desktop.records.editing import update_record
from desktop.records.types import FACILITY
from tests import postgres

BORN = dt.date(1995, 3, 8)


@pytest.fixture
def edited_demo(demo_db):
    """The demo with some history: a clerk's edits, so the change log and versions travel too."""
    with demo_db.session() as s:
        for facility_id in s.scalars(select(Facility.id).limit(3)):
            update_record(s, FACILITY, facility_id, {"phone": "0871-65123456"}, user="老王", reason="核对电话")
        s.commit()
    return demo_db


@pytest.fixture
def empty_target(tmp_path):
    """Where the copy goes: a new file, or with make test-postgres an empty database on the server."""
    server = postgres.server_url()
    target = postgres.create_database(server) if server else str(tmp_path / "copy.db")
    yield target
    if server:
        postgres.drop_database(server, target)


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_migrate_copies_every_record_and_verifies_it(capsys, edited_demo, empty_target):
    source = edited_demo.target
    edited_demo.close()
    code, out, err = run(capsys, "migrate", "--from", source, "--to", empty_target)
    assert code == 0, err
    assert f"复制完成并通过校验：{len(Base.metadata.tables)} 张表" in out and "不一致" not in out
    assert "人员" in out and "修改记录" in out
    assert not set(Base.metadata.tables) - set(LABELS)  # every table the copy reports on is named in Chinese
    # The copy answers as the original does: the same findings for the quarter
    checks = [
        json.loads(run(capsys, "check", "--db", d, "--period", "2026Q3", "--json")[1]) for d in (source, empty_target)
    ]
    assert checks[0] == checks[1] and len(checks[0]) > 100
    copy = open_database(empty_target)
    try:
        with copy.session() as s:
            assert s.scalar(select(func.count()).select_from(Change).where(Change.user == "老王")) == 3
            edited = s.scalars(select(Facility).where(Facility.phone == "0871-65123456")).all()
            assert [f.version for f in edited] == [2, 2, 2]
            # a record added on the copy takes a new id, after the copied ones
            top = s.scalar(select(func.max(StaffMember.id)))
            where = s.get(StaffMember, top).facility_id
            taken = set(s.scalars(select(StaffMember.id_number)))
            number = next(n for i in range(1, 999) if (n := make_id_number("539921", BORN, "F", i)) not in taken)
            added = StaffMember(
                name="新同事", sex="F", id_number=number, birth_date=BORN, facility_id=where,
                category="nurse", employment_form="contract", title="none", status="on_post",
            )  # fmt: skip
            s.add(added)
            s.commit()
            assert added.id > top
    finally:
        copy.close()


def test_a_target_that_holds_records_is_refused_and_left_alone(capsys, edited_demo, tmp_path):
    other = tmp_path / "other.db"
    code, _out, _err = run(capsys, "demo", "--db", str(other))
    assert code == 0
    before = other.read_bytes()
    code, _out, err = run(capsys, "migrate", "--from", edited_demo.target, "--to", str(other))
    assert code == 2 and "目标数据库不是空的" in err and "未作任何写入" in err
    assert other.read_bytes() == before


def test_a_cancelled_copy_leaves_the_target_empty(edited_demo, empty_target):
    target = open_database(empty_target)
    try:
        seen = []
        with pytest.raises(Cancelled):
            copy_database(edited_demo, target, progress=lambda done, total: seen.append(done), cancelled=lambda: True)
        assert seen  # it had begun writing
        with target.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(StaffMember)).scalar() == 0
            assert conn.execute(select(func.count()).select_from(Facility)).scalar() == 0
    finally:
        target.close()


def test_the_verification_notices_one_changed_value(edited_demo, empty_target):
    target = open_database(empty_target)
    try:
        assert all(c.ok for c in copy_database(edited_demo, target))
        with target.engine.begin() as conn:  # one bed, changed behind the copy's back
            conn.execute(update(Facility).where(Facility.id == 1).values(open_beds=Facility.open_beds + 1))
        bad = [c.table for c in verify_copy(edited_demo, target) if not c.ok]
        assert bad == ["facilities"]
    finally:
        target.close()


def test_a_database_with_sign_in_on_is_copied_sealed_and_opens_with_its_accounts(demo_db, empty_target):
    """The copy carries the numbers sealed, as stored, with the accounts' slots that open them: signed in on the
    source or not, nothing is copied in clear."""
    from desktop.accounts import sign_in_to
    from tests.test_accounts import PASSWORD, accounts

    with demo_db.session() as s:
        numbers = s.scalars(select(StaffMember.id_number).order_by(StaffMember.id)).all()
    accounts(demo_db, ("老王", "admin"))
    sign_in_to(demo_db, "老王", PASSWORD)  # the source's numbers read whole: the copy still takes them sealed
    target = open_database(empty_target)
    try:
        checks = copy_database(demo_db, target)
        assert all(c.ok for c in checks), [c for c in checks if not c.ok]
        stored = target.engine.connect()
        try:
            kept = stored.exec_driver_sql("SELECT id_number FROM staff ORDER BY id").scalars().all()
        finally:
            stored.close()
    finally:
        target.close()
    assert kept and not set(kept) & set(numbers) and all(n.startswith("$sm4$") for n in kept)
    copy = open_database(empty_target)
    try:
        sign_in_to(copy, "老王", PASSWORD)
        with copy.session() as s:
            assert s.scalars(select(StaffMember.id_number).order_by(StaffMember.id)).all() == numbers
    finally:
        copy.close()
