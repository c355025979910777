"""Backups of the database file: made with SQLite's online backup API, verified, kept in rotation.

A backup counts only once its copy passes ``integrity_check`` and ``foreign_key_check``. Automatic
backups (before an import, a restore, ...) are kept 7 daily, 4 weekly and 12 monthly; backups the user
asked for are never deleted by the rotation.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.errors import UserError
from db.files import as_write_error, open_read_only, owner_only, private_folder, written_whole

if TYPE_CHECKING:
    from db.vault import Vault

log = logging.getLogger(__name__)

MANUAL = "manual"
NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[\w-]+)\.db$")


class BackupError(UserError):
    """A backup that cannot be made, verified or restored; the message is Chinese."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    reason: str
    counts: dict[str, int]  # records by kind, for the preview before a restore
    revision: str | None

    @property
    def contents(self) -> str:
        """What it holds, as the user reads it: 机构 304，人员 2,604，..."""
        return "，".join(f"{k} {v:,}" for k, v in self.counts.items())

    @property
    def preview(self) -> str:
        """Shown before a restore: when it was made and what it holds."""
        return f"备份时间：{self.created:%Y-%m-%d %H:%M}\n备份内容：{self.contents}"


ON_SERVER = "当前数据库在服务器上（PostgreSQL），本程序只备份和恢复本机的数据库文件；请用服务器的备份（如 pg_dump）。"

REASONS = {"manual": "手动备份", "daily": "每日自动", "before-import": "导入前", "before-restore": "恢复前"}


def reason_label(reason: str) -> str:
    if reason.startswith("before-upgrade-"):
        return f"升级前（结构版本 {reason.removeprefix('before-upgrade-')}）"
    return REASONS.get(reason, reason)


def backed_up_today(db_path: str | Path, today: dt.date) -> bool:
    """True when the folder already holds a backup made today (any reason): the daily one is then not needed."""
    folder = backup_folder(Path(db_path))
    stamp = f"{today:%Y%m%d}-"
    return folder.exists() and any(
        (m := NAME.match(p.name)) and m.group("stamp").startswith(stamp) for p in folder.glob("*.db")
    )


def backup_folder(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.stem}-备份"


def verify(path: Path) -> None:
    """Raise BackupError unless the file is a sound SQLite database."""
    try:
        conn = open_read_only(path)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        log.warning("%s cannot be checked: %s", path, exc)
        raise BackupError(f"“{path.name}”不是完好的数据库文件（无法读取或已损坏）。") from None
    if result != [("ok",)]:
        log.warning("integrity_check of %s: %s", path, result[:5])
        raise BackupError(f"“{path.name}”未通过完整性检查（文件已损坏），不能使用。")
    if broken:
        raise BackupError(f"“{path.name}”有 {len(broken)} 处外键不一致（如表 {broken[0][0]}）")


def describe(path: Path) -> BackupInfo:
    """What a backup holds, without opening it for writing."""
    m = NAME.match(path.name)
    created = (dt.datetime.strptime(m.group("stamp"), "%Y%m%d-%H%M%S") if m
               else dt.datetime.fromtimestamp(path.stat().st_mtime))  # fmt: skip
    conn = open_read_only(path)
    try:
        counts = {}
        for table, label in (
            ("facilities", "机构"),
            ("staff", "人员"),
            ("projects", "建设项目"),
            ("key_tasks", "重点任务"),
        ):
            try:
                counts[label] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (fixed names)
            except sqlite3.DatabaseError:
                counts[label] = 0
        try:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        except sqlite3.DatabaseError:
            revision = None
    finally:
        conn.close()
    return BackupInfo(path, created, m.group("reason") if m else MANUAL, counts, revision)


def make_backup(db_path: str | Path, *, to: str | Path | None = None, reason: str = MANUAL,
                now: dt.datetime | None = None) -> BackupInfo:  # fmt: skip
    """Copy the live database (WAL included) consistently, verify the copy, rotate automatic backups."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise BackupError(f"找不到数据库文件：{db_path}")
    now = now or dt.datetime.now()
    if to is None:
        folder = backup_folder(db_path)
        to = folder / f"{db_path.stem}-{now:%Y%m%d-%H%M%S}-{reason}.db"
    to = Path(to)
    with written_whole(to, private=True) as partial:  # every whole number the database holds
        source = sqlite3.connect(db_path)
        try:
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
                # The copy inherits WAL mode from the live file; a backup is a single self-contained file.
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        finally:
            source.close()
        verify(partial)
    if reason != MANUAL and to.parent == backup_folder(db_path):
        rotate(to.parent, today=now.date())
    return describe(to)


def list_backups(db_path: str | Path, *, verified: bool = False) -> list[BackupInfo]:
    """The backups in the database's folder, newest first; with ``verified``, only those that pass the checks."""
    folder = backup_folder(Path(db_path))
    if not folder.exists():
        return []
    found = []
    for p in folder.glob("*.db"):
        if not NAME.match(p.name):
            continue
        try:
            if verified:
                verify(p)
            found.append(describe(p))
        except (BackupError, sqlite3.DatabaseError):
            continue
    return sorted(found, key=lambda b: b.created, reverse=True)


def rotate(folder: Path, *, today: dt.date, daily: int = 7, weekly: int = 4, monthly: int = 12) -> list[Path]:
    """Delete automatic backups beyond the newest per day (last 7 days with backups), per week (4), per month
    (12). Returns the files deleted."""
    automatic = []
    for p in folder.glob("*.db"):
        m = NAME.match(p.name)
        if m and m.group("reason") != MANUAL:
            automatic.append((dt.datetime.strptime(m.group("stamp"), "%Y%m%d-%H%M%S"), p))
    automatic.sort(reverse=True)
    keep: set[Path] = set()
    for bucket, limit in ((lambda d: d.date(), daily), (lambda d: d.isocalendar()[:2], weekly),
                          (lambda d: (d.year, d.month), monthly)):  # fmt: skip
        seen = []
        for created, p in automatic:
            key = bucket(created)
            if key not in seen:
                seen.append(key)
                if len(seen) <= limit:
                    keep.add(p)
    deleted = [p for _created, p in automatic if p not in keep]
    for p in deleted:
        p.unlink(missing_ok=True)
    return deleted


def restore(backup: str | Path, db_path: str | Path) -> tuple[BackupInfo, Path | None]:
    """Put a backup in place of the database, after verifying it and backing up the current file.

    The caller must have closed every connection to ``db_path``. A current file that is itself damaged is
    kept as a plain copy (``.damaged``), never lost. Returns (restored, where the current file was kept)."""
    backup, db_path = Path(backup), Path(db_path)
    if not backup.exists():
        raise BackupError(f"找不到备份文件：{backup}")
    verify(backup)
    from db.writer_lock import WriterLock

    try:
        private_folder(db_path.parent)  # restoring to a new place: its folder is made, for its owner
    except OSError as exc:
        raise as_write_error(exc, db_path) from None
    lock = WriterLock(db_path).acquire()  # not while another copy of the app has the file open
    try:
        if lock.reopened:  # nor while this process still has it open: its connections would see another file
            raise BackupError("数据库仍在使用中（本程序中还有打开它的窗口或任务），请关闭后再恢复。")
        return _replace(backup, db_path)
    except (OSError, sqlite3.Error) as exc:
        converted = as_write_error(exc, db_path)
        if converted is exc:
            raise
        raise converted from None
    finally:
        lock.release()


def _replace(backup: Path, db_path: Path) -> tuple[BackupInfo, Path | None]:
    safety = None
    if db_path.exists():
        try:
            safety = make_backup(db_path, reason="before-restore").path
        except (BackupError, sqlite3.DatabaseError):
            folder = backup_folder(db_path)
            private_folder(folder)
            safety = folder / f"{db_path.stem}-{dt.datetime.now():%Y%m%d-%H%M%S}.db.damaged"
            shutil.copy2(db_path, safety)
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    source = open_read_only(backup)
    try:
        os.close(os.open(db_path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600))  # made private
        owner_only(db_path)
        target = sqlite3.connect(db_path)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    verify(db_path)
    return describe(backup), safety


def seal_backups(db_path: Path, vault: Vault, accounts: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """Sign-in just turned on: the backups beside the database, made while numbers were stored whole, sealed with
    the same data key and given the accounts (with their slots) that open it now, so that no copy of the numbers
    stays readable without a password and a restored backup opens with today's passwords. A backup of an older
    structure is brought up to date first (as restoring it would). Each is sealed on a copy that then replaces it:
    none is ever deleted, and one that cannot be sealed (damaged, locked, of a newer version) is left as it was and
    named in the answer. Returns (sealed, left as they were)."""
    from sqlalchemy import create_engine, delete, insert

    from db.engine import _run_migrations
    from db.models import Base, User, VaultState
    from db.vault import reseal

    folder = backup_folder(db_path)
    if not folder.exists():
        return 0, []
    sealed, left = 0, []
    for path in sorted(folder.glob("*.db")):
        work = path.with_name(f".~{path.stem}.sealing.db")
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                done = (
                    conn.execute("SELECT name FROM sqlite_master WHERE name = 'vault'").fetchone()
                    and conn.execute("SELECT 1 FROM vault").fetchone()
                )
            finally:
                conn.close()
            if done:
                continue
            shutil.copyfile(path, work)
            os.chmod(work, 0o600)
            engine = create_engine(f"sqlite:///{work}")
            try:
                _run_migrations(engine, "head")  # nothing to do for a backup of this version
                with engine.begin() as connection:
                    reseal(connection, Base.metadata, sealing=vault)
                    connection.execute(insert(VaultState), [{"id": 1, "sealed_at": dt.datetime.now(),
                                                             "check_value": vault.check}])  # fmt: skip
                    connection.execute(delete(User))
                    if accounts:
                        connection.execute(insert(User), accounts)
            finally:
                engine.dispose()
            conn = sqlite3.connect(work, isolation_level=None)
            try:  # the whole values gone from the free pages too
                conn.execute("VACUUM")
            finally:
                conn.close()
            os.replace(work, path)
            sealed += 1
        except Exception:  # left whole, never lost: the caller says so
            log.exception("backup %s could not be sealed", path.name)
            work.unlink(missing_ok=True)
            left.append(path.name)
    return sealed, left
