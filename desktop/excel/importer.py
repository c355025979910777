"""Importing a filled template (or a roster in the same columns): every cell checked, nothing half-written.

The file is read with python-calamine (about ten times faster than openpyxl's
read-only mode), every cell is parsed through the record's field description,
rows are matched to existing records by their natural key and classed as new,
changed or unchanged. Writing happens in one transaction: all rows, or (when
the user asks after seeing the problems) only the good ones.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import Database
from db.access import tables_written
from db.files import written_whole
from db.models import Facility, ImportMapping
from desktop.checks.findings import cn_date
from desktop.excel.cells import cell_text, put
from desktop.excel.errors import ExcelError
from desktop.excel.mapping import CERTAIN, IGNORE, ColumnMapping, HeaderMatcher, header_key, header_unit, signature
from desktop.excel.reading import read_sheets
from desktop.excel.safety import MAX_ROWS, Vetted, check_workbook
from desktop.excel.tables import Column, Table, find_table
from desktop.excel.templates import DATA_SHEET, META_SHEET, TEMPLATES, TemplateKind
from desktop.records.editing import (
    PROJECT_STATE,
    RecordError,
    add_project_update,
    add_task_update,
    create_records,
    update_record,
    whole_record_problems,
)
from desktop.records.fields import Field, MaskedValue, header_unit_fits, normalise_text
from desktop.records.references import Lookups
from desktop.records.types import DIVISION, FACILITY, RecordType
from desktop.snapshot import paused_gc
from desktop.validators import (
    InvalidValue,
    any_to_clean,
    clean_text,
    describe_characters,
    forbidden_characters,
    is_masked,
    shorten,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int  # as Excel numbers it
    column: str  # letter, or "" for a whole-row problem
    header: str
    value: Any
    message: str
    # Registered names the cell's text plausibly stands for, for the clerk to confirm (never taken on their own).
    proposals: tuple[str, ...] = ()
    field: str = ""  # the field a proposal is for

    @property
    def where(self) -> str:
        cell = f"{self.column}{self.row}" if self.column else f"第{self.row}行"
        return f"工作表“{self.sheet}” {cell}" + (f"（{self.header}）" if self.header else "")


# Rows of a sheet are fewer than this (MAX_SHEET_ROWS): sheet n's rows are told apart as n * SHEET_ROWS + row.
SHEET_ROWS = 1_000_000


@dataclass(frozen=True)
class Reading:
    """Values of a column read through an everyday word, a month alone or a unit: "主治医师 → 中级" in 5 cells."""

    sheet: str
    column: str
    header: str  # the field's label
    shown: str
    cells: int


@dataclass
class RowPlan:
    row: int
    key: str
    values: dict[str, Any]
    action: str = "new"  # new, changed, unchanged
    record_id: int | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    title: str = ""  # the record as the clerk knows it: its name, or the name of the record it belongs to
    current: dict[str, Any] | None = None  # a stored record's values before the row
    kept_blank: int = 0  # blank cells that left a stored value as it was
    sheet: str = ""  # the sheet the row is on
    offset: int = 0  # its sheet's place in the file, times SHEET_ROWS

    @property
    def token(self) -> int:
        """The row as another row of the same file names the record it adds (a placeholder): negative, and
        one of its own across the file's sheets."""
        return -(self.offset + self.row)


@dataclass
class ImportReport:
    kind: str
    file: Path
    sheet: str = ""
    problems: list[Problem] = field(default_factory=list)
    # Cells the import cleaned (invisible, control or direction characters removed): written cleaned, never
    # silently; they do not stop the import.
    notes: list[Problem] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)  # how values not in their plain form were read
    plans: list[RowPlan] = field(default_factory=list)
    update_plans: list[RowPlan] = field(default_factory=list)  # progress reports (projects, tasks)
    # The day a ledger's 推进情况 or a project ledger's new state is reported on, when the file has any.
    reported_on: dt.date | None = None
    ignored_columns: list[str] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)  # sheets with no table of these records
    hidden_sheets: list[str] = field(default_factory=list)  # hidden in the workbook, so not read
    layouts: list[SheetLayout] = field(default_factory=list)  # each sheet read: its table and how it was placed
    written: int = 0  # rows written to the database
    changed: frozenset[str] = frozenset()  # the tables written (the window re-reads the pages showing them)
    backup: Path | None = None  # the copy made before writing

    def count(self, action: str) -> int:
        return sum(1 for p in self.plans if p.action == action)

    def count_updates(self, action: str) -> int:
        return sum(1 for p in self.update_plans if p.action == action)

    def shown_value(self, problem: Problem) -> str:
        """A bad cell's content as a message may quote it: a person's ID or phone number masked."""
        if problem.value is None:
            return ""
        spec = TEMPLATES.get(self.kind)
        field = next((f for f in spec.rtype.fields if f.label == problem.header), None) if spec else None
        if field is not None and field.sensitive and len(str(problem.value)) > 7:
            return field.mask(str(problem.value))
        return shorten(problem.value)

    def describe_changes(self, plan: RowPlan, *, progress_report: bool = False) -> str:
        """What a row (or, with ``progress_report``, a row of the progress sheet) changes, in the fields'
        words, people's numbers masked."""
        spec = TEMPLATES[self.kind]
        rtype = spec.updates.rtype if progress_report else spec.rtype
        parts = []
        for name, (old, new) in plan.changes.items():
            field = rtype.field(name)
            if field.kind == "ref":
                parts.append(f"{field.label}：已更改")
            else:
                parts.append(f"{field.label}：{field.display(old) or '（空）'} → {field.display(new) or '（空）'}")
        return "；".join(parts)

    def summary(self) -> str:
        text = f"新增 {self.count('new')} 条，修改 {self.count('changed')} 条，未变 {self.count('unchanged')} 条"
        if self.update_plans:
            text += (
                f"；进度记录新增 {self.count_updates('new')} 条，修改 {self.count_updates('changed')} 条，"
                f"未变 {self.count_updates('unchanged')} 条"
            )
        kept = sum(p.kept_blank for p in self.plans)
        if kept:
            text += f"；{kept} 个空白单元格未清除已有内容（要清空请在窗口中修改该记录）"
        bad = len({(p.sheet, p.row) for p in self.problems})
        text += f"；问题 {len(self.problems)} 处（涉及 {bad} 行）" if self.problems else "；没有发现问题"
        if self.notes:
            text += f"；已删除 {len(self.notes)} 个单元格中的不可见字符或控制字符（见清理清单）"
        return text


@dataclass
class Book:
    """What a file gives the import: the sheets to read records from, the template's metadata, and the sheet of
    progress reports (projects, tasks) when it has one."""

    sheets: list[tuple[str, list[list[Any]]]]
    meta: dict[str, str]
    updates: list[list[Any]] | None
    template: bool  # our own template: its data sheet only, a bureau's file: every sheet it shows
    hidden: list[str] = field(default_factory=list)  # a bureau's hidden sheets, not read


def _read(path: Path, extra: str | None, vetted: Vetted) -> Book:
    hidden: list[str] = []

    def choose(listed: list[tuple[str, bool]]) -> set[str]:
        names = {name for name, _hidden in listed}
        if META_SHEET in names or DATA_SHEET in names:  # our template: its data, metadata and progress sheets
            data = DATA_SHEET if DATA_SHEET in names else next((n for n, _h in listed if not n.startswith("_")), "")
            return {data, META_SHEET, extra or ""}
        # a hidden sheet holds a workbook's lists and workings, never the records
        hidden.extend(name for name, is_hidden in listed if is_hidden and name != extra)
        return {name for name, is_hidden in listed if not is_hidden} | {extra or ""}

    sheets = read_sheets(path, choose, vetted)
    by_name = {s.name: s.rows for s in sheets}
    meta: dict[str, str] = {}
    for row in by_name.get(META_SHEET, []):
        if len(row) >= 2 and row[0]:
            meta[str(row[0])] = str(row[1]).removesuffix(".0")
    template = META_SHEET in by_name or DATA_SHEET in by_name
    if template:
        name = DATA_SHEET if DATA_SHEET in by_name else next((n for n in by_name if not n.startswith("_")), None)
        chosen = [(name, by_name[name])] if name is not None else []
    else:
        chosen = [(s.name, s.rows) for s in sheets if not s.hidden and s.name != extra]
    if not chosen:
        raise ExcelError(f"“{path.name}”中没有可导入的工作表。")
    extra_rows = by_name.get(extra) if extra else None
    for name, rows in [*chosen, (extra, extra_rows or [])]:
        if len(rows) > MAX_ROWS + 20:
            raise ExcelError(f"工作表“{name}”有 {len(rows):,} 行，超过每次导入 {MAX_ROWS:,} 行的上限，请分批导入。")
    return Book(chosen, meta, extra_rows, template, [] if template else hidden)


def _existing(session: Session, spec: TemplateKind) -> dict[tuple, tuple[int, dict[str, Any]]]:
    """Existing records by every natural key they can be found by, with their current values: of every field a
    file may carry, not only the template's columns (a roster's extra column is compared with what is stored)."""
    rtype = spec.rtype
    model = rtype.model
    names = [f.name for f in rtype.fields if not f.derived]
    cols = [model.id] + [getattr(model, f) for f in names]
    parts = [(part, part.load(session, None)) for part in rtype.parts]
    out: dict[tuple, tuple[int, dict[str, Any]]] = {}
    masked_keys = spec.key == "staff" and "name" in spec.fields
    id_field = rtype.field("id_number") if masked_keys else None
    for row in session.connection().execute(select(*cols)).all():
        values = dict(zip(names, row[1:], strict=True))
        for part, loaded in parts:
            values.update(part.empty())
            values.update(loaded.get(row[0], {}))
        for key in _keys(rtype, values):
            out.setdefault(key, (row[0], values))
        if masked_keys and values.get("id_number"):
            key = ("masked", id_field.mask(values["id_number"]), normalise_text(values.get("name") or ""))
            out[key] = AMBIGUOUS if key in out else (row[0], values)
    return out


# Two stored people whom a masked row cannot tell apart (same name, same first 6 and last 4 digits).
AMBIGUOUS = (0, {})


def _keys(rtype: RecordType, values: dict[str, Any]) -> list[tuple]:
    """The natural keys of a row that it fills, strongest first, as the record's description declares them."""
    if rtype.key == "staff" and isinstance(values.get("id_number"), MaskedValue):
        # a masked roster: the masked number and the name find the person
        return [("masked", values["id_number"], normalise_text(values.get("name") or ""))]
    keys = []
    for n, names in enumerate(rtype.natural_keys):
        # The first field of a key must be given; the others may be blank (a facility's name with no place).
        if values.get(names[0]) not in (None, ""):
            keys.append((n, *(values.get(name) for name in names)))
    return keys


@dataclass
class ParsedSheet:
    sheet: str
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (Excel row, parsed values)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # cells cleaned of characters no text may hold
    ignored_columns: list[str] = field(default_factory=list)
    # Rows identical, cell for cell, to what a template writes for a stored record: (Excel row, key, record id).
    same_as_stored: list[tuple[int, tuple, int]] = field(default_factory=list)
    blanks: dict[str, set[int]] = field(default_factory=dict)  # field -> the Excel rows whose cell of it is blank
    readings: list[Reading] = field(default_factory=list)
    offset: int = 0  # the sheet's place in the file, times SHEET_ROWS


class StoredCells:
    """Stored records as a filled template writes them and calamine reads them back, by their key cell.

    A masked template writes a person under a masked ID number (which can stand for several people, told
    apart by the rest of the row); those forms are made only when a file shows a masked key."""

    def __init__(
        self, key_field: str, fields: tuple[str, ...], rows: list[tuple[int, tuple, list[Any]]], sensitive
    ) -> None:
        self.key_field = key_field
        self.fields = fields  # the template's columns, in order
        self._key = fields.index(key_field)
        self._rows = rows  # (record id, natural key, the row's cells in template order)
        self._sensitive = sensitive  # (column, mask) for the columns a masked template hides
        self._natural: dict[Any, list[tuple[int, tuple, list[Any]]]] = {}
        for entry in rows:
            self._natural.setdefault(entry[2][self._key], []).append(entry)
        self._masked: dict[Any, list[tuple[int, tuple, list[Any]]]] | None = None

    def candidates(self, raw_key: Any) -> list[tuple[int, tuple, list[Any]]] | None:
        if not is_masked(raw_key):
            return self._natural.get(raw_key)
        if self._masked is None:
            self._masked = {}
            for record_id, natural, written in self._rows:
                masked = list(written)
                for j, mask in self._sensitive:
                    if masked[j]:
                        masked[j] = mask(masked[j])
                self._masked.setdefault(masked[self._key], []).append((record_id, natural, masked))
        return self._masked.get(raw_key)


def _raw(value: Any) -> Any:
    """A cell as calamine returns it, in the form a template wrote it."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


@dataclass
class SheetLayout:
    """A sheet's table and what the import reads from it: the columns placed for certain, and the values given
    for fields it lacks (a clerk's constants, a facility the sheet is named after)."""

    table: Table
    columns: dict[int, Field] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)  # field name -> value as stored
    given: dict[str, str] = field(default_factory=dict)  # field label -> where its value came from, as shown
    signature: str = ""
    remembered: bool = False  # the mapping is one a clerk confirmed for this header before
    confirmed: dict[str, dict[str, str]] = field(default_factory=dict)  # names the clerk confirmed, by field
    offset: int = 0  # the sheet's place in the file, times SHEET_ROWS
    units: dict[int, str] = field(default_factory=dict)  # column -> the unit its header names, not the field's
    progress_column: int | None = None  # a ledger's column of each record's progress (推进情况): _progress_in_rows

    @property
    def sheet(self) -> str:
        return self.table.sheet

    @property
    def in_template_columns(self) -> bool:
        """Our own template (or a sheet in its columns): every column read is headed by its field's own label, as
        headers are compared (the template's required marks, 姓名*, count as the label). Such a sheet needs no
        mapping confirmed or remembered."""
        placed = [(c, self.columns[c.index]) for c in self.table.columns if c.index in self.columns]
        own = all(header_key(c.header) in (header_key(f.label), header_key(f.header)) for c, f in placed)
        return own and not self.given

    def not_placed(self) -> list[str]:
        """The headers of columns read as no field: neither placed nor a row number or a worked-out value (nor
        the progress a ledger keeps beside each record)."""
        return [
            c.header
            for c in self.table.columns
            if c.index not in self.columns and not c.match.ignored and c.index != self.progress_column
        ]

    def left_out(self) -> str:
        """The rows under the header not read as records, as the clerk is told: 第12行（合计、小计或“其中”行）…"""
        rows = self.table.left_out
        shown = "、".join(f"第{row}行（{why}）" for row, why in rows[:5])
        return shown + (f" 等 {len(rows)} 处" if len(rows) > 5 else "")

    def described(self) -> str:
        """The mapping as the clerk reads it: 公民身份号码→身份证号码；… and the values given."""
        parts = []
        for c in self.table.columns:
            f = self.columns.get(c.index)
            if f is not None:
                parts.append(c.header if c.header == f.label else f"{c.header}→{f.label}")
            elif c.index == self.progress_column:
                parts.append(f"{c.header}→任务进展")
        parts += [f"{label}＝{shown}" for label, shown in self.given.items()]
        return "；".join(parts)


def _layout(  # noqa: C901
    session: Session,
    key: str,
    rtype: RecordType,
    fields: list[Field],
    sheet: str,
    rows: list[list[Any]],
    lookup: Lookups,
    mapping: ColumnMapping | None,
    skip: set[int],
    problems: list[Problem],
    *,
    plain: bool = False,
) -> SheetLayout:
    """Find the sheet's table and place its columns: for certain, by the clerk's mapping (given, or confirmed
    before for this very header), else by the fields' words; a doubt is a problem at the header, never a guess."""
    matcher = HeaderMatcher(fields, worked_out=[f for f in rtype.fields if f.derived])
    table = find_table(sheet, rows, matcher, mapping, skip=skip, plain=plain)
    if table is None:
        raise ExcelError(f"在工作表“{sheet}”的前30行中找不到{rtype.label}表头（如“{fields[0].label}”）。")
    layout = SheetLayout(table, signature=signature(key, table.headers))
    if mapping is None:
        mapping = remembered_mapping(session, layout.signature, rtype)
        if mapping is not None:
            layout.remembered = True
            table = layout.table = find_table(sheet, rows, matcher, mapping, skip=skip) or table
    if mapping is not None:
        layout.confirmed = mapping.values
    header_row = table.header_row
    taken: dict[str, Column] = {}
    proposed: dict[str, Column] = {}
    for c in table.columns:
        f, sure = c.match.field, c.match.confidence >= CERTAIN
        if f is None:
            continue
        if not sure:
            proposed.setdefault(f.name, c)
        elif f.name in taken:
            message = f"“{taken[f.name].header}”和“{c.header}”两列都像是“{f.label}”：请在列对应中指明用哪一列"
            problems.append(Problem(sheet, header_row, c.letter, c.header, None, message))
        else:
            taken[f.name] = c
            layout.columns[c.index] = f
    _units_from_headers(layout, problems)
    # The sheet's own facility (its name, its 填报单位 line), unless a column may hold it (asked instead).
    own = _facility_from_sheet(layout, fields, lookup, set(taken) | set(proposed))
    for name, raw in (mapping.constants if mapping is not None else {}).items():
        f = next((f for f in fields if f.name == name), None)
        if f is None or name in taken:
            continue
        try:
            value = f.parse(raw, lookup=lookup)
        except InvalidValue as exc:
            problems.append(Problem(sheet, header_row, "", f.label, raw, f"给全部行填写的“{f.label}”有误：{exc}"))
            continue
        if own is not None and own[0] == name and own[1] != value:
            # One workbook's value for every row, and a sheet that says it is another facility's: asked.
            message = f"给全部行填写的“{f.label}”为“{raw}”，而本表是“{own[2]}”：请核对后在列对应中改正"
            problems.append(Problem(sheet, header_row, "", f.label, raw, message))
            continue
        layout.constants[name], layout.given[f.label] = value, str(raw)
    if own is not None and own[0] not in layout.constants:
        layout.constants[own[0]], layout.given[own[3]] = own[1], own[2]
    _from_title(layout, fields, set(taken) | set(proposed), problems)
    for f in fields:
        if f.required and f.name not in taken and f.name not in layout.constants:
            hint = proposed.get(f.name)
            message = f"缺少必填列“{f.label}”" + (f"（“{hint.header}”列可能就是，请确认列对应）" if hint else "")
            problems.append(Problem(sheet, header_row, "", f.label, None, message))
    return layout


def _units_from_headers(layout: SheetLayout, problems: list[Problem]) -> None:
    """A column whose header names its unit (金额（元）, 面积（万平方米）) holds bare numbers in that unit: they are
    converted to the field's, and said so. A unit that counts something else (床位（人）) leaves the column out,
    asked about, never read in the field's unit."""
    for c in layout.table.columns:
        f = layout.columns.get(c.index)
        unit = header_unit(c.header) if f is not None and f.unit else None
        if unit is None or unit == header_key(f.unit):
            continue
        fits = header_unit_fits(f, unit)
        if fits:
            layout.units[c.index] = unit
        elif fits is False:
            del layout.columns[c.index]
            message = f"“{c.header}”列的单位与“{f.label}”（{f.unit}）不符：请核对是否对错了列，或在列对应中指明"
            problems.append(Problem(layout.sheet, layout.table.header_row, c.letter, c.header, None, message))


def _from_title(layout: SheetLayout, fields: list[Field], placed: set[str], problems: list[Problem]) -> None:
    """A field the table's title gives (Field.titled: a ledger's 台账名称), when no column holds it and the clerk
    gave no value for every row: the title line above the header, said so in what the import reads."""
    title = layout.table.title
    for f in fields:
        if not f.titled or f.name in placed or f.name in layout.constants or not title:
            continue
        try:
            value = f.parse(title)
        except InvalidValue as exc:
            message = f"表格标题“{title}”不能作为“{f.label}”：{exc}；请在列对应中给全部行填写"
            problems.append(Problem(layout.sheet, layout.table.header_row, "", f.label, title, message))
            continue
        layout.constants[f.name], layout.given[f.label] = value, f"{title}（取自表格标题）"


def _facility_from_sheet(
    layout: SheetLayout, fields: list[Field], lookup: Lookups, placed: set[str]
) -> tuple[str, int, str, str] | None:
    """A sheet per centre without a unit column: the facility its 填报单位 line or its name gives every row, when it
    names exactly one facility; (field, facility, as shown, field label). None when a column is or may be it."""
    f = next((f for f in fields if f.kind == "ref" and f.ref == "facility" and f.required), None)
    if f is None or f.name in placed:
        return None
    for name, where in ((layout.table.unit, "表头上方的填报单位"), (layout.sheet, "工作表名称")):
        if not name:
            continue
        try:
            found = f.parse(name, lookup=lookup)
        except InvalidValue:
            continue
        return f.name, found, f"{name}（取自{where}）", f.label
    return None


def remembered_mapping(session: Session, sig: str, rtype: RecordType) -> ColumnMapping | None:
    """The mapping confirmed before for this header; none if a field it names is no longer there."""
    text = session.execute(select(ImportMapping.mapping).where(ImportMapping.signature == sig)).scalar()
    if not text:
        return None
    try:
        mapping = ColumnMapping.from_json(text)
        mapping.resolve(rtype)
    except ExcelError:
        log.warning("a remembered mapping no longer fits: %s", sig)
        return None
    return mapping


def remember_mapping(session: Session, layout: SheetLayout, kind: str, user: str) -> None:
    """The mapping a clerk confirmed for a sheet, kept for the next file with the same header. A value she gave
    every row of a facility or place is not kept: the next file with this header is most likely another
    township's, and says so in its own name or 填报单位 line."""
    mapping = layout_mapping(layout, kind)
    rtype = TEMPLATES[kind].rtype
    mapping.constants = {name: v for name, v in mapping.constants.items() if rtype.field(name).kind != "ref"}
    row = session.execute(select(ImportMapping).where(ImportMapping.signature == layout.signature)).scalar()
    if row is None:
        row = ImportMapping(signature=layout.signature)
        session.add(row)
    row.mapping, row.updated_at = mapping.to_json(TEMPLATES[kind].rtype), dt.datetime.now()
    row.updated_by = user


def layout_mapping(layout: SheetLayout, kind: str) -> ColumnMapping:
    """The mapping a layout reads with, as a clerk would write it: every header to its field or to nothing."""
    # A column only proposed for a field is left out: next time it is proposed again, not taken as 不导入.
    columns = {c.header: (layout.columns[c.index].name if c.index in layout.columns else IGNORE)
               for c in layout.table.columns if c.index in layout.columns or c.match.field is None}  # fmt: skip
    constants = {}
    for label, shown in layout.given.items():
        if "（取自" not in shown:
            name = next(f.name for f in TEMPLATES[kind].rtype.editable if f.label == label)
            constants[name] = shown
    return ColumnMapping(kind, columns, constants, {name: dict(v) for name, v in layout.confirmed.items()})


def _new_in_file(layout: SheetLayout, lookup: Lookups) -> None:
    """Facilities a file adds or renames that other rows of the same file name (a village clinic's managing health
    centre): each new one stands for its row (a placeholder, minus its Excel row) until the import has created
    it, under every form of its name its place gives it (so a name stored elsewhere is then ambiguous, and the
    row must say which by place); a stored one renamed in the file is found by its new name too."""
    at = {f.name: j for j, f in layout.columns.items()}
    if "name" not in at:
        return

    def cell(row: list[Any], name: str) -> Any:
        j = at.get(name)
        value = row[j] if j is not None and j < len(row) else None
        return value.strip() if isinstance(value, str) and value.strip() else value or None

    stored = {}  # (name, division id) and credit code -> id
    for fid, name, division_id, credit in lookup.session.connection().execute(
        select(Facility.id, Facility.name, Facility.division_id, Facility.credit_code)
    ):
        stored[(normalise_text(name), division_id)] = fid
        if credit:
            stored[credit] = fid
    for excel_row, row in layout.table.data:
        name = cell(row, "name")
        if not isinstance(name, str):
            continue
        name = normalise_text(name)
        try:
            place = (
                lookup("division", normalise_text(str(cell(row, "division_id")))) if cell(row, "division_id") else None
            )
        except InvalidValue:
            place = None
        credit = cell(row, "credit_code")
        by_code = stored.get(normalise_text(str(credit)).upper()) if credit else None
        if (name, place) in stored:
            continue  # stored under this very name and place: found as it is
        lookup.add_placeholder(
            "facility", {"name": name, "division_id": place}, by_code or -(layout.offset + excel_row)
        )


def _parse_sheet(
    layout: SheetLayout,
    lookup: Lookups,
    progress: Callable[[int, int], None] | None = None,
    stored: StoredCells | None = None,
) -> ParsedSheet:
    """Parse every cell of the sheet's table through the field its column was placed as; the values given for
    fields the sheet lacks go into every row."""
    out = ParsedSheet(layout.sheet, offset=layout.offset)
    out.ignored_columns = layout.not_placed()
    kept = layout.table.data
    if stored is not None:
        kept = _set_aside_as_stored(layout, stored, kept, out)
    parsed, bad_rows = _read_columns(layout, lookup, kept, out, progress)
    names = list(parsed)
    for n, values in enumerate(zip(*parsed.values(), strict=True)):
        if n not in bad_rows:
            row = dict(zip(names, values, strict=True))
            for name, value in layout.constants.items():
                row.setdefault(name, value)
            out.rows.append((kept[n][0], row))
    out.problems.sort(key=lambda p: (p.row, p.column))
    out.notes.sort(key=lambda p: (p.row, p.column))
    return out


def _set_aside_as_stored(layout: SheetLayout, stored: StoredCells, kept: list, out: ParsedSheet) -> list:
    """The rows that read exactly as a template writes a stored record, set aside in ``out.same_as_stored``: that
    record, unchanged, its cells valid by construction, so it needs no parsing (a roster sent back with a few
    corrections is mostly such rows). In the template's own column order the comparison is one list equality.
    Only when every column read is one the stored cells hold: a roster's column beyond the template's (精神科注册
    once was one) would otherwise go uncompared, and its change be dropped as "unchanged". Returns the others."""
    columns = layout.columns
    read = {f.name for f in columns.values()}
    if layout.constants or stored.key_field not in read or not read <= set(stored.fields):
        return kept
    order = [next((j for j, f in columns.items() if f.name == name), None) for name in stored.fields]
    in_place = order == list(range(len(order)))
    key_column = order[stored.fields.index(stored.key_field)]
    n = len(order)
    rest, seen_keys = [], set()
    for excel_row, row in kept:
        raw_key = row[key_column] if key_column < len(row) else None
        candidates = stored.candidates(raw_key)
        if candidates is not None:
            cells = row[:n] if in_place else [row[j] if j is not None and j < len(row) else "" for j in order]
            hit = next((c for c in candidates if c[2] == cells), None)
            if hit is not None and hit[0] not in seen_keys:
                seen_keys.add(hit[0])
                out.same_as_stored.append((excel_row, hit[1], hit[0]))
                continue
        rest.append((excel_row, row))
    return rest


def _read_columns(
    layout: SheetLayout, lookup: Lookups, kept: list, out: ParsedSheet, progress: Callable[[int, int], None] | None
) -> tuple[dict[str, list], set[int]]:
    """Column by column: each column's parser is chosen once, and coded, yes/no, reference and date columns, which
    repeat a few values down a whole roster, parse each distinct value once. Returns each field's values down the
    rows, and the rows (by position in ``kept``) with a cell that could not be read; the readings through a
    word go into ``out``."""
    columns = layout.columns
    width = max(columns) + 1
    padded = [row if len(row) >= width else [*row, *[None] * (width - len(row))] for _, row in kept]
    grid = list(zip(*padded, strict=False)) if kept else []  # each row at least ``width`` long: zip stops there
    parsed: dict[str, list] = {}
    bad_rows: set[int] = set()
    how: dict[tuple[int, str, str], int] = {}  # (column, label, how a value was read) -> cells read so
    excel_rows = [row for row, _cells in kept]
    for j, f in columns.items():
        reader = _ColumnReader(
            out, f, j, lookup, layout.confirmed.get(f.name), kept, excel_rows, how, bad_rows, layout.units.get(j)
        )
        parsed[f.name] = reader.read(grid[j] if grid else ())
        if progress:
            progress(len(parsed), len(columns))
    out.readings = [
        Reading(out.sheet, get_column_letter(j + 1), label, shown, cells) for (j, label, shown), cells in how.items()
    ]
    return parsed, bad_rows


_BARE = re.compile(r"\s*[+-]?[\d,，]*\.?\d+\s*")  # a number with no unit of its own


class _ColumnReader:
    """One column of a sheet read through its field, cell by cell, into a ParsedSheet: its values as stored, and
    the blanks, problems, cleaned characters and readings through a word noted against their rows."""

    def __init__(self, out: ParsedSheet, f: Field, j: int, lookup: Lookups, confirmed: dict[str, str] | None,
                 kept: list, excel_rows: list[int], how: dict, bad_rows: set[int],
                 unit: str | None = None) -> None:  # fmt: skip
        self.out, self.f, self.j, self.lookup, self.confirmed = out, f, j, lookup, confirmed
        self.unit = unit  # the unit the column's header names, other than the field's: a bare number is in it
        self.kept, self.how, self.bad_rows = kept, how, bad_rows
        self.excel_rows = excel_rows
        self.letter = get_column_letter(j + 1)
        self.whole_numbers = f.kind in ("int", "text", "ref", "phone", "code", "bool")
        # Coded, yes/no, reference and date columns repeat a few values down a whole roster: each is read once.
        self.memo: dict[Any, tuple] | None = {} if f.kind in ("code", "bool", "ref", "date") else None
        self.suspect = self.fractions = False

    def read(self, column: tuple) -> list[Any]:
        distinct = set(column)
        # One scan of the column's texts finds whether any holds a character to clean (nearly none does).
        self.suspect = any_to_clean([v for v in distinct if v.__class__ is str])
        # A cell formatted as a percentage holds a fraction (85% is 0.85). A column of percentages whose numbers
        # are all fractions (none above 1) was most likely so formatted: each is asked about, never read as 0.85%
        # (nor 100% as 1%). One number above 1 shows the column holds plain numbers, and 0.3 is then 0.3%.
        numbers = [v for v in distinct if v.__class__ in (int, float)] if self.f.unit == "%" else []
        self.fractions = any(0 < v < 1 for v in numbers) and all(v <= 1 for v in numbers)
        # TRUE and 1 are one member of a set, but only a yes/no field reads them alike. (A column with neither holds
        # no TRUE or FALSE: the cells are looked at one by one only where one of them is there.)
        mixed = self.f.kind != "bool" and (True in distinct or False in distinct) and bool in set(map(type, column))
        if self.suspect or self.fractions or mixed:
            return [self.cell(n, raw) for n, raw in enumerate(column)]
        texts = [v for v in distinct if v.__class__ is str]
        if len(texts) == len(distinct) and self.unit is None and not self.confirmed:
            values = self.f.read_all(texts)  # every one read as written: nothing blank, refused or to tell
            if values is not None:
                return list(map(dict(zip(texts, values, strict=True)).__getitem__, column))
        # The column filled from its distinct values (a name or ID number column's nearly all are), its blanks
        # noted together, and only the cells with something to say (refused, read through a word) looked at one
        # by one.
        value_of, blank, special = {}, set(), {}
        as_read, hit_of = self.as_read, self.hit_of
        for v in distinct:
            raw, is_blank = as_read(v)
            hit = hit_of(raw)
            value_of[v] = hit[1] if hit[0] else None
            if is_blank:
                blank.add(v)
            if not hit[0] or hit[2]:
                special[v] = (raw, hit)
        out_col = list(map(value_of.__getitem__, column))
        if blank:
            rows = self.out.blanks.setdefault(self.f.name, set())
            rows.update(compress(self.excel_rows, map(blank.__contains__, column)))
        for n in [n for n, v in enumerate(column) if v in special] if special else ():
            out_col[n] = self.said(n, *special[column[n]])
        return out_col

    def as_read(self, raw: Any) -> tuple[Any, bool]:
        """A cell as its field reads it, and whether it is blank."""
        if raw == "" or raw is None:
            return None, True
        if self.unit is not None and (raw.__class__ in (int, float) or (raw.__class__ is str and _BARE.fullmatch(raw))):
            number = int(raw) if raw.__class__ is float and raw.is_integer() else raw
            return f"{number}".strip() + self.unit, False  # read as written with the header's unit: 500000元
        if raw.__class__ is str:
            return raw, not raw.strip()
        if self.whole_numbers and raw.__class__ is float and raw.is_integer():
            return int(raw), False  # calamine returns whole numbers as floats
        return raw, False

    def hit_of(self, raw: Any) -> tuple:
        """(True, value, how it was read) or (False, why not)."""
        memo = self.memo
        hit = memo.get(raw) if memo is not None else None
        if hit is None:
            hit = _read_cell(self.f, raw, self.lookup, self.confirmed)
            if memo is not None:
                memo[raw] = hit
        return hit

    def noted(self, n: int, raw: Any, blank: bool, hit: tuple) -> Any:
        """The cell's value as stored; its blank, its problem or how it was read noted against its row."""
        if blank:
            self.out.blanks.setdefault(self.f.name, set()).add(self.kept[n][0])
        return self.said(n, raw, hit)

    def said(self, n: int, raw: Any, hit: tuple) -> Any:
        """The cell's value as stored; its problem or how it was read noted against its row."""
        f, out = self.f, self.out
        if hit[0]:
            if hit[2]:
                key = (self.j, f.label, hit[2])
                self.how[key] = self.how.get(key, 0) + 1
            return hit[1]
        self.bad_rows.add(n)
        meant = tuple(self.lookup.proposals(f.ref, raw)) if f.kind == "ref" and isinstance(raw, str) else ()
        out.problems.append(Problem(out.sheet, self.kept[n][0], self.letter, f.label, raw, hit[1], meant, f.name))
        return None

    def cell(self, n: int, raw: Any) -> Any:
        f = self.f
        if self.fractions and raw.__class__ in (int, float) and 0 < raw <= 1:
            shown = f"{raw * 100:g}"
            message = f"“{f.label}”为 {raw:g}：如表格中显示为 {shown}%，请把该列设为“常规”格式后填写 {shown}"
            return self.noted(n, raw, False, (False, message, None))
        if self.suspect and raw.__class__ is str and (bad := forbidden_characters(raw.strip(), multiline=f.multiline)):
            # A clerk cannot see these characters, so cannot delete them: the cell is imported without them, and
            # the report says so, cell by cell.
            raw = clean_text(raw.strip(), multiline=f.multiline) or None
            shown = f"（导入为“{shorten(raw)}”）" if raw and not f.sensitive else ""
            message = f"已删除不可见或不允许的字符：{describe_characters(bad)}{shown}"
            self.out.notes.append(Problem(self.out.sheet, self.kept[n][0], self.letter, f.label, raw, message))
        raw, blank = self.as_read(raw)
        return self.noted(n, raw, blank, self.hit_of(raw))


def _read_cell(f: Field, raw: Any, lookup: Lookups, confirmed: dict[str, str] | None) -> tuple[bool, Any, str | None]:
    """(True, value, how it was read) or (False, why not): a name the clerk confirmed read as what she said it is."""
    meant = confirmed.get(normalise_text(raw)) if confirmed and isinstance(raw, str) else None
    try:
        if meant is not None:
            value, _how = f.read(meant, lookup=lookup)
            return True, value, f"{normalise_text(raw)} → {meant}（已确认）"
        return True, *f.read(raw, lookup=lookup)
    except InvalidValue as exc:
        return False, str(exc), None


def _classify(
    parsed: ParsedSheet,
    keys_of: Callable[[dict[str, Any]], list[tuple]],
    existing: Callable[[], dict],
    problems: list[Problem],
    seen: dict[tuple, tuple[str, int]],
) -> list[RowPlan]:
    """Match each row to an existing record by its natural keys: new, changed (with the fields), unchanged. ``seen``
    holds the keys of the rows before it, in this sheet and the file's sheets before it."""
    sheet = parsed.sheet
    seen.update({key: (sheet, excel_row) for excel_row, key, _id in parsed.same_as_stored})
    plans = [
        RowPlan(excel_row, str(key[1:]), {}, "unchanged", record_id, sheet=sheet, offset=parsed.offset)
        for excel_row, key, record_id in parsed.same_as_stored
    ]
    stored = existing() if parsed.rows else {}  # not read at all when every row matched a stored one
    for excel_row, values in parsed.rows:
        keys = keys_of(values)
        duplicate = next((seen[key] for key in keys if key in seen), None)
        if duplicate is not None:
            where = f"第 {duplicate[1]} 行" if duplicate[0] == sheet else f"工作表“{duplicate[0]}”第 {duplicate[1]} 行"
            problems.append(Problem(sheet, excel_row, "", "", None, f"与{where}是同一条记录（重复）"))
            continue
        for key in keys:
            seen[key] = (sheet, excel_row)
        plan = RowPlan(excel_row, str(keys[0][1:] if keys else ""), values, sheet=sheet, offset=parsed.offset)
        found = [stored[key] for key in keys if key in stored]
        match = found[0] if found else None
        if len({m[0] for m in found if m is not AMBIGUOUS}) > 1:
            # Its keys find two records (a credit code that is another facility's, beside a name and place that
            # are this one's): writing either would turn one record into the other.
            problems.append(Problem(parsed.sheet, excel_row, "", "", None, _two_records(found, keys)))
            continue
        if match is AMBIGUOUS:
            problems.append(
                Problem(
                    parsed.sheet, excel_row, "", "", None, "有多位同名人员的身份证号码前6位和后4位相同，请填写完整号码"
                )
            )
            continue
        if match is not None:
            plan.record_id, current = match
            plan.current = current
            # A blank cell keeps what is stored: a township that leaves a column empty has not cleared it (a value
            # is cleared in the record's form). The row says how many it kept.
            blank = {name for name, rows in parsed.blanks.items() if excel_row in rows}
            for name in blank & set(values):
                if current.get(name) not in (None, values[name]):
                    plan.kept_blank += 1
                del values[name]
            plan.changes = {n: (current.get(n), v) for n, v in values.items() if current.get(n) != v}
            plan.action = "changed" if plan.changes else "unchanged"
        plans.append(plan)
    return plans


def _once(make: Callable[[], Any]) -> Callable[[], Any]:
    """``make``'s result, made on the first call only."""
    made: list[Any] = []

    def get() -> Any:
        if not made:
            made.append(make())
        return made[0]

    return get


def _two_records(found: list[tuple[int, dict[str, Any]]], keys: list[tuple]) -> str:
    """Only a facility has two keys (its credit code; its name and place), so only it can find two records."""
    first, second = (str(values.get("name") or "") for _id, values in found[:2])
    return f"这一行的统一社会信用代码属于已登记的“{first}”，而名称和所在地属于“{second}”：请核对后改正其中一项"


def _restore_masked(plans: list[RowPlan], rtype, sheet: str, problems: list[Problem]) -> list[RowPlan]:
    """Put back the stored number a masked cell stands for; a masked number that masks nothing stored (a new
    person, a changed number) cannot be known, and its row is a problem."""
    kept, records = [], set()
    sensitive = [f.name for f in rtype.all_fields if f.sensitive]  # only they parse to a MaskedValue
    for plan in plans:
        masked = [n for n in sensitive if isinstance(plan.values.get(n), MaskedValue)]
        if len(masked) > 1:  # in the row's order, which names the first bad one
            masked.sort(key=list(plan.values).index)
        bad = None
        for name in masked:
            field = rtype.field(name)
            stored = plan.changes.get(name, (None,))[0] if plan.record_id is not None else None
            if stored is None or field.mask(str(stored)) != plan.values[name]:
                bad = field
                break
            plan.values[name] = stored
            del plan.changes[name]
        if bad is not None:
            why = "这是新增记录" if plan.record_id is None else "与已有记录的号码对不上"
            problems.append(
                Problem(
                    sheet, plan.row, "", bad.label, None, f"“{bad.label}”部分数字已隐藏（*），{why}；请填写完整号码"
                )
            )
            continue
        if plan.record_id is not None:
            if plan.record_id in records:
                problems.append(Problem(sheet, plan.row, "", "", None, "与前面某行是同一条记录（重复）"))
                continue
            records.add(plan.record_id)
        if masked and plan.action == "changed" and not plan.changes:
            plan.action = "unchanged"
        kept.append(plan)
    return kept


def plan_import(  # noqa: C901, PLR0915
    session: Session,
    kind: str,
    path: str | Path,
    *,
    mapping: ColumnMapping | None = None,
    progress: Callable[[int, int], None] | None = None,
    as_of: dt.date | None = None,
) -> ImportReport:
    """Read and check a file; class every row (and every progress report, for projects and tasks); write nothing.
    ``as_of``: the day a ledger's progress column reports on, and a project ledger's state holds from (by default
    today, as the window and the command import)."""
    if kind not in TEMPLATES:
        raise ExcelError(f"没有“{kind}”类模板。可用：{'、'.join(TEMPLATES)}")
    spec = TEMPLATES[kind]
    if mapping is not None:
        if mapping.kind != kind:
            other = TEMPLATES.get(mapping.kind)
            raise ExcelError(f"这是{other.label if other else mapping.kind}的列对应，不能用于导入{spec.label}。")
        mapping.resolve(spec.rtype)
    path = Path(path)
    vetted = check_workbook(path)  # here: its Python would share the interpreter with the work below
    # calamine parses without holding the GIL, so the stored records are read from the database meanwhile
    # (the session stays on this thread).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-read") as pool:
        reading = pool.submit(_read, path, spec.updates.name if spec.updates else None, vetted)
        lookup = Lookups(session)
        stored = _stored_staff(session, spec, lookup) if kind == "staff" else None
        book = reading.result()
    meta = book.meta
    report = ImportReport(kind, path, book.sheets[0][0], hidden_sheets=book.hidden)
    if meta.get("模板类型") and meta["模板类型"] != kind:
        other = TEMPLATES.get(meta["模板类型"])
        raise ExcelError(f"这是{other.label if other else meta['模板类型']}模板，不能作为{spec.label}导入。")
    skip = {int(meta["示例行"])} if meta.get("示例行", "").isdigit() else set()
    fields = list(spec.rtype.editable)
    for sheet, rows in book.sheets:
        try:
            layout = _layout(session, kind, spec.rtype, fields, sheet, rows, lookup, mapping, skip, report.problems)
        except ExcelError:
            report.skipped_sheets.append(sheet)  # a sheet of notes or workings beside the records
            continue
        layout.offset = len(report.layouts) * SHEET_ROWS
        if kind == "tasks" and book.updates is None:
            _mark_progress_column(layout, spec)
        report.layouts.append(layout)
    if not report.layouts:
        # Headers that name no field (pinyin, English, another system's): the first sheet's first row is taken as
        # its header, every column unplaced, and the clerk says which is which.
        sheet, rows = book.sheets[0]
        try:
            layout = _layout(session, kind, spec.rtype, fields, sheet, rows, lookup, mapping, skip, report.problems,
                             plain=True)  # fmt: skip
        except ExcelError:
            raise ExcelError(f"“{path.name}”中没有可导入的内容：各工作表都是空的或只有一列。") from None
        report.skipped_sheets.remove(sheet)
        report.layouts.append(layout)
    report.sheet = report.layouts[0].sheet
    if report.problems:  # the columns are not all placed: nothing is read until the clerk says which is which
        report.ignored_columns = list(dict.fromkeys(h for layout in report.layouts for h in layout.not_placed()))
        return report
    stored_records = _once(lambda: _existing(session, spec))
    seen: dict[tuple, tuple[str, int]] = {}
    for layout in report.layouts:
        if kind == "facilities":
            _new_in_file(layout, lookup)
        parsed = _parse_sheet(layout, lookup, progress, stored)
        report.problems.extend(parsed.problems)
        report.notes.extend(parsed.notes)
        report.readings.extend(parsed.readings)
        report.ignored_columns += [h for h in parsed.ignored_columns if h not in report.ignored_columns]
        plans = _classify(parsed, lambda v: _keys(spec.rtype, v), stored_records, report.problems, seen)
        plans = _restore_masked(plans, spec.rtype, layout.sheet, report.problems)
        plans = _whole_rows(session, plans, spec.rtype, layout.sheet, report.problems, lookup)
        if kind == "facilities":
            plans = _not_moved(session, plans, lookup, layout.sheet, report.problems)
        report.plans += plans
    if kind == "facilities":  # a row naming a new row of the file that has a problem cannot be written either
        new_rows = {p.token: p.record_id or 0 for p in report.plans}
        report.plans = [p for p in report.plans if _placeholders_known(report, p, spec.rtype, new_rows, check=True)]
    _name_plans(report.plans, spec.rtype, lookup)
    if spec.updates is not None and book.updates is not None:
        # Reports may name records that are new in this very file: they resolve to placeholders (negative
        # numbers) that run_import replaces with the new records' ids.
        for n, plan in enumerate(report.plans, 1):
            if plan.action == "new":
                lookup.add_placeholder(spec.updates.rtype.fields[0].ref, plan.values, -n)
        u = spec.updates
        u_fields = [u.rtype.field(f) for f in u.fields]
        problems: list[Problem] = []
        u_layout = _layout(session, u.rtype.key, u.rtype, u_fields, u.name, book.updates, lookup, None, skip, problems)
        report.problems.extend(problems)
        if problems:
            return report
        parsed_u = _parse_sheet(u_layout, lookup)
        report.problems.extend(parsed_u.problems)
        report.notes.extend(parsed_u.notes)
        report.readings.extend(parsed_u.readings)
        report.update_plans = _classify(
            parsed_u, _update_keys, lambda: _existing_updates(session, u), report.problems, {}
        )
    elif kind == "tasks" and not report.problems:
        report.update_plans = _progress_in_rows(session, spec, report, as_of or dt.date.today())
    if kind == "projects":
        _note_project_reports(report, spec.rtype, as_of or dt.date.today())
    return report


def _note_project_reports(report: ImportReport, rtype: RecordType, as_of: dt.date) -> None:
    """Said among the readings: a project whose stage, progress or investment the file changes gets its progress
    report of ``as_of`` (update_record), the day the lists and the report read it from."""
    rows = [p for p in report.plans if p.action == "changed" and p.changes.keys() & PROJECT_STATE]
    if rows:
        labels = "、".join(rtype.field(name).label for name in sorted(PROJECT_STATE))
        shown = f"{labels}的修改 → {cn_date(as_of)}的进度报告"
        report.readings.append(Reading(rows[0].sheet, "", "项目进度", shown, len(rows)))
        report.reported_on = as_of


def _mark_progress_column(layout: SheetLayout, spec: TemplateKind) -> None:
    """A column of a task ledger no task field takes whose header says it holds the progress (推进情况, 进展情况):
    _progress_in_rows reads it, and it is not among the columns left out."""
    assert spec.updates is not None
    note = spec.updates.rtype.field("note")
    matcher = HeaderMatcher([note])
    for c in layout.table.columns:
        m = matcher.match(c.header)
        if c.index not in layout.columns and m.field is note and m.confidence >= CERTAIN:
            layout.progress_column = c.index
            return


def _progress_in_rows(session: Session, spec: TemplateKind, report: ImportReport, as_of: dt.date) -> list[RowPlan]:
    """A bureau's own task ledger keeps each task's progress in a column beside it (推进情况), written over each
    quarter, where our template has a sheet of dated reports. Each row's text becomes the task's progress report
    as of ``as_of``, in the status the row gives the task: one per task and day, so the same ledger imported again
    for the period changes that report rather than adding another. A text one of the task's earlier reports already
    says is no new progress (a task the clerk did not touch this quarter, or a ledger of an earlier period), and the
    task is left unreported."""
    assert spec.updates is not None
    progress = _LedgerProgress(session, spec, report, as_of)
    out: list[RowPlan] = []
    for layout in report.layouts:
        column = next((c for c in layout.table.columns if c.index == layout.progress_column), None)
        if column is None:
            continue
        read = [
            plan
            for excel_row, row in layout.table.data
            if (
                plan := progress.plan(layout, column, excel_row, row[column.index] if column.index < len(row) else None)
            )
        ]
        out += read
        report.reported_on = as_of
        shown = f"{column.header} → {cn_date(as_of)}的{progress.note.label}"
        report.readings.append(Reading(layout.sheet, column.letter, progress.label, shown, len(read)))
    return out


class _LedgerProgress:
    """What _progress_in_rows reads each row against: the tasks' reports as stored."""

    def __init__(self, session: Session, spec: TemplateKind, report: ImportReport, as_of: dt.date) -> None:
        u = spec.updates
        assert u is not None
        self.report, self.as_of = report, as_of
        self.note = u.rtype.field("note")
        self.label = u.rtype.label
        self.places = {id(p): n for n, p in enumerate(report.plans, 1)}  # a new task's placeholder is minus this
        self.by_row = {(p.sheet, p.row): p for p in report.plans}
        self.existing = _existing_updates(session, u)
        self.said: dict[int, set[str]] = {}  # task -> what its reports before as_of said
        for (_u, task, day), (_id, values) in self.existing.items():
            if day < as_of:
                self.said.setdefault(task, set()).add(values.get("note"))
        self.unset = spec.rtype.field("status").default  # a new task's, when the ledger gives none

    def plan(self, layout: SheetLayout, column: Column, excel_row: int, raw: Any) -> RowPlan | None:
        plan = self.by_row.get((layout.sheet, excel_row))
        if plan is None or raw is None or not str(raw).strip():
            return None
        try:
            text = self.note.parse(raw)
        except InvalidValue as exc:
            self.report.problems.append(Problem(layout.sheet, excel_row, column.letter, column.header, raw, str(exc)))
            return None
        owner = plan.record_id if plan.record_id is not None else -self.places[id(plan)]
        status = plan.values.get("status") or (plan.current or {}).get("status") or self.unset
        values = {"task_id": owner, "date": self.as_of, "status": status, "note": text}
        key = ("update", owner, self.as_of)
        update = RowPlan(excel_row, str(key[1:]), values, sheet=layout.sheet, offset=layout.offset, title=plan.title)
        if text in self.said.get(owner, ()):
            return None
        if key in self.existing:
            update.record_id, current = self.existing[key]
            update.current = current
            update.changes = {n: (current.get(n), v) for n, v in values.items() if current.get(n) != v}
            update.action = "changed" if update.changes else "unchanged"
        return update


def _whole_rows(
    session: Session, plans: list[RowPlan], rtype: RecordType, sheet: str, problems: list[Problem], lookup: Lookups
) -> list[RowPlan]:
    """The rules across fields (结束日期 not before 开始日期, 乡村人口 within 常住人口 ...), checked on every row as its
    record would be once written, so the check before importing finds what the import would refuse."""
    kept = []
    for plan in plans:
        if plan.action == "unchanged":
            kept.append(plan)
            continue
        if rtype.key == "division":  # the 区划与人口 page's own rules, tried and undone
            savepoint = session.begin_nested()
            try:
                _write_division(session, plan, "检查")
                errors = {}
            except RecordError as exc:
                errors = exc.errors
            finally:
                savepoint.rollback()
        else:
            errors = whole_record_problems(
                session, rtype, plan.values, plan.current, lookup.tree.rows, record_id=plan.record_id
            )
        for name, message in errors.items():
            label = rtype.field(name).label if name in {f.name for f in rtype.all_fields} else ""
            problems.append(Problem(sheet, plan.row, "", label, None, message))
        if not errors:
            kept.append(plan)
    return kept


def _not_moved(
    session: Session, plans: list[RowPlan], lookup: Lookups, sheet: str, problems: list[Problem]
) -> list[RowPlan]:
    """A new facility named as one stored in the same county is most likely that one moved (a clinic to another
    village): a file would add a second one beside it, its staff left with the first. The row says so, and the
    move is made in the facility's form."""
    tree = lookup.tree
    stored: dict[tuple[str, int | None], tuple[int, str]] = {}
    for fid, name, division_id in session.connection().execute(
        select(Facility.id, Facility.name, Facility.division_id).where(Facility.status != "closed")
    ):
        place = tree.rows[division_id].name if division_id in tree.rows else ""
        stored[(normalise_text(name), tree.county_of.get(division_id))] = (fid, place)
    kept = []
    for plan in plans:
        name, place = plan.values.get("name"), plan.values.get("division_id")
        twin = stored.get((normalise_text(name or ""), tree.county_of.get(place))) if plan.action == "new" else None
        if twin is not None:
            message = (
                f"已登记同名机构“{name}”（在{twin[1]}）：如为迁址，请在窗口中修改该机构的所在地；"
                "如确为另一机构，请在名称中写明所在村（社区）以区分"
            )
            problems.append(Problem(sheet, plan.row, "", FACILITY.field("name").label, None, message))
            continue
        kept.append(plan)
    return kept


def _write_division(session: Session, plan: RowPlan, user: str) -> None:
    """A division comes in as the 区划与人口 page adds or renames one (its code under its parent's, its kind
    under its parent's, no two of a name side by side); its parent, kind and code stay as they are (撤乡并镇 is
    the page's 合并, which moves what lies under it too)."""
    from desktop.division_editing import add_division, rename_division, set_remote

    v = plan.values
    if plan.action == "new":
        add_division(
            session,
            v["parent_id"],
            name=v["name"],
            kind=v["kind"],
            code=v["code"],
            user=user,
            remote=bool(v.get("remote")),
        )
        return
    fixed = [name for name in ("parent_id", "kind") if name in plan.changes]
    if fixed:
        labels = "、".join(DIVISION.field(name).label for name in fixed)
        raise RecordError({fixed[0]: f"已有区划的{labels}不能通过导入修改；撤乡并镇请在“区划与人口”页中合并"})
    if "name" in plan.changes:
        rename_division(session, plan.record_id, v["name"], user=user)
    if "remote" in plan.changes:
        set_remote(session, plan.record_id, bool(v["remote"]), user=user)


def _name_plans(plans: list[RowPlan], rtype: RecordType, lookup: Lookups) -> None:
    title = rtype.field(rtype.title_field)
    labels = lookup.labels(title.ref) if title.kind == "ref" else None
    for plan in plans:
        value = plan.values.get(title.name)
        plan.title = "" if value is None else labels.get(value, "") if labels is not None else str(value)


def _stored_staff(session: Session, spec: TemplateKind, lookup: Lookups) -> StoredCells:
    """Every person as a filled staff template writes them and calamine reads them back, by ID number."""
    fields = [spec.rtype.field(n) for n in spec.fields]
    as_written: list[Callable[[Any], Any]] = []
    for f in fields:
        if f.kind == "code":
            as_written.append(f.codes.get)
        elif f.kind == "bool":
            as_written.append({True: "是", False: "否"}.get)
        elif f.kind == "ref":
            as_written.append(lookup.facility_label.get)
        elif f.kind in ("int", "float"):
            as_written.append(float)  # calamine reads every number as a float
        elif f.kind == "date":
            as_written.append(lambda v: v)
        else:
            as_written.append(str)
    model = spec.rtype.model
    key = spec.fields.index("id_number")
    sensitive = [(j, f.mask) for j, f in enumerate(fields) if f.sensitive]
    rows = []
    with paused_gc():
        for row in session.connection().execute(select(model.id, *[getattr(model, f.name) for f in fields])).all():
            written = ["" if v is None else convert(v) for convert, v in zip(as_written, row[1:], strict=True)]
            rows.append((row[0], (0, written[key]), written))  # the key _keys gives a person by ID number
    return StoredCells("id_number", tuple(spec.fields), rows, sensitive)


def _update_keys(values: dict[str, Any]) -> list[tuple]:
    owner = values.get("project_id", values.get("task_id"))
    return [("update", owner, values.get("date"))] if owner is not None else []


def _existing_updates(session: Session, updates) -> dict[tuple, tuple[int, dict[str, Any]]]:
    model = updates.rtype.model
    cols = [model.id] + [getattr(model, f) for f in updates.fields]
    out = {}
    for row in session.connection().execute(select(*cols)).all():
        values = dict(zip(updates.fields, row[1:], strict=True))
        out[("update", values[updates.fields[0]], values["date"])] = (row[0], values)
    return out


def run_import(  # noqa: C901, PLR0915
    db: Database,
    kind: str,
    path: str | Path,
    *,
    user: str,
    dry_run: bool = False,
    good_rows_only: bool = False,
    mapping: ColumnMapping | None = None,
    progress: Callable[[int, int], None] | None = None,
    as_of: dt.date | None = None,
) -> ImportReport:
    """Check, then write in one transaction: everything if the file is good; only the good rows if asked;
    nothing otherwise (or on a dry run). A sheet of the bureau's own is read with ``mapping`` if given, else
    with the mapping confirmed before for its header, else as its headers name the fields; the mapping it was
    imported with is remembered for the next file with that header."""
    # A city's rows make a few hundred thousand objects, none of them cyclic garbage, while checked and written.
    with db.session() as session, paused_gc():
        report = plan_import(session, kind, path, mapping=mapping, progress=progress, as_of=as_of)
        work = [p for p in report.plans + report.update_plans if p.action != "unchanged"]
        if dry_run or (report.problems and not good_rows_only) or not work:
            return report
        if db.path is not None:  # a verified copy of the file as it was, before anything is written
            from db.backups import make_backup

            report.backup = make_backup(db.path, reason="before-import").path
        spec = TEMPLATES[kind]
        reason = f"导入 {Path(path).name}"
        new_ids: dict[int, int] = {}  # placeholder -> id of the record created for it
        written = 0
        row_ids: dict[int, int] = {}  # minus an Excel row -> id of the record created from that row
        batch: list[tuple[int, RowPlan]] = []  # new records waiting to be written together
        for n, plan in _in_order(report.plans, spec.rtype):
            if plan.action == "unchanged":
                continue
            if kind != "divisions" and plan.action == "new":
                if _names_any(plan, spec.rtype, batch):  # its placeholder's record must be written first
                    written += _write_new(session, report, spec.rtype, batch, user, new_ids, row_ids, reason)
                if _placeholders_known(report, plan, spec.rtype, row_ids):
                    batch.append((n, plan))
                if len(batch) >= BATCH:
                    written += _write_new(session, report, spec.rtype, batch, user, new_ids, row_ids, reason)
                continue
            # the rows in the file's order, as the history tells them
            written += _write_new(session, report, spec.rtype, batch, user, new_ids, row_ids, reason)
            if not _placeholders_known(report, plan, spec.rtype, row_ids):
                continue
            with _row(session, report, spec.rtype, plan) as ok:
                if kind == "divisions":
                    _write_division(session, plan, user)
                else:
                    changes = {name: new for name, (_old, new) in plan.changes.items()}
                    # A project ledger's stage, progress and investment are its state at the period's end: the
                    # progress report of that day (update_record).
                    on = as_of if kind == "projects" and changes.keys() & PROJECT_STATE else None
                    update_record(
                        session, spec.rtype, plan.record_id, changes, user=user, reason=reason, effective_on=on
                    )
            written += ok[0]
        written += _write_new(session, report, spec.rtype, batch, user, new_ids, row_ids, reason)
        for plan in report.update_plans:
            if plan.action == "unchanged":
                continue
            owner_field = spec.updates.fields[0]
            owner = plan.values[owner_field]
            if owner < 0:
                if owner not in new_ids:  # its record had a problem and was not written
                    report.problems.append(
                        Problem(plan.sheet, plan.row, "", "", None, "所属记录未能导入，此进度未写入")
                    )
                    continue
                plan.values[owner_field] = owner = new_ids[owner]
            with _row(session, report, spec.updates.rtype, plan, sheet=plan.sheet) as ok:
                if plan.action == "new":
                    _add_update(session, kind, owner, plan.values, user)
                else:
                    changes = {name: new for name, (_old, new) in plan.changes.items()}
                    update_record(session, spec.updates.rtype, plan.record_id, changes, user=user, reason=reason)
            written += ok[0]
        if report.problems and not good_rows_only:
            session.rollback()
            return report
        # A mapping the clerk gave (the wizard's 列对应, a mapping file) is remembered for the next file with the same
        # header; one the import found by itself is found again, and is not a confirmation.
        for layout in report.layouts if mapping is not None else ():
            if not layout.in_template_columns:
                remember_mapping(session, layout, kind, user)
        session.commit()
        report.written, report.changed = written, tables_written(session)
    return report


# New records written in one statement each (records, their parts, their history): a city's first roster is
# 26,000 people. A batch the database refuses is written again row by row, so a batch costs a bad row's neighbours
# a few seconds at most.
BATCH = 500


def _write_new(
    session: Session,
    report: ImportReport,
    rtype: RecordType,
    batch: list[tuple[int, RowPlan]],
    user: str,
    new_ids: dict[int, int],
    row_ids: dict[int, int],
    reason: str | None = None,
) -> int:
    """Write the batch's new records together, in a savepoint; if anything refuses one of them, write them again
    one by one, each in its own savepoint, so that the bad row is a problem of its own and the others are written.
    Empties the batch; returns how many were written."""
    if not batch:
        return 0
    rows = list(batch)
    batch.clear()
    savepoint = session.begin_nested()
    try:
        values = [plan.values for _n, plan in rows]
        ids = create_records(session, rtype, values, user=user, check_unique=False, parsed=True, reason=reason)
        savepoint.commit()
    except (RecordError, IntegrityError) as exc:
        savepoint.rollback()
        log.info("a batch of %d new rows was refused (%s); writing it row by row", len(rows), exc)
        written = 0
        for n, plan in rows:
            with _row(session, report, rtype, plan) as ok:
                (record_id,) = create_records(
                    session, rtype, [plan.values], user=user, check_unique=False, parsed=True, reason=reason
                )
                new_ids[-n] = row_ids[plan.token] = record_id
            written += ok[0]
        return written
    for (n, plan), record_id in zip(rows, ids, strict=True):
        new_ids[-n] = row_ids[plan.token] = record_id
    return len(rows)


def _names_any(plan: RowPlan, rtype: RecordType, batch: list[tuple[int, RowPlan]]) -> bool:
    """Whether the row names (by a placeholder) a new row of the file still waiting in the batch."""
    named = {v for f in rtype.references if isinstance(v := plan.values.get(f.name), int) and v < 0}
    return bool(named) and any(p.token in named for _n, p in batch)


def _in_order(plans: list[RowPlan], rtype: RecordType) -> list[tuple[int, RowPlan]]:
    """Rows with their (1-based) place; a row that names another new row of the file (a placeholder: minus that
    row) comes after it."""
    refs = [f.name for f in rtype.references]

    def named(plan: RowPlan) -> set[int]:
        return {v for name in refs if isinstance(v := plan.values.get(name), int) and v < 0 and v != plan.token}

    names = [named(p) for p in plans]
    if not any(names):  # as in every file but one that adds facilities named by its own rows
        return list(enumerate(plans, 1))
    out: list[tuple[int, RowPlan]] = []
    placed: set[int] = set()
    waiting = [(n, p, names[n - 1]) for n, p in enumerate(plans, 1)]
    while waiting:
        later = [(n, p, m) for n, p, m in waiting if m - placed]
        ready = [(n, p) for n, p, m in waiting if not m - placed]
        if not ready:  # rows naming each other in a circle: as they come (each is then told what is missing)
            out += [(n, p) for n, p, _m in later]
            break
        out += ready
        placed |= {p.token for _n, p in ready}
        waiting = later
    return out


def _placeholders_known(
    report: ImportReport, plan: RowPlan, rtype: RecordType, row_ids: dict[int, int], *, check: bool = False
) -> bool:
    """Put in the ids of the new records a row names (``check``: only see that they are there); a row naming
    one that could not be written is a problem."""
    for ref in rtype.references:
        value = plan.values.get(ref.name)
        if not isinstance(value, int) or value >= 0:
            continue
        if value not in row_ids:
            sheet_no, row = divmod(-value, SHEET_ROWS)
            where = f"第{row}行" if len(report.layouts) == 1 else f"工作表“{report.layouts[sheet_no].sheet}”第{row}行"
            message = f"“{ref.label}”所指的机构在本文件中未能导入（{where}），此行未写入"
            report.problems.append(Problem(plan.sheet or report.sheet, plan.row, "", ref.label, None, message))
            return False
        if not check:
            plan.values[ref.name] = row_ids[value]
    return True


@contextmanager
def _row(session: Session, report: ImportReport, rtype, plan: RowPlan, sheet: str | None = None):
    """One row in a savepoint: a row the database or the cross-field rules refuse becomes a problem."""
    ok = [0]
    savepoint = session.begin_nested()
    try:
        yield ok
        savepoint.commit()
        ok[0] = 1
    except RecordError as exc:
        savepoint.rollback()
        names = {f.name for f in rtype.all_fields}
        for name, message in exc.errors.items():
            label = rtype.field(name).label if name in names else ""
            report.problems.append(Problem(sheet or plan.sheet or report.sheet, plan.row, "", label, None, message))
    except IntegrityError as exc:
        # A rule of the database that no check above knew: the row is refused and said to be, not the whole
        # import ended with an error (and, the import being one transaction, nothing is half-written).
        savepoint.rollback()
        log.warning("an imported row broke a database rule: %s", exc.orig)
        message = "这一行与数据库中已有的数据或规则冲突，未能写入；请核对这一行的内容"
        report.problems.append(Problem(sheet or plan.sheet or report.sheet, plan.row, "", "", None, message))


def _add_update(session: Session, kind: str, owner: int, values: dict[str, Any], user: str) -> None:
    if kind == "projects":
        add_project_update(
            session,
            owner,
            on=values["date"],
            stage=values["stage"],
            progress=values["progress"],
            investment_completed=values["investment_completed"],
            note=values.get("note"),
            user=user,
        )
    else:
        add_task_update(
            session,
            owner,
            on=values["date"],
            status=values["status"],
            note=values["note"],
            evidence=values.get("evidence"),
            user=user,
        )


def write_problem_workbook(report: ImportReport, out: str | Path) -> Path:
    """A copy of the file with every bad cell marked red and explained, plus a sheet listing the problems."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    wb = load_workbook(report.file) if check_workbook(report.file).kind == "xlsx" else _as_workbook(report.file)
    red = PatternFill("solid", fgColor="FFC7CE")
    yellow = PatternFill("solid", fgColor="FFEB9C")
    for p in report.notes:
        ws = wb[p.sheet] if p.sheet in wb.sheetnames else wb.worksheets[0]
        ws[f"{p.column}{p.row}"].fill = yellow
        ws[f"{p.column}{p.row}"].comment = Comment(cell_text(p.message), "县域卫生健康台账")
    for p in report.problems:
        if p.column:
            ws = wb[p.sheet] if p.sheet in wb.sheetnames else wb.worksheets[0]
            cell = ws[f"{p.column}{p.row}"]
            cell.fill = red
            cell.comment = Comment(cell_text(p.message), "县域卫生健康台账")  # a message may quote the cell
    listing = wb.create_sheet("问题清单", 0)
    for j, title in enumerate(("工作表", "行", "列", "列名", "单元格内容", "问题"), 1):
        put(listing, 1, j, title)
    for i, p in enumerate(report.problems + report.notes, 2):
        message = p.message if i - 2 < len(report.problems) else f"（已自动清理，不影响导入）{p.message}"
        values = (p.sheet, p.row, p.column, p.header, "" if p.value is None else str(p.value), message)
        for j, value in enumerate(values, 1):
            put(listing, i, j, value)
    for letter, width in zip("ABCDEF", (12, 6, 6, 16, 24, 70), strict=True):
        listing.column_dimensions[letter].width = width
    out = Path(out)
    with written_whole(out) as partial:
        wb.save(partial)
    return out


def _as_workbook(path: Path) -> Workbook:
    """An .xls, .et, .ods or text table as a workbook of its cells (what the import read), for its problems to be
    marked on: openpyxl writes only .xlsx."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in read_sheets(path):
        ws = wb.create_sheet(re.sub(r"[\[\]:*?/\\]", "_", sheet.name)[:31] or "Sheet")
        if sheet.hidden:
            ws.sheet_state = "hidden"
        for i, row in enumerate(sheet.rows, 1):
            for j, value in enumerate(row, 1):
                if value not in ("", None):
                    put(ws, i, j, value)
    return wb
