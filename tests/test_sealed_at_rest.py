"""With sign-in on, people's whole ID and phone numbers are sealed at rest: the database file with its journal,
its backups and an exchange file hold none of them; each account opens them with its own password, and turning
sign-in off opens them again."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from db import open_database
from db.access import Actor
from db.backups import make_backup, restore
from db.errors import AccessDenied
from db.models import Change, ExchangeIdentity, ExchangeReceiver, StaffMember, User
from db.sealing import new_box_pair
from desktop.accounts import (
    NO_SLOT,
    AccountError,
    add_account,
    change_own_password,
    hash_password,
    holds_key,
    sign_in_to,
    turn_off_sign_in,
    update_account,
)
from desktop.excel.importer import run_import
from desktop.exchange.container import BoxKeys, read_file
from desktop.exchange.export import export_area
from desktop.lists import StaffList
from desktop.periods import Period
from desktop.records.editing import update_record
from desktop.records.types import STAFF
from tests.test_accounts import PASSWORD, accounts

pytestmark = pytest.mark.sqlite_only  # the file's bytes; a server's tables are sealed alike (test_server_sealing)

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def county(tmp_path, demo_template):
    path = tmp_path / "县" / "清溪县.db"
    path.parent.mkdir()
    shutil.copyfile(demo_template, path)
    return path


def _numbers(path: Path) -> tuple[list[str], list[str]]:
    conn = sqlite3.connect(path)
    ids = [r[0] for r in conn.execute("SELECT id_number FROM staff ORDER BY id")]
    phones = [r[0] for r in conn.execute("SELECT phone FROM staff WHERE phone IS NOT NULL ORDER BY id")]
    conn.close()
    return ids, phones


def _found(files: list[Path], ids: list[str], phones: list[str]) -> tuple[int, int]:
    data = b"".join(f.read_bytes() for f in files if f.exists())
    return sum(n.encode() in data for n in ids), sum(p.encode() in data for p in phones)


def _database_files(path: Path) -> list[Path]:
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm")]


def test_turning_sign_in_on_seals_every_number_in_the_file_and_its_backups(county, tmp_path):
    ids, phones = _numbers(county)
    assert len(ids) > 2000 and len(phones) > 2000
    db = open_database(county)
    with db.session() as s:  # a person's phone changed before: the history holds both numbers
        person = s.scalars(select(StaffMember).order_by(StaffMember.id)).first()
        update_record(s, STAFF, person.id, {"phone": "13912345678"}, user="县局")
        s.commit()
    phones.append("13912345678")
    assert _found(_database_files(county), ids, phones) != (0, 0)  # the scan finds numbers where they are
    early = make_backup(county).path  # made while the numbers were whole
    assert _found([early], ids, phones) != (0, 0)
    accounts(db, ("老王", "admin"), ("小张", "editor"))
    with db.session() as s:  # at work after sign-in is on: an edit, the history of it, a new exchange key
        update_record(s, STAFF, person.id, {"phone": "13700001111"}, user="老王")
        from desktop.exchange.identity import signing_key

        signing_key(s)
        s.commit()
    phones.append("13700001111")
    backup = make_backup(county).path
    db.close()
    assert _found(_database_files(county), ids, phones) == (0, 0)
    assert _found([backup], ids, phones) == (0, 0)
    assert _found([early], ids, phones) == (0, 0)  # sealed as sign-in was turned on, with today's accounts
    conn = sqlite3.connect(county)
    stored = conn.execute("SELECT private_key, box_private_key FROM exchange_identity").fetchone()
    conn.close()
    assert all(bytes(k).startswith(b"$sm4$") for k in stored)

    db = open_database(county)
    try:
        with db.session() as s:  # no one signed in: the numbers stay sealed
            shown = StaffList(s, TODAY).rows[0].masked_id
        assert shown == "（已加密）"
        db.actor = Actor("绕过登录")  # a path that skipped sign-in still writes no number in clear
        with db.session() as s, pytest.raises(AccessDenied, match="没有可用的数据密钥"):
            s.get(StaffMember, person.id).phone = "13800000000"
            s.flush()
        sign_in_to(db, "小张", PASSWORD)
        with db.session() as s:
            assert s.scalars(select(StaffMember.id_number).order_by(StaffMember.id)).all() == ids
            assert s.get(StaffMember, person.id).phone == "13700001111"
            found = s.scalar(select(StaffMember.id).where(StaffMember.id_key == ids[5]))  # looked up whole
            history = [c.new_values for c in s.scalars(select(Change).where(Change.table_name == "staff"))]
            identity = s.get(ExchangeIdentity, 1)
            assert len(identity.private_key) == len(identity.box_private_key) == 32
        assert found == 6 and {"phone": "13700001111"} in history and {"phone": "13912345678"} in history
        rows = StaffList(s := db.session(), TODAY).rows
        s.close()
        assert rows[5].masked_id == ids[5][:6] + "********" + ids[5][-4:]

        private, public = new_box_pair()  # the exchange file an editor sends from it: sealed for its receiver
        sign_in_to(db, "老王", PASSWORD)
        with db.session() as s:
            s.add(ExchangeReceiver(division_code="539900000000", name="云川市", public_key=public,
                                   registered_at=dt.datetime.now(), registered_by="老王"))  # fmt: skip
            s.commit()
        sign_in_to(db, "小张", PASSWORD)
        with db.session() as s:
            sent = export_area(s, period=Period(2026, 3), out=tmp_path / "清溪县.chx", user="小张", to="539900000000")
            s.commit()
        assert _found([sent.path], ids, phones) == (0, 0)
        opened = read_file(sent.path, BoxKeys(private, public)).body
        number = opened["columns"]["staff"].index("id_number")
        assert sorted(r[number] for r in opened["tables"]["staff"]) == sorted(ids)
    finally:
        db.close()

    restored = tmp_path / "恢复" / "清溪县.db"
    restore(early, restored)  # a backup opens with the accounts it holds
    again = open_database(restored)
    try:
        sign_in_to(again, "老王", PASSWORD)
        with again.session() as s:
            assert s.scalars(select(StaffMember.id_number).order_by(StaffMember.id)).all() == ids
    finally:
        again.close()


def test_each_password_opens_its_own_slot_and_changing_one_leaves_the_others(county):
    db = open_database(county)
    try:
        accounts(db, ("老王", "admin"), ("小张", "editor"), ("小李", "viewer"))

        def slots():
            with db.session() as s:
                return dict(s.execute(select(User.name, User.wrapped_key)).all())

        before = slots()
        assert all(before.values()) and len(set(before.values())) == 3
        sign_in_to(db, "小张", PASSWORD)
        with db.session() as s:
            change_own_password(s, PASSWORD, "新的密码-2026")
            s.commit()
        after = slots()
        assert after["小张"] != before["小张"] and {k: after[k] for k in ("老王", "小李")} == {
            k: before[k] for k in ("老王", "小李")
        }
        sign_in_to(db, "老王", PASSWORD)  # an administrator sets another's password: a slot for it
        with db.session() as s:
            update_account(s, "小李", password="查看员-新密码-2026")
            s.commit()
        for name, password in (("小张", "新的密码-2026"), ("小李", "查看员-新密码-2026")):
            sign_in_to(db, name, password)
            with db.session() as s:
                assert s.scalar(select(StaffMember.id_number).order_by(StaffMember.id)).isdigit()
        with pytest.raises(AccountError):
            sign_in_to(db, "小张", PASSWORD)
    finally:
        db.close()


def test_turning_sign_in_off_opens_every_number_again(county):
    ids, phones = _numbers(county)
    db = open_database(county)
    try:
        accounts(db, ("老王", "admin"))
        sign_in_to(db, "老王", PASSWORD)
        with db.session() as s:
            turn_off_sign_in(s)
            s.commit()
    finally:
        db.close()
    assert _numbers(county) == (ids, phones)
    db = open_database(county)
    try:
        with db.session() as s:  # no key needed, none held: an edit is stored whole, as before sign-in
            person = s.scalars(select(StaffMember).order_by(StaffMember.id)).first()
            update_record(s, STAFF, person.id, {"phone": "13612345678"}, user="县局")
            s.commit()
    finally:
        db.close()
    assert _numbers(county)[1][0] == "13612345678"


def test_accounts_made_before_numbers_were_sealed_are_sealed_by_the_first_administrator_in(county):
    conn = sqlite3.connect(county)  # as an older version left them: accounts, nothing sealed, no slots
    conn.executemany(
        "INSERT INTO users (name, role, password_hash, active, failed_attempts, created_at) VALUES (?, ?, ?, 1, 0, ?)",
        [(name, role, hash_password(PASSWORD), "2026-10-01 09:00:00") for name, role in (("老王", "admin"),
                                                                                         ("小张", "editor"))],
    )  # fmt: skip
    conn.commit()
    conn.close()
    ids, _ = _numbers(county)
    assert ids[0].isdigit()
    db = open_database(county)
    try:
        sign_in_to(db, "老王", PASSWORD)
    finally:
        db.close()
    assert not _numbers(county)[0][0].isdigit()  # sealed as the administrator signed in
    db = open_database(county)
    try:
        sign_in_to(db, "小张", PASSWORD)  # signs in, without the key: the numbers stay sealed to this account
        assert not holds_key(db) and "重设密码" in NO_SLOT
        with db.session() as s:
            assert s.scalars(select(StaffMember.id_number).order_by(StaffMember.id)).first().startswith("$sm4$")
        sign_in_to(db, "老王", PASSWORD)
        assert holds_key(db)
        with db.session() as s:
            update_account(s, "小张", password="小张的新密码2026")
            s.commit()
        sign_in_to(db, "小张", "小张的新密码2026")
        with db.session() as s:
            assert s.scalars(select(StaffMember.id_number).order_by(StaffMember.id)).all() == ids
    finally:
        db.close()


def test_an_import_matches_a_sealed_person_by_the_whole_number(county, tmp_path):
    """The importer finds a person by their number though it is stored sealed: a roster with an existing number
    updates that person; it does not add a second one."""
    from desktop.excel.templates import fill_template

    db = open_database(county)
    try:
        accounts(db, ("老王", "admin"))
        sign_in_to(db, "老王", PASSWORD)
        template = tmp_path / "人员.xlsx"
        with db.session() as s:
            fill_template(s, "staff", template, unmask=True)
            s.commit()
            before = len(s.scalars(select(StaffMember.id)).all())
        report = run_import(db, "staff", template, user="老王")
        assert not report.problems, report.summary()
        with db.session() as s:
            assert len(s.scalars(select(StaffMember.id)).all()) == before
    finally:
        db.close()


def test_a_backup_of_an_older_structure_is_brought_up_to_date_and_sealed_not_deleted(county, tmp_path):
    from db.backups import backup_folder

    old = tmp_path / "旧版.db"
    open_database(old, to_revision="0019").close()
    conn = sqlite3.connect(old)
    conn.execute("INSERT INTO divisions (id, code, name, kind) VALUES (1, '539921000000', '清溪县', 'county')")
    conn.execute(
        "INSERT INTO facilities (id, name, kind, division_id) VALUES (1, '清溪县人民医院', 'county_hospital', 1)"
    )
    conn.execute("INSERT INTO staff (name, sex, id_number, birth_date, facility_id, category, employment_form, phone)"
                 " VALUES ('李华', 'F', '11010519491231002X', '1949-12-31', 1, 'physician', 'establishment',"
                 " '13912345678')")  # fmt: skip
    conn.commit()
    conn.close()
    kept = backup_folder(county) / f"{county.stem}-20261001-090000-manual.db"
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(old, kept)
    db = open_database(county)
    try:
        accounts(db, ("老王", "admin"))
    finally:
        db.close()
    assert kept.exists() and _found([kept], ["11010519491231002X"], ["13912345678"]) == (0, 0)
    restored = tmp_path / "恢复" / "旧版.db"
    restore(kept, restored)
    again = open_database(restored)
    try:
        sign_in_to(again, "老王", PASSWORD)
        with again.session() as s:
            person = s.scalars(select(StaffMember)).one()
            assert (person.id_number, person.phone) == ("11010519491231002X", "13912345678")
    finally:
        again.close()


def test_a_commit_that_fails_leaves_the_database_as_it_was_and_the_app_with_it(county):
    """Disk full as the first account is committed: nothing was sealed, so the app must go on writing numbers as they
    are, not sealed under a key that was never stored."""
    from unittest import mock

    from sqlalchemy.engine import Connection

    from db.vault import sealed_on, vault_of

    db = open_database(county)
    try:
        session = db.session()
        add_account(session, "老王", "admin", PASSWORD)
        assert sealed_on(db.engine.dialect) and vault_of(db.engine.dialect) is not None
        with mock.patch.object(Connection, "_commit_impl", side_effect=sqlite3.OperationalError("disk I/O error")):
            with pytest.raises(Exception, match="disk"):
                session.commit()
        session.close()  # as every action's session is, once it ends
        assert not sealed_on(db.engine.dialect) and vault_of(db.engine.dialect) is None
    finally:
        db.engine.dispose()
        db.close()
    ids, _ = _numbers(county)
    assert ids[0][:6].isdigit()  # nothing sealed in the file either
