"""Sign-in, roles and the write guard: a viewer's session writes nothing, whatever path it takes."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from db import AccessDenied, Actor
from db.models import Change, Division, Facility, StaffMember, User
from desktop.accounts import (
    WRONG,
    AccountError,
    add_account,
    change_own_password,
    hash_password,
    sign_in,
    sign_in_required,
    sign_in_to,
    turn_off_sign_in,
    update_account,
    verify_password,
)
from desktop.records import privacy
from desktop.records.editing import create_record, update_record
from desktop.records.types import STAFF
from tests.factories import World

PASSWORD = "清溪县2026卫健"


def test_password_hash_is_salted_scrypt_at_owasp_parameters_and_verifies():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second  # salted
    scheme, log2n, r, p, _salt, _digest = first.split("$")
    assert (scheme, int(log2n), int(r), int(p)) == ("scrypt", 17, 8, 1)
    assert PASSWORD not in first
    assert verify_password(PASSWORD, first) and not verify_password(PASSWORD + "x", first)
    assert not verify_password(PASSWORD, "garbage") and not verify_password(PASSWORD, "scrypt$1$2$3$@@$@@")


def accounts(db, *people: tuple[str, str]) -> None:
    """Accounts made as sign-in is first set up: the first is the administrator."""
    with db.session() as s:
        for name, role in people:
            add_account(s, name, role, PASSWORD)
        s.commit()


def test_sign_in_is_off_until_the_first_account_which_must_be_an_administrator(db):
    with db.session() as s:
        assert not sign_in_required(s)
        with pytest.raises(AccountError, match="第一个账号必须是管理员"):
            add_account(s, "小李", "viewer", PASSWORD)
        with pytest.raises(AccountError, match="至少 8 位"):
            add_account(s, "老王", "admin", "short")
        add_account(s, "老王", "admin", PASSWORD)
        s.commit()
        assert sign_in_required(s)
        stored = s.scalar(select(User.password_hash))
        assert stored.startswith("scrypt$") and PASSWORD not in stored


def test_wrong_passwords_pause_the_account_and_the_pause_survives_a_restart(db):
    accounts(db, ("老王", "admin"))
    now = dt.datetime(2026, 11, 25, 9, 0)
    for _attempt in range(5):
        with db.session() as s, pytest.raises(AccountError) as wrong:
            try:
                sign_in(s, "老王", "wrong-password", now=now)
            finally:
                s.commit()
        assert str(wrong.value) == WRONG
    with db.session() as s:
        assert s.scalar(select(User.locked_until)) == now + dt.timedelta(seconds=30)
    with db.session() as s, pytest.raises(AccountError) as wrong:
        sign_in(s, "老王", "wrong-password", now=now + dt.timedelta(seconds=10))  # a guess learns nothing more
    assert str(wrong.value) == WRONG
    with db.session() as s, pytest.raises(AccountError, match="请 .*后再试"):
        sign_in(s, "老王", PASSWORD, now=now + dt.timedelta(seconds=10))  # even the right one waits, and is told
    with db.session() as s:
        assert sign_in(s, "老王", PASSWORD, now=now + dt.timedelta(seconds=31)) == Actor("老王", "admin", True)
        s.commit()
        assert s.scalar(select(User.failed_attempts)) == 0
    with db.session() as s, pytest.raises(AccountError) as unknown:
        sign_in(s, "没有这个人", PASSWORD)
    assert str(unknown.value) == WRONG  # the same words as a wrong password: names cannot be probed


def test_a_viewer_cannot_change_a_record_or_unmask_and_the_history_names_each_account(db):
    with db.session() as s:
        w = World(s)
        person = w.add_person(w.add_centre(20, 10000))
        s.commit()
        person_id, number = person.id, person.id_number
    accounts(db, ("老王", "admin"), ("小张", "editor"), ("小李", "viewer"))

    sign_in_to(db, "小李", PASSWORD)
    with db.session() as s:
        with pytest.raises(AccessDenied, match="小李.*查看员"):
            update_record(s, STAFF, person_id, {"title": "senior"}, user="冒充")
        s.rollback()
        new_person = {**{f: getattr(person, f) for f in ("facility_id", "category", "title", "employment_form")},
                      "name": "新人", "id_number": "110101199003074514", "status": "on_post"}  # fmt: skip
        with pytest.raises(AccessDenied, match="小李.*查看员"):  # a new record, written in bulk past the ORM
            create_record(s, STAFF, new_person, user="冒充")
        s.rollback()
        s.add(Division(code="539921100000", name="新镇", kind="township"))
        with pytest.raises(AccessDenied, match="修改记录"):
            s.flush()
        s.rollback()
        with pytest.raises(AccessDenied, match="查看完整"):
            privacy.reveal(s, STAFF, person_id, "id_number")
        s.rollback()
        with pytest.raises(AccessDenied, match="管理账号"):
            add_account(s, "外人", "admin", PASSWORD)
        s.rollback()
        person = s.get(StaffMember, person_id)
        person.title = "senior"  # even straight through the ORM
        with pytest.raises(AccessDenied):
            s.commit()
    with db.session() as s:
        assert s.get(StaffMember, person_id).title == "none"  # as the factory made them
        assert not s.scalars(select(Change).where(Change.table_name == "staff")).all()

    sign_in_to(db, "小张", PASSWORD)
    with db.session() as s:
        update_record(s, STAFF, person_id, {"title": "senior"}, user="冒充")  # the account is named, not "冒充"
        assert privacy.reveal(s, STAFF, person_id, "id_number") == number
        with pytest.raises(AccessDenied):
            update_account(s, "小李", role="admin")
        s.rollback()
        update_record(s, STAFF, person_id, {"title": "senior"}, user="冒充")
        privacy.reveal(s, STAFF, person_id, "id_number")
        s.commit()
    sign_in_to(db, "老王", PASSWORD)
    with db.session() as s:
        update_record(s, STAFF, person_id, {"title": "intermediate"}, user="系统")
        s.commit()
        history = s.execute(
            select(Change.user, Change.action).where(Change.table_name == "staff").order_by(Change.id)
        ).all()
    assert [tuple(h) for h in history] == [("小张", "update"), ("小张", "unmask"), ("老王", "update")]


def test_an_administrator_keeps_the_last_administrator_and_can_turn_sign_in_off(db):
    accounts(db, ("老王", "admin"), ("小李", "viewer"))
    sign_in_to(db, "老王", PASSWORD)
    with db.session() as s:
        with pytest.raises(AccountError, match="至少要保留一个"):
            update_account(s, "老王", role="viewer")
        with pytest.raises(AccountError, match="至少要保留一个"):
            update_account(s, "老王", active=False)
        update_account(s, "小李", active=False)
        s.commit()
    with db.session() as s, pytest.raises(AccountError, match="已停用"):
        sign_in(s, "小李", PASSWORD)
    with db.session() as s:
        change_own_password(s, PASSWORD, "新的密码12345")
        s.commit()
    with pytest.raises(AccountError):
        sign_in_to(db, "老王", PASSWORD)
    sign_in_to(db, "老王", "新的密码12345")
    with db.session() as s:
        assert turn_off_sign_in(s) == 2
        s.commit()
        assert not sign_in_required(s)
        kept = s.scalars(select(Change.reason).where(Change.table_name == "users", Change.user == "老王")).all()
    assert kept.count("关闭登录，删除账号") == 2


def cli(*args: str, password: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTYHEALTH_")}
    if password is not None:
        env["COUNTYHEALTH_PASSWORD"] = password
    command = Path(sys.executable).parent / "countyhealth"
    return subprocess.run([str(command), *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)


def test_the_command_line_signs_in_where_sign_in_is_on(demo_db, tmp_path):
    accounts(demo_db, ("老王", "admin"), ("小李", "viewer"))
    path, on_file = demo_db.target, demo_db.is_sqlite
    demo_db.close()
    out = str(tmp_path / "staff.xlsx")
    refused = cli("export", "staff", "--db", path, "--period", "2026Q3", "--out", out)
    assert refused.returncode == 2 and "已启用登录" in refused.stderr and "--user" in refused.stderr
    wrong = cli("info", "--db", path, "--user", "小李", password="not-the-password")
    assert wrong.returncode == 2 and "账号或密码不正确" in wrong.stderr
    unmask = cli("export", "staff", "--db", path, "--period", "2026Q3", "--out", out, "--unmask-ids", "--user", "小李")
    assert unmask.returncode == 2  # no password given and no terminal to ask on
    viewer = ["export", "staff", "--db", path, "--period", "2026Q3", "--out", out, "--user", "小李"]
    assert cli(*viewer, "--unmask-ids", password=PASSWORD).returncode == 2
    done = cli(*viewer, password=PASSWORD)
    assert done.returncode == 0, done.stderr
    restore = cli("restore", out, "--db", path, "--yes", "--user", "小李", password=PASSWORD)
    refusal = "无权从备份恢复数据库" if on_file else "请用服务器的备份"
    assert restore.returncode == 2 and refusal in restore.stderr


def test_facilities_and_people_are_never_deleted_only_closed_or_left(db):
    with db.session() as s:
        w = World(s)
        centre = w.add_centre(20, 10000)
        person = w.add_person(centre)
        s.commit()
        records = [(StaffMember, person.id), (Facility, centre.id)]
    for model, record_id in records:
        with db.session() as s:
            s.delete(s.get(model, record_id))
            with pytest.raises(AccessDenied, match="不能删除"):
                s.commit()
    with db.session() as s:
        assert all(s.get(model, record_id) is not None for model, record_id in records)


def test_a_viewer_cannot_write_through_statements_or_load_the_demo(tmp_path):
    from sqlalchemy import update

    from db import open_database
    from desktop.demo import DemoOptions, write_demo

    db = open_database(tmp_path / "空.db")
    try:
        with db.session() as s:
            World(s)
            s.commit()
        accounts(db, ("老王", "admin"), ("小李", "viewer"))
        sign_in_to(db, "小李", PASSWORD)
        with db.session() as s, pytest.raises(AccessDenied):
            s.execute(update(Division).values(name="改"))
        with db.session() as s, pytest.raises(AccessDenied, match="载入示范数据"):
            write_demo(db, DemoOptions())
        with db.session() as s:
            assert "改" not in s.scalars(select(Division.name)).all()
    finally:
        db.close()


def test_however_many_wrong_passwords_the_pause_stays_at_most_fifteen_minutes(db):
    accounts(db, ("老王", "admin"))
    with db.session() as s:
        s.scalar(select(User)).failed_attempts = 60  # a night of scripted guessing
        s.commit()
    now = dt.datetime(2026, 11, 25, 9, 0)
    with db.session() as s, pytest.raises(AccountError, match="账号或密码不正确"):
        try:
            sign_in(s, "老王", "wrong-password", now=now)
        finally:
            s.commit()
    with db.session() as s:
        assert s.scalar(select(User.locked_until)) == now + dt.timedelta(minutes=15)


def test_a_database_with_accounts_opened_without_signing_in_is_read_only(db):
    from db import open_database

    with db.session() as s:
        w = World(s)
        person = w.add_person(w.add_centre(20, 10000))
        s.commit()
    accounts(db, ("老王", "admin"))
    path = db.target
    db.close()
    again = open_database(path)
    try:
        assert again.actor.name == "未登录" and not again.actor.can("edit")
        with again.session() as s, pytest.raises(AccessDenied, match="未登录"):
            update_record(s, STAFF, person.id, {"title": "senior"}, user="某人")
    finally:
        again.close()


def test_a_second_person_with_the_same_id_number_is_refused_with_a_reason(db):
    from desktop.records.editing import RecordError, create_record

    with db.session() as s:
        w = World(s)
        centre = w.add_centre(20, 10000)
        person = w.add_person(centre)
        s.commit()
        raw = {"name": "重号", "id_number": person.id_number, "facility_id": centre.id, "category": "nurse",
               "title": "none", "employment_form": "contract", "status": "on_post"}  # fmt: skip
        with pytest.raises(RecordError) as refused:
            create_record(s, STAFF, raw, user="测试")
    assert refused.value.errors["id_number"] == f"该身份证号码已登记为“{person.name}”"
