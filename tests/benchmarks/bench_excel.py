"""The staff roster exported, and imported back (a dry run, and for real with every row unchanged); and a first
day's roster imported into a city with its facilities and no staff (every person new).

Baselines: openpyxl's write-only mode writing the same cells with none of our formatting, python-calamine parsing
the same file, and (for the first day) that parse plus a plain sqlite3 ``executemany`` of the same people into the
same table of a copy of the same database.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

from db import open_database
from desktop.periods import Period
from tests.benchmarks.harness import Context, Job, Measured

PERIOD = Period(2026, 3)
TODAY = dt.date(2026, 11, 23)


def project_export(ctx: Context):
    from desktop.excel.export import export_workbook

    db = open_database(ctx.db)
    out = ctx.folder / "roster.xlsx"
    return lambda: export_workbook(db, ["staff"], PERIOD, out, user="bench", today=TODAY)


def baseline_export(ctx: Context):
    from openpyxl import Workbook

    from desktop.excel.sheets import Context as SheetContext
    from desktop.excel.sheets import staff_roster

    db = open_database(ctx.db)
    with db.session() as session:
        spec = staff_roster(SheetContext(session, PERIOD, TODAY, "云川市"))
        cells = [[c.value(r) for c in spec.columns] for r in spec.rows]
    db.close()
    ctx.notes["rows"] = len(cells)
    out = ctx.folder / "plain.xlsx"

    def run() -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("roster")
        for i, row in enumerate(cells, 1):
            ws.append([i, *row])
        wb.save(out)

    return run


def _template(ctx: Context):
    from desktop.excel.templates import fill_template

    db = open_database(ctx.db)
    path = ctx.folder / "staff-template.xlsx"
    with db.session() as session:
        fill_template(session, "staff", path)
    return db, path


def _project_import(dry_run: bool):
    def factory(ctx: Context):
        from desktop.excel.importer import run_import

        db, path = _template(ctx)

        def run() -> None:
            report = run_import(db, "staff", path, user="bench", dry_run=dry_run)
            assert not report.problems, report.problems[:3]
            ctx.notes["rows"] = len(report.plans)

        return run

    return factory


def baseline_import(ctx: Context):
    from python_calamine import CalamineWorkbook

    db, path = _template(ctx)
    db.close()
    return lambda: CalamineWorkbook.from_path(str(path)).get_sheet_by_name("数据").to_python()


JOBS = [
    Job(
        "export",
        "export the staff roster",
        "export_workbook: read, form layout, styles",
        "openpyxl write-only, same cells, no styles",
        project_export,
        baseline_export,
        runs=5,
    ),
    Job(
        "import_dry",
        "import the staff roster back (dry run)",
        "run_import: read, match stored rows, check",
        "python-calamine parse of the same file",
        _project_import(True),
        baseline_import,
        runs=5,
    ),
    Job(
        "import_real",
        "import the staff roster back (real, all unchanged)",
        "run_import: the same, then write (nothing changed)",
        "python-calamine parse of the same file",
        _project_import(False),
        baseline_import,
        runs=5,
    ),
]


# -- a first day's roster: every person new ---------------------------------------------------------------------


def _first_day(ctx: Context) -> tuple[Path, Path, list[str], list[tuple]]:
    """The city's staff as a filled template (whole numbers), the city without staff (no people, trainings, loans
    or their history), and the people's rows as stored."""
    import sqlite3

    from desktop.excel.templates import fill_template

    db = open_database(ctx.db)
    path = ctx.folder / "staff-first-day.xlsx"
    with db.session() as session:
        fill_template(session, "staff", path, unmask=True)
        session.commit()
    db.close()
    empty = ctx.folder / "no-staff.db"
    conn = sqlite3.connect(ctx.db)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(staff)") if row[1] != "id"]
    rows = conn.execute(f"SELECT {', '.join(columns)} FROM staff ORDER BY id").fetchall()
    with sqlite3.connect(empty) as copy:
        conn.backup(copy)
    conn.close()
    conn = sqlite3.connect(empty)
    conn.execute("PRAGMA foreign_keys=ON")
    for statement in (
        "DELETE FROM trainings",
        "DELETE FROM staff_loans",
        "DELETE FROM changes WHERE table_name IN ('staff', 'trainings', 'staff_loans')",
        "DELETE FROM staff",
    ):
        conn.execute(statement)
    conn.commit()
    conn.close()
    ctx.notes["rows"] = len(rows)
    return path, empty, columns, rows


def _copy(ctx: Context, empty: Path, name: str) -> Path:
    path = ctx.folder / f"{name}-{time.monotonic_ns()}.db"
    shutil.copyfile(empty, path)
    return path


def project_import_new(ctx: Context):
    from desktop.excel.importer import run_import

    path, empty, _columns, _rows = _first_day(ctx)

    def run() -> Measured:
        db = open_database(_copy(ctx, empty, "project"))
        started = time.perf_counter()
        report = run_import(db, "staff", path, user="bench")
        elapsed = time.perf_counter() - started
        assert not report.problems and report.written == ctx.notes["rows"], report.summary()
        db.close()
        return Measured(elapsed)

    return run


def baseline_import_new(ctx: Context):
    import sqlite3

    from python_calamine import CalamineWorkbook

    path, empty, columns, rows = _first_day(ctx)
    sql = f"INSERT INTO staff ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"

    def run() -> Measured:
        conn = sqlite3.connect(_copy(ctx, empty, "baseline"), isolation_level=None)
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=FULL")
        started = time.perf_counter()
        CalamineWorkbook.from_path(str(path)).get_sheet_by_name("数据").to_python()
        conn.execute("BEGIN")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        conn.close()
        return Measured(elapsed)

    return run


JOBS.append(
    Job(
        "import_new",
        "import a first day's roster (every person new)",
        "run_import: read, check, back up, write people and history",
        "python-calamine parse of the same file + sqlite3 executemany of the same rows",
        project_import_new,
        baseline_import_new,
        runs=5,
    )
)
