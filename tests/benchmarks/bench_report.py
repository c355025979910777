"""The quarterly PDF report, beside reportlab laying out the same rows as plain tables, without the report's
letterhead, headings, text, colours, charts or page furniture."""

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
    """Every table the report lays out, from its one description, laid out again as plain tables."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from desktop.report.content import Table as TableBlock
    from desktop.report.content import describe
    from desktop.report.fonts import find_fonts
    from desktop.report.pdf import WIDTH

    db = open_database(ctx.db)
    fonts = find_fonts()
    with db.session() as session:
        report = describe(session, PERIOD, TODAY)
    db.close()
    blocks = [*report.blocks, *(b for a in report.attachments for b in a.blocks)]
    tables = [
        (
            [[c.head for c in b.columns], *[[str(v) for v in row] for row in b.rows]],
            [WIDTH * c.share for c in b.columns],
        )
        for b in blocks
        if isinstance(b, TableBlock)
    ]
    ctx.notes.update(tables=len(tables), rows=sum(len(rows) for rows, _ in tables))
    style = ParagraphStyle("plain", fontName=fonts.body, fontSize=10.5, leading=14, wordWrap="CJK")
    out = str(ctx.folder / "plain.pdf")

    def run() -> None:
        story = [
            Table([[Paragraph(escape(c), style) for c in row] for row in rows], colWidths=widths, repeatRows=1)
            for rows, widths in tables
        ]
        SimpleDocTemplate(out, pagesize=A4).build(story)

    return run


JOBS = [
    Job(
        "report",
        "the quarterly PDF report",
        "build_report: read, check, lay out every section",
        "reportlab: the report's table rows as plain tables",
        project,
        baseline,
        runs=5,
    )
]
