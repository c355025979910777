"""Kill the core with SIGKILL at random moments while it writes; the file must stay sound and hold exactly
the committed work: edits, an import, an upgrade of the schema. 20 kills here; ``make soak`` runs 200
(CRASH_KILLS)."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import MetaData, insert, select

from db import open_database
from db.backups import backup_folder
from db.migrations import HEAD
from db.models import Facility
from desktop.demo import DemoOptions, generate
from desktop.excel.templates import DATA_SHEET, write_template
from tests.factories import fill_staff_rows

KILLS = int(os.environ.get("CRASH_KILLS", "20"))
WRITER = Path(__file__).with_name("crash_writer.py")
NEW_STAFF = 300

pytestmark = [pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX"), pytest.mark.sqlite_only]


@pytest.fixture(scope="module")
def staff_workbook(demo_template, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("crash")
    path = folder / "db.db"
    shutil.copyfile(demo_template, path)
    db = open_database(path)
    with db.session() as s:
        out = write_template(s, "staff", folder / "人员模板.xlsx")
        facility = s.scalar(select(Facility.name).where(Facility.kind == "county_hospital"))
    db.close()
    wb = load_workbook(out)
    fill_staff_rows(wb[DATA_SHEET], NEW_STAFF, facility)
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def old_schema(tmp_path_factory) -> Path:
    """The demo county in a database of the previous schema (0004), with a long history, so that the upgrade's
    rebuild of the history table takes long enough to be killed in."""
    path = tmp_path_factory.mktemp("old") / "0004.db"
    db = open_database(path, to_revision="0004")
    old = MetaData()
    old.reflect(db.engine)
    rows, _facts = generate(DemoOptions())
    with db.engine.begin() as conn:  # the demo as that schema holds it: columns added since are left out
        for name, table_rows in rows:
            if name == "indicator_values":  # of the plans that schema did not have yet
                continue
            table = old.tables[name]
            conn.execute(insert(table), [{k: v for k, v in r.items() if k in table.c} for r in table_rows])
    with db.engine.begin() as conn:  # as that schema's history holds them (the model's columns may be more)
        at = dt.datetime(2026, 1, 1)
        conn.execute(
            insert(old.tables["changes"]),
            [dict(at=at, user="旧", table_name="staff", row_id=i, action="update", old_values={"title": "junior"},
                  new_values={"title": "intermediate"}) for i in range(1, 40_001)],
        )  # fmt: skip
    db.close()
    return path


def _schema(path: Path) -> tuple[str, set[str], int, int]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        staff = conn.execute("SELECT count(*) FROM staff").fetchone()[0]
        changes = conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    finally:
        conn.close()
    return revision, tables, staff, changes


def _state(path: Path) -> dict:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        beds = dict(conn.execute("SELECT id, open_beds FROM facilities WHERE id IN (1, 2)").fetchall())
        staff = conn.execute("SELECT count(*) FROM staff").fetchone()[0]
        imported = conn.execute("SELECT count(*) FROM changes WHERE user = '崩溃测试'").fetchone()[0]
    finally:
        conn.close()
    return {"beds": beds, "staff": staff, "imported_changes": imported}


def _kill_after(args: list[str], delay: float) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(WRITER.parent.parent)}
    proc = subprocess.Popen([sys.executable, str(WRITER), *args], stdout=subprocess.PIPE, text=True, env=env)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=60)
    return out.split()


def _timed_import(path: Path, workbook: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(WRITER.parent.parent)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(WRITER), "import", str(path), str(workbook)], env=env,
                          capture_output=True, text=True, check=True, timeout=300)  # fmt: skip
    assert done.stdout.split() == ["imported", str(NEW_STAFF)]
    return time.perf_counter() - started


def _fresh_copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)


def test_killed_at_random_moments_nothing_lost_nothing_half_written(
    demo_template, staff_workbook, old_schema, tmp_path
):
    rng = random.Random(int(os.environ.get("CRASH_SEED", "20261123")))
    edits, imports, upgrades = tmp_path / "edits.db", tmp_path / "import.db", tmp_path / "upgrade.db"
    shutil.copyfile(demo_template, edits)
    start = _state(edits)
    shutil.copyfile(demo_template, imports)
    whole_import = _timed_import(imports, staff_workbook)  # how long an uninterrupted import takes
    old_revision, old_tables, old_staff, old_changes = _schema(old_schema)
    assert old_revision == "0004" and "users" not in old_tables
    _fresh_copy(old_schema, upgrades)
    env = {**os.environ, "PYTHONPATH": str(WRITER.parent.parent)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(WRITER), "migrate", str(upgrades)], env=env,
                          capture_output=True, text=True, check=True, timeout=300)  # fmt: skip
    whole_upgrade = time.perf_counter() - started  # how long an uninterrupted upgrade takes, start to end
    assert done.stdout.split() == ["migrated", "0004"]
    committed_edits = 0
    halves = 0
    upgrades_cut = 0
    for kill in range(KILLS):
        if kill % 3 == 2:
            _fresh_copy(old_schema, upgrades)  # each upgrade starts from the old schema
            shutil.rmtree(backup_folder(upgrades), ignore_errors=True)
            lines = _kill_after(["migrate", str(upgrades)], rng.uniform(0.2, whole_upgrade))
            revision, tables, staff, changes = _schema(upgrades)
            # all of the upgrade or none of it: the old schema untouched, or the new one whole
            assert (revision, "users" in tables) in (("0004", False), (HEAD, True)), f"kill {kill}: half an upgrade"
            assert (staff, changes) == (old_staff, old_changes), f"kill {kill}: records lost in the upgrade"
            if lines[:1] == ["migrated"]:
                assert revision == HEAD
            # killed after the copy made before the upgrade was complete, but before the upgrade committed
            upgrades_cut += revision == "0004" and any(backup_folder(upgrades).glob("*before-upgrade*.db"))
            path = upgrades
        elif kill % 3 == 0:
            lines = _kill_after(["edits", str(edits)], rng.uniform(0.3, 2.5))
            reported = int(lines[-1]) if lines else 0
            now = _state(edits)
            added = now["beds"][1] - start["beds"][1]
            # both facilities moved together (never half a transaction), by what was committed: the
            # count printed, or one more if the kill fell between a commit and its print
            assert now["beds"][2] - start["beds"][2] == added, f"kill {kill}: half a transaction"
            assert committed_edits + reported <= added <= committed_edits + reported + 1, f"kill {kill}"
            committed_edits = added
            path = edits
        else:
            _fresh_copy(demo_template, imports)  # each import starts from the county before it
            lines = _kill_after(["import", str(imports), str(staff_workbook)], rng.uniform(0.2, whole_import))
            now = _state(imports)
            added = now["staff"] - start["staff"]
            assert added in (0, NEW_STAFF), f"kill {kill}: half an import ({added} rows)"
            # the history of the import is written in the same transaction as the records it describes
            assert (now["imported_changes"] > 0) == (added == NEW_STAFF)
            if lines[:1] == ["imported"]:
                assert added == NEW_STAFF
            halves += added == 0
            path = imports
        open_database(path).close()  # opens again (and finishes an upgrade): not damaged, no stale lock
        assert _schema(path)[0] == HEAD
    print(f"\n{KILLS} kills: {halves} imports and {upgrades_cut} upgrades cut off mid-way")
    assert committed_edits > 0 and (KILLS < 10 or halves > 0)  # the kills did land mid-work
