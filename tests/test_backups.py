"""Backups: verified copies, rotation of automatic ones, restore with a safety copy first."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from db import DamagedDatabaseError, open_database
from db.backups import BackupError, backup_folder, describe, list_backups, make_backup, restore, rotate
from desktop.cli import main

pytestmark = pytest.mark.sqlite_only  # backups are copies of the SQLite file


def _count(path, table="staff") -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (test)
    finally:
        conn.close()


def test_a_backup_of_a_live_database_is_one_sound_file(demo_db):
    with demo_db.session() as s:  # an open connection with WAL content not yet checkpointed
        s.execute(sqlite3_text("UPDATE facilities SET name = name || '甲' WHERE id = 1"))
        s.commit()
        info = make_backup(demo_db.path)
    assert info.path.parent == backup_folder(demo_db.path)
    assert info.counts["人员"] == _count(demo_db.path) > 2000
    assert info.revision is not None
    conn = sqlite3.connect(info.path)
    assert conn.execute("SELECT name FROM facilities WHERE id = 1").fetchone()[0].endswith("甲")
    conn.close()
    # Only the backup itself is left behind: no journal, WAL or half-written copy.
    assert [p.name for p in info.path.parent.iterdir()] == [info.path.name]


def test_a_missing_or_broken_file_gets_a_chinese_reason(tmp_path):
    with pytest.raises(BackupError, match="找不到数据库文件"):
        make_backup(tmp_path / "none.db")
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(BackupError):
        restore(broken, tmp_path / "county.db")


def test_rotation_keeps_seven_days_four_weeks_twelve_months_and_every_manual_backup(tmp_path):
    folder = tmp_path / "county-备份"
    folder.mkdir()
    start = dt.datetime(2025, 1, 1, 9, 0, 0)
    made = []
    for day in range(400):  # two automatic backups a day for 400 days
        for hour in (9, 17):
            when = start + dt.timedelta(days=day, hours=hour - 9)
            p = folder / f"county-{when:%Y%m%d-%H%M%S}-before-import.db"
            p.write_bytes(b"")
            made.append((when, p))
    manual = folder / "county-20250105-120000-manual.db"
    manual.write_bytes(b"")
    today = (start + dt.timedelta(days=399)).date()
    deleted = rotate(folder, today=today)
    kept = sorted(p.name for p in folder.glob("*.db"))
    assert manual.name in kept
    automatic = [n for n in kept if "before-import" in n]
    # newest of each of the last 7 days; of the last 4 weeks and 12 months some coincide with those
    days = {n.split("-")[1] for n in automatic}
    assert {f"{today - dt.timedelta(days=i):%Y%m%d}" for i in range(7)} <= days
    assert all(n.endswith("170000-before-import.db") for n in automatic)  # the newest of its day
    months = {n.split("-")[1][:6] for n in automatic}
    assert len(months) == 12
    assert 7 < len(automatic) <= 7 + 4 + 12
    assert len(deleted) == len(made) - len(automatic)


def test_restore_replaces_the_file_after_backing_up_the_current_one(demo_db, tmp_path):
    path = demo_db.path
    first = make_backup(path, to=tmp_path / "saved.db")
    demo_db.close()
    lost = sqlite3.connect(path)  # the people lost past the app (which deletes no one)
    lost.executescript("DELETE FROM trainings; DELETE FROM staff_loans; DELETE FROM staff;")
    lost.close()
    assert _count(path) == 0

    restored, safety = restore(first.path, path)
    assert _count(path) == first.counts["人员"]
    assert safety is not None and describe(safety).counts["人员"] == 0  # the state before the restore is kept
    assert describe(safety).reason == "before-restore"
    reopened = open_database(path)
    reopened.close()


def test_a_damaged_file_is_refused_on_open_and_the_latest_backup_brings_it_back(demo_db):
    path = demo_db.path
    demo_db.close()
    good = make_backup(path, reason="before-import")
    with path.open("r+b") as fh:  # overwrite pages in the middle of the file
        size = fh.seek(0, 2)
        fh.seek(size // 2)
        fh.write(b"\xff" * 8192)
    before = path.read_bytes()
    with pytest.raises(DamagedDatabaseError) as caught:
        open_database(path)
    assert "已损坏" in str(caught.value) and good.path.name in str(caught.value)
    assert caught.value.latest_backup.path == good.path
    assert path.read_bytes() == before  # not opened for writing: not one byte changed

    assert main(["info", "--db", str(path)]) == 2  # the command line says so too, without a traceback
    assert main(["restore", str(caught.value.latest_backup.path), "--db", str(path), "--yes"]) == 0
    (kept,) = backup_folder(path).glob("*.db.damaged")
    assert kept.read_bytes() == before  # the damaged file is kept as it was, next to the backups
    reopened = open_database(path)
    reopened.close()
    assert _count(path) == good.counts["人员"]


def test_cli_backup_and_restore_show_what_the_file_holds(tmp_path, capsys):
    path = tmp_path / "county.db"
    assert main(["demo", "--db", str(path)]) == 0
    capsys.readouterr()
    assert main(["backup", "--db", str(path), "--to", str(tmp_path / "b.db")]) == 0
    out = capsys.readouterr().out
    assert "通过完整性检查" in out and "人员" in out

    assert main(["restore", str(tmp_path / "b.db"), "--db", str(path), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "备份时间" in out and "已恢复" in out and "当前数据库已先备份到" in out
    assert len(list_backups(path)) == 1

    assert main(["restore", str(tmp_path / "nothing.db"), "--db", str(path), "--yes"]) == 2
    assert "找不到备份文件" in capsys.readouterr().err


def sqlite3_text(sql: str):
    from sqlalchemy import text

    return text(sql)


@pytest.mark.parametrize("name", ["?", "季度#1.db", "100%备份.db", "a?mode=rw.db"])
def test_a_backup_under_any_file_name_is_read_and_restored(tmp_path, name):
    source = open_database(tmp_path / "县?台账#1.db")
    source.close()
    info = make_backup(source.path, to=tmp_path / name)
    assert info.path.name == name and info.revision is not None
    restored, _ = restore(info.path, source.path)
    open_database(source.path).close()
