"""Receiving an exchange file: what it would change, every problem with it, and (once approved) the merge.

Everything is compared in the file's own form (references as natural keys): the receiver's current records of
the sender are collected exactly as the sender's export writes them, so a record is unchanged exactly when its
row is equal. A sender speaks only for its own area: a record the file shares with another area of this
database (a person, a division, a task) is a problem, and a file with any problem writes nothing.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, DateTime, Text, delete, insert, select, update
from sqlalchemy.orm import Session

from db.models import (
    Change,
    CountyProfile,
    Division,
    ExchangeReceipt,
    ExchangeSender,
    Facility,
    KeyTask,
    Project,
    StaffMember,
)
from desktop.exchange.container import ExchangeFile, fingerprint
from desktop.exchange.export import ExchangeError, collect, subtree
from desktop.exchange.tables import BY_TABLE, SPECS, Spec, columns
from desktop.periods import Period, PeriodError
from desktop.records.editing import acting_user, log_change
from desktop.validators import clean_text, mask_id_number

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExchangeProblem:
    table: str  # the table's Chinese name, or "" for the file as a whole
    record: str
    message: str

    @property
    def where(self) -> str:
        return f"{self.table}“{self.record}”" if self.table else "文件"


@dataclass
class TablePlan:
    spec: Spec
    new: list[list[Any]] = field(default_factory=list)
    changed: list[tuple[list[Any], list[Any]]] = field(default_factory=list)  # (stored row, file row)
    unchanged: int = 0
    missing: list[list[Any]] = field(default_factory=list)  # entities stored for the sender, absent from the file
    removed: int = 0  # detail rows the file no longer has
    owners: set = field(default_factory=set)  # detail rows: the owners whose rows differ (replaced whole)
    replacement: list[list[Any]] = field(default_factory=list)  # and the file's rows for those owners

    def changes(self, limit: int = 5) -> list[str]:
        """The first changed records, each with its fields as a clerk reads them: 实有床位（张） 862 → 874."""
        names = columns(self.spec)
        return [
            f"{self.spec.label}“{_label(self.spec, names, after)}”：{describe_change(self.spec, names, before, after)}"
            for before, after in self.changed[:limit]
        ]

    def summary(self) -> str:
        if self.spec.entity:
            text = f"新增 {len(self.new)}，修改 {len(self.changed)}，未变 {self.unchanged}"
            return text + (f"，本库有而文件无 {len(self.missing)}" if self.missing else "")
        return f"新增 {len(self.new)}，删除 {self.removed}，未变 {self.unchanged}"


@dataclass
class ExchangePlan:
    sender_code: str
    sender_name: str
    period: Period
    header: dict[str, Any]
    tables: dict[str, TablePlan]
    problems: list[ExchangeProblem]
    first_from_sender: bool
    fingerprint: str
    exported_at: dt.datetime  # by the sender's clock, as its signed header says
    confirmed: bool  # the sender's key was confirmed by an administrator (a phone check): its files may be approved

    @property
    def changes(self) -> int:
        return sum(len(p.new) + len(p.changed) + p.removed for p in self.tables.values())


def _key(spec: Spec, names: list[str], row: list[Any]) -> tuple:
    return tuple(json.dumps(row[names.index(k)], ensure_ascii=False) for k in spec.key)


def _label(spec: Spec, names: list[str], row: list[Any]) -> str:
    """A record as a clerk recognises it: its name, ID number masked."""
    if spec.table == "staff":
        number = row[names.index("id_number")]
        return f"{row[names.index('name')]}（{mask_id_number(number)}）"
    for name in ("name", "title"):
        if name in names:
            return str(row[names.index(name)])
    return "/".join(str(row[names.index(k)]) for k in spec.key)


def describe_change(spec: Spec, names: list[str], before: list[Any], after: list[Any]) -> str:
    """Field by field, in the fields' own words; a person's numbers masked; a reference said to have changed."""
    from desktop.records.types import RECORD_TYPES

    rtype = next((t for t in RECORD_TYPES.values() if t.model is spec.model), None)
    parts = []
    for name, old, new in zip(names, before, after, strict=True):
        if old == new:
            continue
        try:
            field = rtype.field(name) if rtype is not None else None
        except KeyError:
            field = None
        label = field.label if field is not None else name
        if name in spec.refs or field is None:
            parts.append(f"{label}：已更改")
            continue
        shown = [field.display(_typed(field, v)) or "（空）" for v in (old, new)]
        parts.append(f"{label}：{shown[0]} → {shown[1]}")
    return "；".join(parts)


def _typed(field, value: Any) -> Any:
    """A value as the file carries it (a date as text) back in the field's own type, for display."""
    if value is not None and field.kind == "date":
        return dt.date.fromisoformat(value)
    return value


def _in_our_columns(spec: Spec, theirs: Any, rows: list[list[Any]], header: dict[str, Any]) -> list[list[Any]]:
    """A table's rows in this version's columns. A sender whose software is older may lack a column added since (a
    nullable field, as a new field is): its rows carry it empty, as they would have here. Anything else (a column
    this version does not have, one it must have) is refused: the receiver cannot keep what it cannot store."""
    ours = columns(spec)
    if theirs == ours:
        return rows
    table = spec.model.__table__
    if isinstance(theirs, list) and set(theirs) <= set(ours):
        missing = [n for n in ours if n not in theirs]
        if all(table.c[n].nullable and table.c[n].server_default is None for n in missing):
            at = [theirs.index(n) if n in theirs else None for n in ours]
            return [[row[i] if i is not None else None for i in at] for row in rows]
    raise ExchangeError(
        f"交换文件中“{spec.label}”的栏目与本软件不一致（文件由 {header.get('app_version', '未知')} 版生成），"
        "请双方使用相同版本的软件后重新导出。"
    )


def sender_area(session: Session, code: str) -> list[int]:
    root = session.scalar(select(Division.id).where(Division.code == code))
    return subtree(session, root) if root is not None else []


def plan_import(session: Session, received: ExchangeFile) -> ExchangePlan:
    header, body = received.header, received.body
    problems: list[ExchangeProblem] = []
    try:
        sender = header["sender"]
        code, name = str(sender["code"]), str(sender["name"])
        period = Period.parse(str(header["period"]))
        exported_at = _local_time(str(header["exported_at"]))
        tables = body["tables"]
        file_columns = body["columns"]
    except (KeyError, TypeError, ValueError, PeriodError) as exc:
        log.warning("an exchange file's header or body is incomplete: %r", exc)
        raise ExchangeError("交换文件内容不完整（缺少报送单位、报送期或记录），未导入任何记录。") from None
    known = session.scalar(select(ExchangeSender).where(ExchangeSender.division_code == code))
    if known is not None and known.public_key != received.public_key:
        problems.append(ExchangeProblem("", "", (
            f"此文件的签名密钥（指纹 {fingerprint(received.public_key)}）与此前收到的“{known.name}”的文件"
            f"（指纹 {fingerprint(known.public_key)}）不同：可能不是该单位发出的文件。请电话核实；"
            "如对方确实换了电脑或重装了软件，请电话核对新指纹后，由管理员用“数据交换”页的“改认新密钥”"
            "（或 countyhealth exchange rekey）改认，并写明原因。"
        )))  # fmt: skip
    problems += _scope_problems(session, code, name, header)
    problems += _lock_problems(session, code, name, period)
    problems += _order_problems(session, code, name, period, exported_at)
    for spec in SPECS:
        tables[spec.table] = _in_our_columns(spec, file_columns.get(spec.table), tables.get(spec.table, []), header)
    root = session.scalar(select(Division).where(Division.code == code))
    stored = collect(session, root, own_area=False) if root is not None else {s.table: [] for s in SPECS}
    area = set(sender_area(session, code))
    plans = {}
    for spec in SPECS:
        plans[spec.table] = _plan_table(spec, _cleaned(spec, tables.get(spec.table, [])), stored[spec.table], problems)
    problems += _area_problems(code, name, tables)
    problems += _shared_record_problems(session, tables, area)
    return ExchangePlan(
        code, name, period, header, plans, problems, known is None, fingerprint(received.public_key), exported_at,
        known is not None and known.confirmed_at is not None,
    )  # fmt: skip


def _local_time(text: str) -> dt.datetime:
    """The header's export time, naive as this database keeps times (a file from elsewhere may name its zone)."""
    when = dt.datetime.fromisoformat(text)
    return when.astimezone().replace(tzinfo=None) if when.tzinfo is not None else when


def _cleaned(spec: Spec, rows: list[list[Any]]) -> list[list[Any]]:
    """The rows with their text as the text rules let this database hold it (a sender's older version may have
    stored control or direction characters): before planning, so that keys and references match what is stored."""
    long = [isinstance(spec.model.__table__.c[n].type, Text) for n in columns(spec)]

    def clean(value: Any, multiline: bool) -> Any:
        if isinstance(value, str):
            return clean_text(value, multiline=multiline)
        if isinstance(value, list):  # a reference, written as the referenced record's key
            return [clean(v, False) for v in value]
        return value

    return [[clean(v, m) for v, m in zip(row, long, strict=False)] for row in rows]


def _plan_table(spec: Spec, rows: list[list[Any]], stored: list[list[Any]], problems) -> TablePlan:
    names = columns(spec)
    plan = TablePlan(spec)
    if spec.entity:
        mine = {_key(spec, names, r): r for r in stored}
        seen = set()
        for row in rows:
            key = _key(spec, names, row)
            if key in seen:
                problems.append(ExchangeProblem(spec.label, _label(spec, names, row), "文件中重复出现"))
                continue
            seen.add(key)
            before = mine.get(key)
            if before is None:
                plan.new.append(row)
            elif before != row:
                plan.changed.append((before, row))
            else:
                plan.unchanged += 1
        plan.missing = [r for k, r in mine.items() if k not in seen]
        return plan
    owner = names.index(spec.parent)
    by_owner_file: dict[str, Counter] = {}
    by_owner_stored: dict[str, Counter] = {}
    for target, source in ((by_owner_file, rows), (by_owner_stored, stored)):
        for row in source:
            target.setdefault(json.dumps(row[owner], ensure_ascii=False), Counter())[
                json.dumps(row, ensure_ascii=False)
            ] += 1
    for key in set(by_owner_file) | set(by_owner_stored):
        theirs, ours = by_owner_file.get(key, Counter()), by_owner_stored.get(key, Counter())
        if theirs == ours:
            plan.unchanged += sum(ours.values())
            continue
        plan.owners.add(key)
        plan.new += [json.loads(r) for r in (theirs - ours).elements()]
        plan.removed += sum((ours - theirs).values())
        plan.unchanged += sum((ours & theirs).values())
        plan.replacement += [json.loads(r) for r in theirs.elements()]
    return plan


def _scope_problems(session: Session, code: str, name: str, header: dict) -> list[ExchangeProblem]:
    """A file must come from inside this database's area, and not be this database's own."""
    profile = session.get(CountyProfile, 1)
    if profile is None or profile.division_id is None:
        return []
    own = session.get(Division, profile.division_id)
    if own.code == code:
        return [ExchangeProblem("", "", f"这是本数据库所属地区“{own.name}”自己的文件，不能导入本库。")]
    outside = [ExchangeProblem("", "", f"报送单位“{name}”（{code}）不在本库所辖的“{own.name}”范围内。")]
    if own.code not in [a.get("code") for a in header.get("ancestors", [])]:
        return outside
    known = session.scalar(select(Division.id).where(Division.code == code))
    if known is not None and known not in subtree(session, own.id):  # the header says so; this database knows better
        return outside
    return []


def _area_problems(code: str, name: str, tables: dict) -> list[ExchangeProblem]:
    """Every record must lie in the sender's own area as the file itself draws it: a division under the sender's,
    a population, facility or task in one of those divisions, a person or project in one of those facilities,
    and a detail row (a training, a progress report …) under a record the file carries. So a sender cannot
    carry another area's records under its own name, even where this database has never seen them."""
    out = []
    names = columns(BY_TABLE["divisions"])
    at, up = names.index("code"), names.index("parent_id")
    children: dict[Any, list[str]] = {}
    for row in tables.get("divisions", []):
        children.setdefault(row[up], []).append(row[at])
    if not any(row[at] == code for row in tables.get("divisions", [])):
        out.append(ExchangeProblem("", "", f"文件中没有报送单位“{name}”（{code}）自己的区划记录。"))
    area, todo = set(), [code]
    while todo:
        current = todo.pop()
        if current not in area:
            area.add(current)
            todo.extend(children.get(current, ()))
    carried: dict[str, set[str]] = {}
    for spec in SPECS:
        names = columns(spec)
        rows = tables.get(spec.table, [])
        if spec.entity:
            carried[spec.table] = {json.dumps(_entity_key(spec, names, r), ensure_ascii=False) for r in rows}
            place, by_facility = names.index(spec.area), spec.refs.get(spec.area) == "facilities"
            for row in rows:
                where = (row[place] or [None])[0] if by_facility else row[place]
                if where not in area:
                    message = f"所在地区（区划代码 {where}）不在报送单位“{name}”（{code}）的辖区内"
                    out.append(ExchangeProblem(spec.label, _label(spec, names, row), message))
            continue
        owner_table = spec.refs[spec.parent]
        owner = BY_TABLE[owner_table]
        owner_at = names.index(spec.parent)
        strays = {json.dumps(r[owner_at], ensure_ascii=False) for r in rows} - carried[owner_table]
        for stray in sorted(strays):
            out.append(ExchangeProblem(spec.label, _owner_label(owner_table, json.loads(stray)),
                                       f"所属的{owner.label}不在此文件中，不能随此文件改动"))  # fmt: skip
    return out


def _owner_label(table: str, key: Any) -> str:
    """A record known only by the key a detail row refers to it with: its name, a person's number masked."""
    if table == "staff":
        return mask_id_number(key) if isinstance(key, str) else str(key)
    if not isinstance(key, list):
        return str(key)
    if table in ("facilities", "projects"):  # the division's code first, then the names
        key = key[1:]
    return "/".join(str(k) for k in key)


def _lock_problems(session: Session, code: str, name: str, period: Period) -> list[ExchangeProblem]:
    latest = session.scalars(
        select(ExchangeReceipt)
        .where(ExchangeReceipt.division_code == code, ExchangeReceipt.status == "approved")
        .order_by(ExchangeReceipt.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return []
    approved = Period.parse(latest.period)
    if approved == period:
        return [ExchangeProblem("", "", (
            f"“{name}”{period.label}的数据已于 {latest.decided_at:%Y-%m-%d} 由{latest.decided_by}审核并锁定；"
            "如需更正，请先重新打开该期（须写明原因）。"
        ))]  # fmt: skip
    if (period.year, period.quarter or 0) < (approved.year, approved.quarter or 0):
        return [ExchangeProblem("", "", f"“{name}”已审核到{approved.label}，不能再导入更早的{period.label}。")]
    return []


def _order_problems(session: Session, code: str, name: str, period: Period, exported_at: dt.datetime):
    """A file exported before the one already here for the period would put older figures in the newer's place
    (the sender corrected a figure, and the uncorrected file arrived last)."""
    newer = session.scalars(
        select(ExchangeReceipt)
        .where(
            ExchangeReceipt.division_code == code,
            ExchangeReceipt.period == str(period),
            ExchangeReceipt.status.in_(("received", "reopened")),
            ExchangeReceipt.exported_at > exported_at,
        )
        .order_by(ExchangeReceipt.exported_at.desc())
        .limit(1)
    ).first()
    if newer is None:
        return []
    mine, theirs = _times(exported_at, newer.exported_at)
    state = "待审核" if newer.status == "received" else "已审核后重新打开"
    return [ExchangeProblem("", "", (
        f"此文件导出于 {mine}，早于本库已收到的“{name}”{period.label}文件“{newer.file_name}”（导出于 {theirs}，"
        f"{state}）：较早导出的文件不能取代较新的文件。如确应以此文件的数据为准，请报送单位修改后重新导出。"
    ))]  # fmt: skip


def _times(*times: dt.datetime) -> list[str]:
    """Times as a clerk reads them, to the second; to the millisecond where two would otherwise read the same."""
    shown = [f"{t:%Y-%m-%d %H:%M:%S}" for t in times]
    if len(set(shown)) < len(shown):
        shown = [f"{t:%Y-%m-%d %H:%M:%S}.{t.microsecond // 1000:03d}" for t in times]
    return shown


def _shared_record_problems(session: Session, tables: dict, area: set[int]) -> list[ExchangeProblem]:
    """Records the file shares with another area of this database: a division, a person, a task."""
    out = []
    names = columns(BY_TABLE["divisions"])
    codes = [r[names.index("code")] for r in tables.get("divisions", [])]
    for division_id, division_name, division_code in session.execute(
        select(Division.id, Division.name, Division.code).where(Division.code.in_(codes))
    ):
        if division_id not in area:
            out.append(ExchangeProblem("行政区划", division_name, f"区划代码 {division_code} 在本库中属于其他地区"))
    names = columns(BY_TABLE["staff"])
    numbers = [r[names.index("id_number")] for r in tables.get("staff", [])]
    outside = (
        select(StaffMember.name, StaffMember.id_number, Facility.name, Facility.division_id)
        .join(Facility, Facility.id == StaffMember.facility_id)
        .where(StaffMember.id_key.in_(numbers))  # the lookup key: a sealed number differs at every write
    )
    for person, number, facility, division_id in session.execute(outside):
        if division_id not in area:
            out.append(ExchangeProblem(
                "人员", f"{person}（{mask_id_number(number)}）",
                f"在本库中是“{facility}”的人员，不属于报送单位；人员调动须先由原单位报送调出",
            ))  # fmt: skip
    names = columns(BY_TABLE["key_tasks"])
    keys = {(r[names.index("ledger")], r[names.index("number")]) for r in tables.get("key_tasks", [])}
    for title, ledger, number, division_id in session.execute(
        select(KeyTask.title, KeyTask.ledger, KeyTask.number, KeyTask.division_id).where(
            KeyTask.ledger.in_({k[0] for k in keys})
        )
    ):
        if (ledger, number) in keys and division_id not in area:
            out.append(ExchangeProblem("重点任务", title, "同一台账、同一序号的任务在本库中属于其他地区"))
    return out


# --- the merge, once approved ---------------------------------------------------------------------


class _Resolver:
    """Natural keys back to this database's ids, kept current as the merge inserts records."""

    def __init__(self, session: Session) -> None:
        self.divisions = {c: i for i, c in session.execute(select(Division.id, Division.code))}
        self.facilities = {
            json.dumps([code, name], ensure_ascii=False): i
            for i, code, name in session.execute(
                select(Facility.id, Division.code, Facility.name).join(Division, Division.id == Facility.division_id)
            )
        }
        self.staff = dict(session.execute(select(StaffMember.id_number, StaffMember.id)).all())
        self.projects = {
            json.dumps([code, facility, name], ensure_ascii=False): i
            for i, code, facility, name in session.execute(
                select(Project.id, Division.code, Facility.name, Project.name)
                .join(Facility, Facility.id == Project.facility_id)
                .join(Division, Division.id == Facility.division_id)
            )
        }
        self.key_tasks = {
            json.dumps([ledger, number], ensure_ascii=False): i
            for i, ledger, number in session.execute(select(KeyTask.id, KeyTask.ledger, KeyTask.number))
        }

    def id_of(self, table: str, key: Any) -> int | None:
        if key is None:
            return None
        if table in ("divisions", "staff"):
            return getattr(self, table).get(key)
        return getattr(self, table).get(json.dumps(key, ensure_ascii=False))

    def remember(self, table: str, key: Any, record_id: int) -> None:
        if table in ("divisions", "staff"):
            getattr(self, table)[key] = record_id
        else:
            getattr(self, table)[json.dumps(key, ensure_ascii=False)] = record_id


def _to_values(spec: Spec, names: list[str], row: list[Any], ids: _Resolver) -> dict[str, Any]:
    table = spec.model.__table__
    out = {}
    for name, value in zip(names, row, strict=True):
        if name in spec.refs:
            value = ids.id_of(spec.refs[name], value)
        elif value is not None and isinstance(table.c[name].type, DateTime):
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(table.c[name].type, Date):
            value = dt.date.fromisoformat(value)
        out[name] = value
    return out


def _entity_key(spec: Spec, names: list[str], row: list[Any]) -> Any:
    """The key the resolver files a record under (as other rows refer to it)."""
    if spec.table == "divisions":
        return row[names.index("code")]
    if spec.table == "staff":
        return row[names.index("id_number")]
    if spec.table == "facilities":
        return [row[names.index("division_id")], row[names.index("name")]]
    if spec.table == "projects":
        return [*row[names.index("facility_id")], row[names.index("name")]]
    if spec.table == "key_tasks":
        return [row[names.index("ledger")], row[names.index("number")]]
    return None


def apply_plan(session: Session, plan: ExchangePlan, *, user: str, progress=None) -> int:
    """Merge an approved file into this database (the caller's transaction); returns the rows written."""
    merge = _Merge(session, plan, user)
    merge.add_ancestors()
    steps = len(SPECS)
    for step, spec in enumerate(SPECS, 1):
        tp = plan.tables[spec.table]
        if spec.entity:
            merge.add_new(spec, tp)
            merge.change(spec, tp)
            if spec.table == "facilities":
                merge.link_lead_facilities(spec, tp)
        else:
            merge.replace_details(spec, tp)
        if progress:
            progress(step, steps)
    merge.write_history()
    session.flush()
    return merge.written


class _Merge:
    """apply_plan's steps, sharing what the merge has learnt (each record's id here by its key, the history rows
    to write at the end, the rows written)."""

    def __init__(self, session: Session, plan: ExchangePlan, user: str) -> None:
        self.session, self.plan, self.user = session, plan, user
        self.reason = f"交换文件：{plan.sender_name}{plan.period.label}"
        self.ids = _Resolver(session)
        self.who = acting_user(session, user)  # as log_change names them
        self.now = dt.datetime.now()
        self.history: list[dict[str, Any]] = []
        self.written = 0

    def add_ancestors(self) -> None:
        """A receiver that lacks the sender's parents (its township's county, say) gets them."""
        parent_id = None
        for ancestor in self.plan.header.get("ancestors", []):
            known = self.ids.divisions.get(ancestor["code"])
            if known is None:
                known = self.session.execute(
                    insert(Division).returning(Division.id),
                    [{"code": ancestor["code"], "name": ancestor["name"], "kind": ancestor["kind"],
                      "parent_id": parent_id}],
                ).scalar_one()  # fmt: skip
                self.ids.remember("divisions", ancestor["code"], known)
            parent_id = known

    def add_new(self, spec: Spec, tp: TablePlan) -> None:
        """The records new here, in batches; each one's id remembered by its key for the rows that point to it."""
        names, model = columns(spec), spec.model
        if spec.table == "divisions":  # one at a time, parents first: a child needs its parent's id
            batches = [[row] for row in _parents_first(names, tp.new)]
        else:
            batches = [tp.new[i : i + 1000] for i in range(0, len(tp.new), 1000)]
        for batch in batches:
            values = [_to_values(spec, names, row, self.ids) for row in batch]
            if spec.table == "facilities":
                for v in values:
                    v["lead_facility_id"] = None  # set by link_lead_facilities, once every facility has an id
            made = self.session.execute(insert(model).returning(model.id, sort_by_parameter_order=True), values)
            for row, record_id in zip(batch, made.scalars().all(), strict=True):
                key = _entity_key(spec, names, row)
                if key is not None:
                    self.ids.remember(spec.table, key, record_id)
                self.history.append({
                    "at": self.now, "user": self.who, "table_name": spec.table, "row_id": record_id,
                    "action": "insert", "old_values": None, "new_values": dict(zip(names, row, strict=True)),
                    "reason": self.reason,
                })  # fmt: skip
            self.written += len(batch)

    def change(self, spec: Spec, tp: TablePlan) -> None:
        """The records the file changes, field by field, each change in the history."""
        names, model = columns(spec), spec.model
        for before, row in tp.changed:
            values = _to_values(spec, names, row, self.ids)
            record_id = (
                self.ids.id_of(spec.table, _entity_key(spec, names, row))
                if spec.table != "division_populations"
                else None
            )
            if record_id is None:  # populations: by division and year
                record_id = self.session.scalar(
                    select(model.id).where(model.division_id == values["division_id"], model.year == values["year"])
                )
            changed = {n: (b, a) for n, b, a in zip(names, before, row, strict=True) if b != a}
            self.session.execute(
                update(model).where(model.id == record_id).values(**{n: values[n] for n in changed},
                                                                  version=model.version + 1)
            )  # fmt: skip
            log_change(  # the file tells the period as it ended: its changes hold from that day, not today's
                self.session, self.user, spec.table, record_id, "update",
                {n: o for n, (o, _) in changed.items()}, {n: v for n, (_, v) in changed.items()}, self.reason,
                effective_on=self.plan.period.end,
            )  # fmt: skip
            self.written += 1

    def link_lead_facilities(self, spec: Spec, tp: TablePlan) -> None:
        """A new facility's lead hospital or managing centre, now that every facility of the file has an id."""
        names = columns(spec)
        lead = names.index("lead_facility_id")
        for row in tp.new:
            if row[lead] is not None:
                record_id = self.ids.id_of("facilities", _entity_key(spec, names, row))
                self.session.execute(
                    update(Facility)
                    .where(Facility.id == record_id)
                    .values(lead_facility_id=self.ids.id_of("facilities", row[lead]))
                )

    def replace_details(self, spec: Spec, tp: TablePlan) -> None:
        """A detail table (equipment, service areas, cooperating units…): its owners' rows replaced by the file's."""
        names, model = columns(spec), spec.model
        owner_table = spec.refs[spec.parent]
        owners = [o for o in (self.ids.id_of(owner_table, json.loads(k)) for k in tp.owners) if o is not None]
        column = getattr(model, spec.parent)
        for start in range(0, len(owners), 500):
            self.session.execute(delete(model).where(column.in_(owners[start : start + 500])))
        rows = [_to_values(spec, names, r, self.ids) for r in tp.replacement]
        for start in range(0, len(rows), 5000):
            self.session.execute(insert(model), rows[start : start + 5000])
        self.written += len(rows) + tp.removed

    def write_history(self) -> None:
        for start in range(0, len(self.history), 5000):
            self.session.execute(insert(Change), self.history[start : start + 5000])


def _parents_first(names: list[str], rows: list[list[Any]]) -> list[list[Any]]:
    code, parent = names.index("code"), names.index("parent_id")
    ordered, placed, pending = [], set(), list(rows)
    known = {r[code] for r in rows}
    while pending:
        ready = [r for r in pending if r[parent] not in known or r[parent] in placed]
        if not ready:  # a cycle cannot come from a real tree; keep what is left in file order
            ready = pending
        for r in ready:
            ordered.append(r)
            placed.add(r[code])
        pending = [r for r in pending if r[code] not in placed]
    return ordered


def body_bytes(received: ExchangeFile) -> bytes:
    return gzip.compress(json.dumps({"header": received.header, "body": received.body}, ensure_ascii=False).encode())
