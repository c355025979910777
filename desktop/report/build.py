"""The quarterly report a bureau's leader signs: described once (``content``), written as an official document
in PDF (``pdf``) or as a Word file the office edits before it is signed (``word``), by the file's extension."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db import Database
from db.errors import Cancelled, UserError
from db.files import written_whole
from desktop.periods import Period
from desktop.report.content import Letterhead, describe
from desktop.report.fonts import FontSet, find_fonts

FORMATS = {".pdf": "PDF", ".docx": "Word"}


@dataclass(frozen=True)
class ReportResult:
    path: Path
    pages: int  # the PDF's pages; 0 for a Word file, whose pages its reader lays out
    font: FontSet
    period: Period  # a quarter's, or a year's: what the messages call it


class ReportFormatError(UserError, ValueError):
    pass


def build_report(
    db: Database,
    period: Period,
    out: str | os.PathLike[str],
    *,
    today: dt.date | None = None,
    letterhead: Letterhead | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    fonts: FontSet | None = None,
) -> ReportResult:
    out = Path(out)
    kind = out.suffix.lower()
    if kind not in FORMATS:
        raise ReportFormatError(
            f"季度报告只能保存为 PDF（.pdf）或 Word（.docx）文件，而不是“{out.suffix or '无扩展名'}”"
        )
    today = today or dt.date.today()
    fonts = fonts or find_fonts()
    steps, done = 11, 0

    def step() -> None:
        nonlocal done
        if cancelled and cancelled():
            raise Cancelled()
        done += 1
        if progress:
            progress(done, steps)

    with db.session() as session:
        report = describe(session, period, today, letterhead, step)
    with written_whole(out) as partial:
        if kind == ".docx":
            from desktop.report import word

            word.write(report, partial, fonts)
            pages = 0
        else:
            from desktop.report import pdf

            pages = pdf.write(report, partial, fonts)
    step()
    return ReportResult(out, pages, fonts, period)
