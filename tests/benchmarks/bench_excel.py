"""The city's staff roster (about 26,000 people) exported and imported back.

Baselines in the same run: openpyxl's write-only mode writing the same cells with none of our
formatting, and python-calamine parsing the same file.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from db import open_database
from desktop.excel.export import export_workbook
from desktop.excel.importer import fill_template, run_import
from desktop.excel.sheets import Context, staff_roster
from desktop.periods import Period
from tests.benchmarks.common import city_database, compare, report

PERIOD = Period(2026, 3)
TODAY = dt.date(2026, 11, 23)


def main() -> None:
    db = open_database(city_database())
    folder = Path(tempfile.mkdtemp(prefix="bench-excel-"))
    with db.session() as session:
        spec = staff_roster(Context(session, PERIOD, TODAY, "云川市"))
        cells = [[c.value(r) for c in spec.columns] for r in spec.rows]

    def project_export() -> None:
        export_workbook(db, ["staff"], PERIOD, folder / "roster.xlsx", user="bench", today=TODAY)

    def plain_export() -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("roster")
        for i, row in enumerate(cells, 1):
            ws.append([i, *row])
        wb.save(folder / "plain.xlsx")

    p, b = compare(project_export, plain_export, runs=3)
    report(
        f"export the staff roster, city scale ({len(cells):,} rows), median of 3:",
        ("export_workbook: read, form layout, styles", p),
        ("openpyxl write-only, same cells, no styles", b),
        note="goal: at most 1.5x",
    )

    template = folder / "staff-template.xlsx"
    with db.session() as session:
        fill_template(session, "staff", template)

    def parse() -> None:
        CalamineWorkbook.from_path(str(template)).get_sheet_by_name("数据").to_python()

    for label, dry in (("dry run", True), ("real, all unchanged", False)):
        p, b = compare(lambda dry=dry: run_import(db, "staff", template, user="bench", dry_run=dry), parse, runs=3)
        report(
            f"import the staff roster back ({label}), city scale, median of 3:",
            ("run_import: read, match stored rows, check the rest", p),
            ("python-calamine parse of the same file", b),
            note="goal: at most 2x",
        )
    db.close()
