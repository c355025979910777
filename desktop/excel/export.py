"""Exporting submission sheets: one workbook, written whole or not at all, and recorded with its SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from db import Database
from db.errors import Cancelled
from db.files import written_whole
from db.models import Submission
from desktop.excel.errors import ExcelError
from desktop.excel.layout import Col, FormHeader, SheetSpec, write_sheet
from desktop.excel.sheets import SHEETS, Context
from desktop.excel.spreadsheetml import FormWorkbook
from desktop.periods import Period
from desktop.profile import form_block_lines, form_blocks, load_profile


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sha256: str
    rows: dict[str, int]  # data rows per sheet key


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export_workbook(
    db: Database,
    sheet_keys: Sequence[str],
    period: Period,
    out: str | os.PathLike[str],
    *,
    user: str,
    unmask_ids: bool = False,
    all_staff: bool = False,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write the given sheets into one workbook at ``out`` and record the submission.

    The workbook is written to a temporary file beside ``out`` and moved into place only when
    complete, so a cancelled or failed export never leaves a half-written file under the name.
    """
    unknown = [k for k in sheet_keys if k not in SHEETS]
    if unknown:
        raise ExcelError(f"没有这些报表：{'、'.join(unknown)}。可用：{'、'.join(SHEETS)}")
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ExcelError(f"请以 .xlsx 为文件扩展名：{out.name}")
    today = today or dt.date.today()
    out.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with db.session() as session:
        if unmask_ids:
            from desktop.records.privacy import note_unmasked_file

            note_unmasked_file(session, "上报报表", out.name)
        profile = load_profile(session)
        blocks = form_blocks(session)
        ctx = Context(session, period, today, profile.area_name or "", unmask_ids, all_staff)
        header = _header(profile, period, today)
        wb = FormWorkbook()
        for i, key in enumerate(sheet_keys):
            if cancelled and cancelled():
                raise Cancelled()
            label, build = SHEETS[key]
            spec = build(ctx)
            ws = wb.add_sheet(label[:31])
            block = form_block_lines(blocks.get(key, {}))
            counts[key] = write_sheet(ws, spec, header, block=block, cancelled=cancelled)
            if progress:
                progress(i + 1, len(sheet_keys))
        with written_whole(out, private=unmask_ids) as partial:  # whole numbers: for its owner alone
            wb.save(partial)
        digest = sha256_of(out)
        session.add(
            Submission(
                sheets=",".join(sheet_keys),
                period=str(period),
                at=dt.datetime.now(),
                user=user,
                file_name=str(out),
                sha256=digest,
            )
        )
        session.commit()
    return ExportResult(out, digest, counts)


def _header(profile, period: Period, today: dt.date) -> FormHeader:
    return FormHeader(
        profile.bureau_name or "",
        period.label,
        profile.head_of_unit or "",
        profile.preparer or "",
        profile.phone or "",
        today,
    )


def export_list(
    db: Database,
    title: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[object]],
    out: str | os.PathLike[str],
    *,
    period: Period,
    note: str = "",
    today: dt.date | None = None,
) -> Path:
    """A list as the window shows it (its columns, the rows its search and filters leave, each cell as shown):
    ``columns`` are (label, kind) with a kind of desktop.excel.layout. The county's header and footer frame it,
    as every form; it is a copy for the bureau's own use, not a submission, so nothing is recorded as 上报."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ExcelError(f"请以 .xlsx 为文件扩展名：{out.name}")
    today = today or dt.date.today()
    with db.session() as session:
        header = _header(load_profile(session), period, today)
    spec = SheetSpec(
        "list",
        title,
        [Col(label, itemgetter(k), kind=kind) for k, (label, kind) in enumerate(columns)],
        rows,
        notes=[note] if note else [],
    )
    wb = FormWorkbook()
    write_sheet(wb.add_sheet(title[:31].translate(str.maketrans("[]:*?/\\", "（）：＊？／＼"))), spec, header)
    with written_whole(out) as partial:
        wb.save(partial)
    return out
