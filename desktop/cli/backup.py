"""``countyhealth backup`` and ``countyhealth restore``."""

from __future__ import annotations

import argparse


def refuse_server(target: str) -> None:
    """Backups here are copies of a SQLite file; a server database is backed up by the server's own tools."""
    from db.backups import ON_SERVER
    from db.engine import to_url
    from desktop.cli import UserError

    if to_url(target).get_backend_name() != "sqlite":
        raise UserError(ON_SERVER)


def _has_accounts(path: str) -> bool:
    """Whether the file has an active account, read without opening it as the app does (no writer lock, no
    upgrade: a backup stays online beside the open window). A file that cannot be read so is assumed to have."""
    import sqlite3
    from pathlib import Path

    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            return bool(conn.execute("SELECT count(*) FROM users WHERE active").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return True


def _administrator(args: argparse.Namespace, path: str, what: str) -> None:
    """Where the database at ``path`` has accounts, only an administrator of it (``--user``) may go on."""
    from desktop.cli import open_db

    if not _has_accounts(path):
        return
    db = open_db(argparse.Namespace(**{**vars(args), "db": path}))
    try:
        db.actor.require("manage", what)
    finally:
        db.close()


def cmd_backup(args: argparse.Namespace) -> int:
    from db.backups import make_backup

    refuse_server(args.db)
    _administrator(args, args.db, "备份数据库")  # a copy of every whole ID number: an administrator's to make
    info = make_backup(args.db, to=args.to)
    print(f"已备份并通过完整性检查：{info.path}（{info.contents}）")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    import shutil
    import tempfile
    from pathlib import Path

    from db import DamagedDatabaseError
    from db.backups import describe, restore, verify
    from desktop.cli import UserError

    refuse_server(args.db)
    backup = Path(args.file)
    if not backup.exists():
        raise UserError(f"找不到备份文件：{backup}")
    if Path(args.db).exists():  # where sign-in is on, only an administrator may replace the database
        try:
            _administrator(args, args.db, "从备份恢复数据库")
        except DamagedDatabaseError:  # a damaged file cannot say who may: the backup's own accounts do
            verify(backup)
            with tempfile.TemporaryDirectory() as folder:
                copy = Path(folder) / "备份副本.db"
                shutil.copyfile(backup, copy)  # opened on a copy: opening may upgrade it, and the backup stays
                _administrator(args, str(copy), "从备份恢复数据库")
    verify(backup)
    info = describe(backup)
    print(info.preview)
    if not args.yes:
        answer = input("用此备份替换当前数据库？当前文件会先另存一份备份。输入 y 确认：").strip().lower()
        if answer not in ("y", "yes", "是"):
            print("已取消，数据库未改动。")
            return 0
    _restored, safety = restore(backup, args.db)
    if safety:
        print(f"当前数据库已先备份到：{safety}")
    print(f"已恢复：{args.db}")
    return 0


def register(sub) -> None:
    from desktop.cli import add_db_option

    backup = sub.add_parser("backup", help="备份数据库", description="用 SQLite 在线备份复制数据库，并检查备份是否完好")
    add_db_option(backup)
    backup.add_argument("--to", help="备份文件（默认：数据库旁的“备份”文件夹）")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser(
        "restore", help="从备份恢复数据库", description="先检查备份并备份当前文件，再用备份替换数据库"
    )
    restore.add_argument("file", help="备份文件")
    add_db_option(restore)
    restore.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    restore.set_defaults(func=cmd_restore)
