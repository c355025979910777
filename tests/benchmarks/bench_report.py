"""The quarterly report at county and city scale, beside reportlab laying out a plain table of the same rows."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from db import open_database
from desktop.checks.runner import run_checks
from desktop.demo import DemoOptions, write_demo
from desktop.periods import Period
from desktop.report.build import build_report
from desktop.report.fonts import find_fonts
from tests.benchmarks.common import city_database, compare, report

PERIOD = Period(2026, 3)
TODAY = dt.date(2026, 11, 23)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
    fonts = find_fonts()
    county = open_database(folder / "county.db")
    write_demo(county, DemoOptions())
    for label, db in (("county", county), ("city", open_database(city_database()))):
        with db.session() as session:
            rows = [
                [f.severity_label, f.rule_name, f.where.name, f.message]
                for f in run_checks(session, PERIOD, today=TODAY).findings
            ]
            session.commit()
        style = ParagraphStyle("plain", fontName=fonts.body, fontSize=8.5, leading=11, wordWrap="CJK")

        def plain(rows=rows, style=style, label=label) -> None:
            data = [[Paragraph(str(c), style) for c in row] for row in rows]
            SimpleDocTemplate(str(folder / f"plain-{label}.pdf"), pagesize=A4).build(
                [Table(data, colWidths=[40, 100, 120, 240], repeatRows=1)]
            )

        def project(db=db, label=label) -> None:
            build_report(db, PERIOD, folder / f"report-{label}.pdf", today=TODAY, fonts=fonts)

        p, b = compare(project, plain, runs=3)
        report(
            f"the quarterly report, {label} scale ({len(rows):,} findings), median of 3:",
            ("build_report: read, check, lay out every section", p),
            ("reportlab: a plain table of the findings' rows", b),
            note="goal: county under 3 s, city under 15 s",
        )
        db.close()
    shutil.rmtree(folder, ignore_errors=True)
