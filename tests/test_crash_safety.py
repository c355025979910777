"""Kill the core with SIGKILL at random moments while it writes; the file must stay sound and hold exactly
the committed work. 20 kills here; ``make soak`` runs 200 (CRASH_KILLS)."""

from __future__ import annotations

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
from sqlalchemy import select

from db import open_database
from db.models import Facility
from desktop.excel.templates import DATA_SHEET, write_template
from tests.factories import fill_staff_rows

KILLS = int(os.environ.get("CRASH_KILLS", "20"))
WRITER = Path(__file__).with_name("crash_writer.py")
NEW_STAFF = 300

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")


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


def test_killed_at_random_moments_nothing_lost_nothing_half_written(demo_template, staff_workbook, tmp_path):
    rng = random.Random(int(os.environ.get("CRASH_SEED", "20261123")))
    edits, imports = tmp_path / "edits.db", tmp_path / "import.db"
    shutil.copyfile(demo_template, edits)
    start = _state(edits)
    shutil.copyfile(demo_template, imports)
    whole_import = _timed_import(imports, staff_workbook)  # how long an uninterrupted import takes
    committed_edits = 0
    halves = 0
    for kill in range(KILLS):
        if kill % 2 == 0:
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
            shutil.copyfile(demo_template, imports)  # each import starts from the county before it
            for suffix in ("-wal", "-shm"):
                Path(f"{imports}{suffix}").unlink(missing_ok=True)
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
        open_database(path).close()  # opens again: not damaged, no stale lock
    assert committed_edits > 0 and (KILLS < 10 or halves > 0)  # the kills did land mid-work
