"""Importing a filled template (or a roster in the same columns): every cell checked, nothing half-written.

The file is read with python-calamine (about ten times faster than openpyxl's
read-only mode), every cell is parsed through the record's field description,
rows are matched to existing records by their natural key and classed as new,
changed or unchanged. Writing happens in one transaction: all rows, or (when
the user asks after seeing the problems) only the good ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import Database
from db.models import Division, Facility
from desktop.excel.errors import ExcelError
from desktop.excel.safety import MAX_ROWS, check_workbook
from desktop.excel.templates import DATA_SHEET, META_SHEET, TEMPLATES, TemplateKind
from desktop.records.editing import RecordError, create_record, update_record
from desktop.records.fields import Field, normalise_text
from desktop.snapshot import paused_gc
from desktop.validators import InvalidValue


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int  # as Excel numbers it
    column: str  # letter, or "" for a whole-row problem
    header: str
    value: Any
    message: str

    @property
    def where(self) -> str:
        cell = f"{self.column}{self.row}" if self.column else f"第{self.row}行"
        return f"工作表“{self.sheet}” {cell}" + (f"（{self.header}）" if self.header else "")


@dataclass
class RowPlan:
    row: int
    key: str
    values: dict[str, Any]
    action: str = "new"  # new, changed, unchanged
    record_id: int | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass
class ImportReport:
    kind: str
    file: Path
    sheet: str = ""
    problems: list[Problem] = field(default_factory=list)
    plans: list[RowPlan] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: int = 0  # rows written to the database

    def count(self, action: str) -> int:
        return sum(1 for p in self.plans if p.action == action)

    @property
    def bad_rows(self) -> set[int]:
        return {p.row for p in self.problems}

    def summary(self) -> str:
        return (
            f"新增 {self.count('new')} 条，修改 {self.count('changed')} 条，未变 {self.count('unchanged')} 条；"
            f"问题 {len(self.problems)} 处（涉及 {len(self.bad_rows)} 行）"
        )


def _norm_header(text: Any) -> str:
    t = normalise_text(text or "").replace("*", "").replace("＊", "")
    t = re.sub(r"[（(][^）)]*[）)]$", "", t)  # a unit in brackets at the end
    return re.sub(r"\s+", "", t)


def _read(path: Path) -> tuple[str, list[list[Any]], dict[str, str]]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine's own errors: a damaged or unsupported file
        raise ExcelError(f"无法读取“{path.name}”：{exc}") from None
    names = wb.sheet_names
    meta: dict[str, str] = {}
    if META_SHEET in names:
        for row in wb.get_sheet_by_name(META_SHEET).to_python():
            if len(row) >= 2 and row[0]:
                meta[str(row[0])] = str(row[1]).removesuffix(".0")
    sheet = DATA_SHEET if DATA_SHEET in names else next(n for n in names if not n.startswith("_"))
    rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    if len(rows) > MAX_ROWS + 20:
        raise ExcelError(f"工作表“{sheet}”有 {len(rows):,} 行，超过每次导入 {MAX_ROWS:,} 行的上限，请分批导入。")
    return sheet, rows, meta


class Lookups:
    """Facility and village names resolved from two queries, not one per cell."""

    def __init__(self, session: Session) -> None:
        self.facilities: dict[str, list[int]] = {}
        for fid, name in session.execute(select(Facility.id, Facility.name)):
            self.facilities.setdefault(name, []).append(fid)
        rows = session.execute(select(Division.id, Division.name, Division.kind, Division.parent_id)).all()
        names = {r.id: r.name for r in rows}
        self.divisions: dict[str, list[int]] = {}
        self.division_label: dict[int, str] = {}  # how a template writes each division: "乡镇/村" below townships
        for r in rows:
            self.divisions.setdefault(r.name, []).append(r.id)
            if r.parent_id in names:
                self.divisions.setdefault(f"{names[r.parent_id]}/{r.name}", []).append(r.id)
            below = r.kind in ("village", "community") and r.parent_id in names
            self.division_label[r.id] = f"{names[r.parent_id]}/{r.name}" if below else r.name

    def __call__(self, ref: str, text: str) -> int | None:
        ids = (self.facilities if ref == "facility" else self.divisions).get(text.replace("／", "/"), [])
        if len(ids) > 1:
            raise InvalidValue(f"“{text}”有 {len(ids)} 个同名记录，请写成“乡镇名/村名”以区分")
        return ids[0] if ids else None


def _existing(session: Session, spec: TemplateKind) -> dict[tuple, tuple[int, dict[str, Any]]]:
    """Existing records by every natural key they can be found by, with their current values."""
    model = spec.rtype.model
    cols = [model.id] + [getattr(model, f) for f in spec.fields]
    out: dict[tuple, tuple[int, dict[str, Any]]] = {}
    for row in session.connection().execute(select(*cols)).all():
        values = dict(zip(spec.fields, row[1:], strict=True))
        for key in _keys(spec, values):
            out.setdefault(key, (row[0], values))
    return out


def _keys(spec: TemplateKind, values: dict[str, Any]) -> list[tuple]:
    """The natural keys of a row, strongest first: ID number; credit code, then name; (village, year); ..."""
    k = spec.key
    if k == "staff":
        return [("id", values.get("id_number"))] if values.get("id_number") else []
    if k == "facilities":
        keys = [("credit", values["credit_code"])] if values.get("credit_code") else []
        return keys + ([("name", values["name"])] if values.get("name") else [])
    if k == "population":
        return [("pop", values.get("division_id"), values.get("year"))] if values.get("division_id") else []
    if k == "projects":
        return [("name", values["name"])] if values.get("name") else []
    if k == "tasks":
        return [("task", values.get("ledger"), values.get("number"))] if values.get("ledger") else []
    return []


def plan_import(
    session: Session, kind: str, path: str | Path, *, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Read and check a file; class every row; write nothing."""
    if kind not in TEMPLATES:
        raise ExcelError(f"没有“{kind}”类模板。可用：{'、'.join(TEMPLATES)}")
    spec = TEMPLATES[kind]
    path = Path(path)
    check_workbook(path)
    sheet, rows, meta = _read(path)
    report = ImportReport(kind, path, sheet)
    if meta.get("模板类型") and meta["模板类型"] != kind:
        other = TEMPLATES.get(meta["模板类型"])
        raise ExcelError(f"这是{other.label if other else meta['模板类型']}模板，不能作为{spec.label}导入。")

    fields = {f.name: f for f in spec.rtype.editable}
    by_label = {}
    for f in fields.values():
        by_label[_norm_header(f.label)] = f
        by_label[_norm_header(f.header)] = f
    header_index, columns = None, {}
    for i, row in enumerate(rows[:10]):
        found = {j: by_label[_norm_header(v)] for j, v in enumerate(row) if _norm_header(v) in by_label}
        if len(found) >= 2:
            header_index, columns = i, found
            break
    if header_index is None:
        raise ExcelError(f"在工作表“{sheet}”的前10行中找不到{spec.label}表头（如“{spec.rtype.fields[0].label}”）。")
    header_row = header_index + 1
    report.ignored_columns = [
        str(v) for j, v in enumerate(rows[header_index]) if v not in ("", None) and j not in columns
    ]
    present = {f.name for f in columns.values()}
    for f in fields.values():
        if f.required and f.name not in present:
            report.problems.append(Problem(sheet, header_row, "", f.label, None, f"缺少必填列“{f.label}”"))
    if report.problems:
        return report

    skip = {int(meta["示例行"])} if meta.get("示例行", "").isdigit() else set()
    lookup = Lookups(session)
    existing = _existing(session, spec)
    seen: dict[tuple, int] = {}
    # Coded, yes/no and reference columns repeat a few values down a whole roster: parse each once.
    memo: dict[tuple[str, Any], tuple[bool, Any]] = {}
    memo_kinds = ("code", "bool", "ref")
    data = rows[header_index + 1 :]
    for k, row in enumerate(data):
        excel_row = header_row + 1 + k
        if excel_row in skip or (not any(row) and all(v in ("", None) for v in row)):
            continue
        values: dict[str, Any] = {}
        row_problems = []
        for j, f in columns.items():
            raw = row[j] if j < len(row) else None
            if isinstance(raw, float) and raw.is_integer() and f.kind in ("int", "text", "ref", "phone"):
                raw = int(raw)  # calamine returns whole numbers as floats
            raw = None if raw == "" else raw
            key = (f.name, raw)
            if f.kind in memo_kinds and key in memo:
                ok, result = memo[key]
            else:
                try:
                    ok, result = True, f.parse(raw, lookup=lookup)
                except InvalidValue as exc:
                    ok, result = False, str(exc)
                if f.kind in memo_kinds:
                    memo[key] = (ok, result)
            if ok:
                values[f.name] = result
            else:
                row_problems.append(Problem(sheet, excel_row, get_column_letter(j + 1), f.label, raw, result))
        report.problems.extend(row_problems)
        if row_problems:
            continue
        keys = _keys(spec, values)
        duplicate = next((seen[key] for key in keys if key in seen), None)
        if duplicate is not None:
            report.problems.append(Problem(sheet, excel_row, "", "", None, f"与第 {duplicate} 行是同一条记录（重复）"))
            continue
        for key in keys:
            seen[key] = excel_row
        plan = RowPlan(excel_row, str(keys[0][1:] if keys else ""), values)
        match = next((existing[key] for key in keys if key in existing), None)
        if match is not None:
            plan.record_id, current = match
            plan.changes = {n: (current.get(n), v) for n, v in values.items() if current.get(n) != v}
            plan.action = "changed" if plan.changes else "unchanged"
        report.plans.append(plan)
        if progress and k % 1000 == 0:
            progress(k, len(data))
    return report


def run_import(
    db: Database,
    kind: str,
    path: str | Path,
    *,
    user: str,
    dry_run: bool = False,
    good_rows_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check, then write in one transaction: everything if the file is good; only the good rows if asked;
    nothing otherwise (or on a dry run)."""
    with db.session() as session:
        with paused_gc():
            report = plan_import(session, kind, path, progress=progress)
        if dry_run or (report.problems and not good_rows_only) or not report.plans:
            return report
        rtype = TEMPLATES[kind].rtype
        written = 0
        for plan in report.plans:
            if plan.action == "unchanged":
                continue
            savepoint = session.begin_nested()
            try:
                if plan.action == "new":
                    create_record(session, rtype, plan.values, user=user)
                else:
                    update_record(
                        session,
                        rtype,
                        plan.record_id,
                        {n: new for n, (_o, new) in plan.changes.items()},
                        user=user,
                        reason=f"导入 {Path(path).name}",
                    )
                savepoint.commit()
                written += 1
            except RecordError as exc:
                savepoint.rollback()
                for name, message in exc.errors.items():
                    label = rtype.field(name).label if name in {f.name for f in rtype.fields} else ""
                    report.problems.append(Problem(report.sheet, plan.row, "", label, None, message))
        if report.problems and not good_rows_only:
            session.rollback()
            return report
        session.commit()
        report.written = written
    return report


def write_problem_workbook(report: ImportReport, out: str | Path) -> Path:
    """A copy of the file with every bad cell marked red and explained, plus a sheet listing the problems."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    wb = load_workbook(report.file)
    red = PatternFill("solid", fgColor="FFC7CE")
    ws = wb[report.sheet] if report.sheet in wb.sheetnames else wb.worksheets[0]
    for p in report.problems:
        if p.column:
            cell = ws[f"{p.column}{p.row}"]
            cell.fill = red
            cell.comment = Comment(p.message, "县域卫生健康台账")
    listing = wb.create_sheet("问题清单", 0)
    listing.append(["工作表", "行", "列", "列名", "单元格内容", "问题"])
    for p in report.problems:
        listing.append([p.sheet, p.row, p.column, p.header, "" if p.value is None else str(p.value), p.message])
    for letter, width in zip("ABCDEF", (12, 6, 6, 16, 24, 70), strict=True):
        listing.column_dimensions[letter].width = width
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def fill_template(session: Session, kind: str, out: str | Path) -> Path:
    """The template with the database's current records filled in, for a township to correct and send back."""
    from openpyxl import load_workbook

    from desktop.excel.templates import FIRST_DATA_ROW, write_template

    spec = TEMPLATES[kind]
    out = write_template(session, kind, out)
    wb = load_workbook(out)
    ws = wb[DATA_SHEET]
    fields = [spec.rtype.field(n) for n in spec.fields]
    names = dict(session.execute(select(Facility.id, Facility.name)).all())
    division_label = Lookups(session).division_label
    model = spec.rtype.model
    rows = session.execute(select(*[getattr(model, f.name) for f in fields]).order_by(model.id)).all()
    for i, row in enumerate(rows):
        for j, (f, value) in enumerate(zip(fields, row, strict=True), 1):
            ws.cell(row=FIRST_DATA_ROW + i, column=j, value=_cell_text(f, value, names, division_label))
    wb.save(out)
    return out


def _cell_text(f: Field, value: Any, facilities: dict[int, str], divisions: dict[int, str]) -> Any:
    if value is None:
        return None
    if f.kind == "ref":
        return facilities.get(value) if f.ref == "facility" else divisions.get(value)
    if f.kind in ("int", "float"):
        return value
    if f.kind == "date":
        return value  # a real Excel date
    return f.display(value, unmask=True)
