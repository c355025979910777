"""The staff roster exported, and imported back (a dry run, and for real with every row unchanged).

Baselines: openpyxl's write-only mode writing the same cells with none of our formatting, and
python-calamine parsing the same file.
"""

from __future__ import annotations

import datetime as dt

from db import open_database
from desktop.periods import Period
from tests.benchmarks.harness import Context, Job

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
    from desktop.excel.importer import fill_template

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
