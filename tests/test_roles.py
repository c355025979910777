"""Roles on every table, whatever path a change takes: a viewer cannot export an exchange file, write the accounts,
delete the history or send a writing statement through the app's own session; the history only grows, for an
administrator too; an exchange file is for its owner's eyes and its export is recorded."""

from __future__ import annotations

import datetime as dt
import stat

import pytest
from sqlalchemy import delete, func, select, text, update

from db.errors import AccessDenied
from db.models import Change, CountyProfile, Division, ExchangeReceiver, User
from db.sealing import new_box_pair
from desktop.accounts import sign_in_to
from desktop.exchange.export import export_area
from desktop.periods import Period
from tests.factories import World
from tests.test_accounts import PASSWORD, accounts


@pytest.fixture
def county(db):
    with db.session() as s:
        w = World(s)
        w.add_person(w.add_centre(20, 10000))
        s.add(CountyProfile(id=1, division_id=w.county.id, bureau_name="清溪县卫生健康局"))
        s.commit()
    accounts(db, ("老王", "admin"), ("小张", "editor"), ("小李", "viewer"))
    return db


def _refused(db, write, match: str | None = None) -> None:
    with db.session() as s, pytest.raises(AccessDenied, match=match):
        write(s)
        s.flush()
        s.commit()


def test_a_viewer_writes_nothing_by_any_path(county, tmp_path):
    db = county
    sign_in_to(db, "小李", PASSWORD)
    with db.session() as s:
        history = s.scalar(select(func.count()).select_from(Change))
    paths = {
        "accounts, by the ORM": lambda s: setattr(s.scalar(select(User).where(User.name == "小李")), "role", "admin"),
        "accounts, by a statement": lambda s: s.execute(update(User).values(role="admin")),
        "accounts, by raw SQL": lambda s: s.execute(text("UPDATE users SET role = 'admin' WHERE name = '小李'")),
        "accounts, deleted by the driver": lambda s: s.connection().exec_driver_sql("DELETE FROM users"),
        "history, deleted": lambda s: s.execute(text("DELETE FROM changes")),
        "a record, by raw SQL": lambda s: s.execute(text("UPDATE divisions SET name = '改'")),
        "a record, by the driver": lambda s: s.connection().exec_driver_sql("UPDATE divisions SET name = '改'"),
        "a record, by a statement": lambda s: s.execute(update(Division).values(name="改")),
        "a record, behind a comment": lambda s: s.execute(text("/* 只读 */ UPDATE main.divisions SET name = '改'")),
        "after a read": lambda s: s.connection().exec_driver_sql("SELECT 1; UPDATE divisions SET name = '改'"),
        "the schema": lambda s: s.execute(text("DROP TABLE trainings")),
    }
    for what, write in paths.items():
        with db.session() as s, pytest.raises(AccessDenied):
            write(s)
            s.commit()
            pytest.fail(what)
    out = tmp_path / "小李.chx"
    with db.session() as s, pytest.raises(AccessDenied, match="小李.*查看员"):
        export_area(s, period=Period(2026, 3), out=out, user="小李")
    assert not out.exists()
    with db.session() as s:
        assert s.scalar(select(User.role).where(User.name == "小李")) == "viewer"
        assert s.scalar(select(func.count()).select_from(Change)) == history
        assert "改" not in s.scalars(select(Division.name)).all()
        assert s.scalar(select(func.count()).select_from(User)) == 3


def test_the_history_only_grows_for_an_administrator_too(county):
    db = county
    sign_in_to(db, "老王", PASSWORD)
    for write in (
        lambda s: s.execute(text("DELETE FROM changes")),
        lambda s: s.execute(delete(Change)),
        lambda s: s.connection().exec_driver_sql("UPDATE changes SET user = '别人'"),
        lambda s: s.delete(s.scalars(select(Change)).first()),
        lambda s: setattr(s.scalars(select(Change)).first(), "reason", "改过"),
        lambda s: s.execute(text("/* 注释 */ DELETE FROM changes")),
        lambda s: s.execute(text("-- 注释\nDELETE FROM changes")),
        lambda s: s.connection().exec_driver_sql('UPDATE "main"."changes" SET reason = \'改过\''),
        lambda s: s.execute(text("INSERT OR REPLACE INTO changes SELECT * FROM changes")),
        lambda s: s.execute(
            text("INSERT INTO changes SELECT * FROM changes WHERE true ON CONFLICT (id) DO UPDATE SET reason = '改过'")
        ),
    ):
        _refused(db, write, "修改记录只能追加")
    _refused(db, lambda s: s.connection().exec_driver_sql("SELECT 1; DELETE FROM changes"), "多条语句")
    with db.session() as s:  # an administrator still manages the accounts
        s.execute(update(User).where(User.name == "小李").values(role="editor"))
        s.commit()


def test_an_exchange_file_is_for_its_owner_and_its_export_is_recorded(county, tmp_path):
    db = county
    with db.session() as s:  # the receiver its administrator registered
        s.add(ExchangeReceiver(division_code="539900000000", name="云川市", public_key=new_box_pair()[1],
                               registered_at=dt.datetime.now(), registered_by="老王"))  # fmt: skip
        s.commit()
    sign_in_to(db, "小张", PASSWORD)
    with db.session() as s:
        summary = export_area(s, period=Period(2026, 3), out=tmp_path / "清溪县", user="小张")
        s.commit()
    assert stat.S_IMODE(summary.path.stat().st_mode) == 0o600
    with db.session() as s:
        (noted,) = s.scalars(select(Change).where(Change.action == "unmask")).all()
    assert noted.user == "小张" and noted.reason == f"数据交换文件含完整身份证号码和电话号码：{summary.path.name}"


@pytest.mark.sqlite_only  # a server's database is backed up by the server (pg_dump)
def test_backup_and_restore_need_an_administrator_and_a_damaged_file_asks_its_backup(county, tmp_path, monkeypatch):
    from desktop.cli import main

    db = county
    path = str(db.target)
    db.close()
    monkeypatch.setenv("COUNTYHEALTH_PASSWORD", PASSWORD)
    copy = tmp_path / "备份.db"
    assert main(["backup", "--db", path, "--to", str(copy), "--user", "小张"]) == 2  # an editor: refused
    assert not copy.exists()
    assert main(["backup", "--db", path, "--to", str(copy), "--user", "老王"]) == 0
    with open(path, "r+b") as fh:  # the current file damaged: it cannot say who may restore it
        fh.seek(fh.seek(0, 2) // 2)
        fh.write(b"\xff" * 8192)
    assert main(["restore", str(copy), "--db", path, "--yes", "--user", "小张"]) == 2  # the backup's editor
    assert main(["restore", str(copy), "--db", path, "--yes", "--user", "老王"]) == 0  # the backup's administrator
