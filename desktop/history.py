"""Reading the change history: a record's changes, and every change of a span (a quarter, or since the
last submission), described in the words of the record's fields, with people's numbers masked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.codes import CHANGE_ACTION, DIVISION_KIND, EQUIPMENT, RECEIPT_STATUS
from db.models import (
    Change,
    Division,
    DivisionPopulation,
    ExchangeReceipt,
    ExchangeReceiver,
    ExchangeSender,
    Facility,
    Indicator,
    KeyTask,
    Plan,
    Project,
    ProjectUpdate,
    StaffMember,
    Submission,
    TaskUpdate,
    User,
)
from desktop.records.fields import Field
from desktop.records.types import FACILITY, RECORD_TYPES, RecordType

# What each logged table is called, and how its rows are named.
TABLES: dict[str, tuple[str, Any, Any]] = {
    "facilities": ("机构", Facility, Facility.name),
    "staff": ("人员", StaffMember, StaffMember.name),
    "projects": ("建设项目", Project, Project.name),
    "key_tasks": ("重点任务", KeyTask, KeyTask.title),
    "project_updates": ("项目进度", ProjectUpdate, None),
    "task_updates": ("任务进展", TaskUpdate, None),
    "divisions": ("行政区划", Division, Division.name),
    "division_populations": ("人口", DivisionPopulation, None),
    "facility_equipment": ("机构设备", Facility, Facility.name),  # row_id is the facility's
    "service_areas": ("服务范围", Facility, Facility.name),  # row_id is the facility's
    "project_funding": ("计划投资", Project, Project.name),  # row_id is the project's
    "task_cooperating_units": ("配合单位", KeyTask, KeyTask.title),  # row_id is the task's
    "trainings": ("培训进修", None, None),
    "staff_loans": ("借用记录", None, None),
    "special_funds": ("专项资金", None, None),
    "plans": ("规划", Plan, Plan.name),
    "indicators": ("规划指标", Indicator, Indicator.name),
    "indicator_values": ("指标数值", Indicator, Indicator.name),  # row_id is the indicator's
    "county_profile": ("县域信息", None, None),
    "form_blocks": ("报表表号", None, None),
    "users": ("账号", User, User.name),
    "submissions": ("导出文件", None, None),
    "exchange_senders": ("报送单位", ExchangeSender, ExchangeSender.name),
    "exchange_receipts": ("交换文件", ExchangeReceipt, ExchangeReceipt.file_name),
    "exchange_receivers": ("接收单位", ExchangeReceiver, ExchangeReceiver.name),
}
# What the exchange's own entries hold (desktop.exchange.approval): no record type describes them.
_EXCHANGE_KEYS = {
    "sender": "报送单位",
    "period": "报送期",
    "file": "文件",
    "sha256": "文件校验和",
    "status": "状态",
    "fingerprint": "签名指纹",
    "confirmed": "签名指纹已确认",
    "receiver": "接收单位",
    "code": "区划代码",
    "receiving_key": "接收密钥指纹",
}
# What a division's logged changes hold (desktop.division_setup, desktop.division_editing): no record type
# describes a division.
_DIVISION_KEYS = {
    "code": "区划代码",
    "name": "名称",
    "kind": "类别",
    "parent_id": "上级区划",
    "remote": "边远地区",
    "withdrawn_on": "撤销日期",
    "merged_into": "并入",
}
_TYPES_BY_TABLE: dict[str, RecordType] = {t.model.__tablename__: t for t in RECORD_TYPES.values()}
# A part's changes are logged under its own table, by the fields of the record it belongs to.
_TYPES_BY_TABLE.update({part.table: t for t in RECORD_TYPES.values() for part in t.parts})


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: dt.datetime
    user: str
    action: str  # 新增, 修改, 注销, 查看完整号码
    table: str  # 人员, 机构, ...
    table_name: str
    row_id: int
    record: str  # the record's name as it is now
    changes: tuple[tuple[str, str, str], ...]  # (field label, old, new)
    reason: str
    effective_on: dt.date | None = None  # the day the change holds from, where the clerk gave one

    @property
    def summary(self) -> str:
        if not self.changes:
            return ""
        said = "；".join(f"{label}：{old or '（空）'} → {new or '（空）'}" for label, old, new in self.changes)
        if self.effective_on is not None and self.effective_on != self.at.date():
            said += f"（自{self.effective_on.year}年{self.effective_on.month}月{self.effective_on.day}日起）"
        return said


def last_submission_at(session: Session) -> dt.datetime | None:
    return session.scalar(select(func.max(Submission.at)))


def record_history(session: Session, table_name: str, row_id: int) -> list[HistoryEntry]:
    """Every change of one record, newest first (for a facility, its equipment and service area too)."""
    tables = [table_name]
    rtype = _TYPES_BY_TABLE.get(table_name)
    if rtype is not None and rtype.model.__tablename__ == table_name:  # a record's parts are logged as its own
        tables += [part.table for part in rtype.parts]
    rows = session.scalars(
        select(Change)
        .where(Change.table_name.in_(tables), Change.row_id == row_id)
        .order_by(Change.at.desc(), Change.id.desc())
    ).all()
    return _describe(session, rows)


def changes_between(
    session: Session, start: dt.datetime | None, end: dt.datetime | None = None, *, limit: int = 5000
) -> list[HistoryEntry]:
    """Every change from ``start`` (or the beginning) to ``end`` (or now), newest first."""
    query = select(Change).order_by(Change.at.desc(), Change.id.desc()).limit(limit)
    if start is not None:
        query = query.where(Change.at >= start)
    if end is not None:
        query = query.where(Change.at < end)
    return _describe(session, session.scalars(query).all())


def _describe(session: Session, rows: list[Change]) -> list[HistoryEntry]:
    names = _record_names(session, rows)
    refs = _Refs(session)
    for c in rows:  # a deleted training's edits are named by what its insert or deletion logged
        if (c.table_name, c.row_id) not in names and c.table_name in ("trainings", "staff_loans", "special_funds"):
            named = _fallback_name(c, refs)
            if not named.startswith("编号"):
                names[(c.table_name, c.row_id)] = named
    out = []
    for c in rows:
        label = TABLES.get(c.table_name, (c.table_name, None, None))[0]
        out.append(
            HistoryEntry(
                c.id,
                c.at,
                c.user,
                CHANGE_ACTION.get(c.action, c.action),
                label,
                c.table_name,
                c.row_id,
                names.get((c.table_name, c.row_id)) or _fallback_name(c, refs),
                tuple(_field_changes(c, refs)),
                c.reason or "",
                c.effective_on,
            )
        )
    return out


def _record_names(session: Session, rows: list[Change]) -> dict[tuple[str, int], str]:  # noqa: C901
    wanted: dict[str, set[int]] = {}
    for c in rows:
        wanted.setdefault(c.table_name, set()).add(c.row_id)
    names: dict[tuple[str, int], str] = {}
    for table, ids in wanted.items():
        _label, model, column = TABLES.get(table, (None, None, None))
        if table in ("trainings", "staff_loans", "special_funds"):
            names.update(_owned_names(session, table, ids))
            continue
        if model is None:
            continue
        if column is not None:
            for i in range(0, len(ids), 500):
                chunk = sorted(ids)[i : i + 500]
                for row_id, name in session.execute(select(model.id, column).where(model.id.in_(chunk))):
                    names[(table, row_id)] = name
        elif model is DivisionPopulation:
            for row_id, name, year in session.execute(
                select(DivisionPopulation.id, Division.name, DivisionPopulation.year)
                .join(Division, Division.id == DivisionPopulation.division_id)
                .where(DivisionPopulation.id.in_(ids))
            ):
                names[(table, row_id)] = f"{name} {year}年"
        else:  # a dated progress report, named by its project or task and its date
            owner, owner_name, owner_id = (
                (Project, Project.name, ProjectUpdate.project_id)
                if model is ProjectUpdate
                else (KeyTask, KeyTask.title, TaskUpdate.task_id)
            )
            for row_id, name, day in session.execute(
                select(model.id, owner_name, model.date).join(owner, owner.id == owner_id).where(model.id.in_(ids))
            ):
                names[(table, row_id)] = f"{name}（{day}）"
    return names


def _owned_names(session: Session, table: str, ids: set[int]) -> dict[tuple[str, int], str]:
    """A person's training or loan by the person and its start; a fund by its facility and year (a deleted one is
    named from its logged values instead)."""
    from db.models import SpecialFund, StaffLoan, Training

    if table == "special_funds":
        query = (
            select(SpecialFund.id, Facility.name, SpecialFund.year)
            .join(Facility, Facility.id == SpecialFund.facility_id)
            .where(SpecialFund.id.in_(ids))
        )
        return {(table, i): f"{name} {year}年" for i, name, year in session.execute(query)}
    model = Training if table == "trainings" else StaffLoan
    query = (
        select(model.id, StaffMember.name, model.start_date)
        .join(StaffMember, StaffMember.id == model.staff_id)
        .where(model.id.in_(ids))
    )
    return {(table, i): f"{name}（{day}）" for i, name, day in session.execute(query)}


def _fallback_name(c: Change, refs: _Refs) -> str:
    if c.table_name == "county_profile":
        return "县域信息"
    if c.table_name == "form_blocks":
        return _sheet_label({**(c.old_values or {}), **(c.new_values or {})}.get("sheet", ""))
    if c.table_name == "submissions":
        return ""
    values = {**(c.old_values or {}), **(c.new_values or {})}
    # A person's training or loan, a centre's fund: named by whom or what it belongs to, from the logged values
    # themselves, so a deleted one is still named.
    if "staff_id" in values:
        when = values.get("start_date")
        return refs.name("staff", values["staff_id"]) + (f"（{when}）" if when else "")
    if c.table_name == "special_funds" and "facility_id" in values:
        return refs.name("facility", values["facility_id"]) + (f" {values['year']}年" if values.get("year") else "")
    return str(values.get("name") or f"编号 {c.row_id}")


class _Refs:
    """Names of the facilities and divisions a change points to, read once and only if needed."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.tables: dict[str, dict[int, str]] = {}

    def name(self, ref: str, value: Any) -> str:
        if ref not in self.tables:
            model = {"facility": Facility, "staff": StaffMember}.get(ref, Division)
            self.tables[ref] = dict(self.session.execute(select(model.id, model.name)).all())
        return self.tables[ref].get(value, f"编号 {value}")


def _field_changes(c: Change, refs: _Refs):
    rtype = _TYPES_BY_TABLE.get(c.table_name)
    old, new = c.old_values or {}, c.new_values or {}
    for key in dict.fromkeys([*old, *new]):
        field = _field(rtype, key)
        if field is None and c.table_name == "divisions" and key in _DIVISION_KEYS:
            yield (
                _DIVISION_KEYS[key],
                _division_value(key, old.get(key), refs),
                _division_value(key, new.get(key), refs),
            )
            continue
        if field is None and c.table_name in ("county_profile", "form_blocks") and key in _SETTING_KEYS:
            yield _SETTING_KEYS[key], _setting_value(key, old.get(key), refs), _setting_value(key, new.get(key), refs)
            continue
        if field is None and key in _EXCHANGE_KEYS:
            yield _EXCHANGE_KEYS[key], _exchange_value(key, old.get(key)), _exchange_value(key, new.get(key))
            continue
        label = field.label if field else key
        yield label, _shown(field, old.get(key), refs), _shown(field, new.get(key), refs)


# The county profile's and the sheets' form blocks: no record type describes them.
_SETTING_KEYS = {
    "bureau_name": "填报单位",
    "head_of_unit": "单位负责人",
    "preparer": "填表人",
    "phone": "联系电话",
    "division_id": "所属地区",
    "doc_prefix": "机关代字",
    "report_addressee": "报告主送机关",
    "sheet": "报表",
    "form_number": "表号",
    "issued_by": "制定机关",
    "approval_number": "批准文号",
    "valid_until": "有效期至",
}


def _setting_value(key: str, value: Any, refs: _Refs) -> str:
    if value is None:
        return ""
    if key == "division_id":
        return refs.name("division", value)
    if key == "sheet":
        return _sheet_label(value)
    return str(value)


def _sheet_label(key: str) -> str:
    from desktop.excel.sheets import SHEETS  # only when a sheet's block was changed: it imports openpyxl

    return SHEETS[key][0] if key in SHEETS else "报表"


def _division_value(key: str, value: Any, refs: _Refs) -> str:
    if value is None:
        return ""
    if key == "kind":
        return DIVISION_KIND.get(value, str(value))
    if key in ("parent_id", "merged_into"):
        return refs.name("division", value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _exchange_value(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key == "status":
        return RECEIPT_STATUS.get(value, str(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


# Keys the equipment and the service area were logged under before they were parts of the facility's description.
_EARLIER_KEYS = {**{item: f"equipment_{item}" for item in EQUIPMENT}, "divisions": "service_area"}


def _field(rtype: RecordType | None, name: str) -> Field | None:
    if rtype is None:
        return None
    name = _EARLIER_KEYS.get(name, name) if rtype is FACILITY else name
    return next((f for f in rtype.all_fields if f.name == name), None)


def _shown(field: Field | None, value: Any, refs: _Refs) -> str:
    """A logged value as the user reads it; dates were logged as text, people's numbers are masked."""
    if value is None:
        return ""
    if field is None:
        return value if isinstance(value, str) else _plain(value)
    if field.kind == "date" and isinstance(value, str):
        return value
    if field.kind == "ref" and field.ref in ("facility", "division", "staff"):
        return refs.name(field.ref, value)
    if field.kind == "refs" and isinstance(value, list):
        return "、".join(refs.name(field.ref, v) for v in value)
    try:
        return field.display(value)
    except (AttributeError, TypeError, ValueError):
        return str(value)


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{k} {v}" for k, v in value.items())
    return str(value)
