"""The quarterly PDF report, beside reportlab laying out a plain table of the findings' rows."""

from __future__ import annotations

import datetime as dt

from db import open_database
from desktop.periods import Period
from tests.benchmarks.harness import Context, Job

PERIOD = Period(2026, 3)
TODAY = dt.date(2026, 11, 23)


def project(ctx: Context):
    from desktop.report.build import build_report
    from desktop.report.fonts import find_fonts

    db = open_database(ctx.db)
    fonts = find_fonts()
    out = ctx.folder / "report.pdf"
    return lambda: build_report(db, PERIOD, out, today=TODAY, fonts=fonts)


def baseline(ctx: Context):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from desktop.checks.runner import run_checks
    from desktop.report.fonts import find_fonts

    db = open_database(ctx.db)
    with db.session() as session:
        rows = [
            [f.severity_label, f.rule_name, f.where.name, f.message]
            for f in run_checks(session, PERIOD, today=TODAY).findings
        ]
        session.commit()
    db.close()
    ctx.notes["findings"] = len(rows)
    style = ParagraphStyle("plain", fontName=find_fonts().body, fontSize=8.5, leading=11, wordWrap="CJK")
    out = str(ctx.folder / "plain.pdf")

    def run() -> None:
        data = [[Paragraph(str(c), style) for c in row] for row in rows]
        SimpleDocTemplate(out, pagesize=A4).build([Table(data, colWidths=[40, 100, 120, 240], repeatRows=1)])

    return run


JOBS = [
    Job(
        "report",
        "the quarterly PDF report",
        "build_report: read, check, lay out every section",
        "reportlab: a plain table of the findings' rows",
        project,
        baseline,
        runs=3,
    )
]
