"""The database, its journal and its backups are its owner's alone, sign-in or not: made 0600 in folders made
0700, and a file made before is narrowed when opened. Files with whole numbers (an unmasked export, a filled
template with whole numbers) are 0600 too; a masked export is an ordinary file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from db import open_database
from db.backups import make_backup, restore
from db.models import Division
from desktop.excel.export import export_workbook
from desktop.excel.templates import fill_template
from desktop.periods import Period

pytestmark = [
    pytest.mark.sqlite_only,
    pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX modes"),
]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_its_journal_and_backups_are_for_its_owner(tmp_path):
    path = tmp_path / "新文件夹" / "子文件夹" / "县.db"
    db = open_database(path)
    try:
        with db.session() as s:  # a write: the WAL and its index exist once written
            s.add(Division(code="539921000000", name="清溪县", kind="county"))
            s.commit()
        info = make_backup(path)
    finally:
        db.close()
    assert _mode(path.parent.parent) == _mode(path.parent) == 0o700
    assert _mode(path) == 0o600 and _mode(info.path) == 0o600 and _mode(info.path.parent) == 0o700
    for part in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        if part.exists():
            assert _mode(part) == 0o600, part
    assert not [p for p in path.parent.iterdir() if p.is_file() and _mode(p) & 0o077]

    os.chmod(path, 0o644)  # as an older version left it
    restored = tmp_path / "恢复到" / "县.db"
    restore(info.path, restored)
    assert _mode(restored) == 0o600 and _mode(restored.parent) == 0o700
    open_database(path).close()
    assert _mode(path) == 0o600


def test_a_folder_that_exists_is_left_as_the_user_made_it(tmp_path):
    shared = tmp_path / "共享"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    open_database(shared / "县.db").close()
    assert _mode(shared) == 0o755 and _mode(shared / "县.db") == 0o600


def test_files_with_whole_numbers_are_private_and_masked_ones_ordinary(demo_db, tmp_path):
    period = Period(2026, 3)
    whole = tmp_path / "完整号码.xlsx"
    masked = tmp_path / "脱敏.xlsx"
    export_workbook(demo_db, ["staff"], period, whole, unmask_ids=True, user="县局")
    export_workbook(demo_db, ["staff"], period, masked, user="县局")
    with demo_db.session() as s:
        template = fill_template(s, "staff", tmp_path / "人员模板.xlsx", unmask=True)
        s.commit()
    assert _mode(whole) == _mode(template) == 0o600
    assert _mode(masked) & 0o044  # readable as any file the user saves
