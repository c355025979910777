"""Parts of a record kept in rows of their own that the record's form, templates and imports show as fields of
the record itself: a facility's key equipment (one field per item), the villages it serves, a project's planned
investment (one field per source), a task's cooperating units.

A part is described like the record's own fields, and loads and saves as a whole: ``load`` gives, for each
record, its part's values by field name; ``save`` writes the values given for one record and returns what
changed, each change kept in the history like any other edit. ``new_rows`` gives what ``save`` would write for
a record that has no rows yet, for a bulk import to write many records' rows in one statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.codes import EQUIPMENT, FUNDING_SOURCE
from db.models import FacilityEquipment, ProjectFunding, ServiceArea, TaskCooperatingUnit
from desktop.records.fields import Field

Changes = dict[str, tuple[Any, Any]]


@dataclass(frozen=True)
class Part:
    key: str
    table: str  # where its rows are kept, and its changes logged (under the record's id)
    fields: tuple[Field, ...]
    # (session, record ids or None for all) -> {record id: {field name: value}}; a record without rows is absent
    load: Callable[[Session, Collection[int] | None], dict[int, dict[str, Any]]]
    # (session, record id, {field name: value}, user, reason, effective_on) -> {field name: (old, new)} of what
    # changed; effective_on: the day the change holds from, where not the day it is made (see update_record)
    save: Callable[..., Changes]
    model: type  # the rows' model
    # (a new record's id, {field name: value}) -> (its rows, as values of ``model``; what changed): what ``save``
    # writes and logs for a record without rows
    new_rows: Callable[[int, dict[str, Any]], tuple[list[dict[str, Any]], Changes]]

    def empty(self) -> dict[str, Any]:
        """A record's values when it has no rows of this part: no equipment is 0 of each item."""
        return {f.name: f.default for f in self.fields}


def _log(
    session: Session,
    user: str,
    table: str,
    record_id: int,
    changes: Changes,
    reason: str | None,
    effective_on: dt.date | None = None,
) -> None:
    from desktop.records.editing import log_change

    if changes:
        log_change(session, user, table, record_id, "update", *logged(changes), reason, effective_on)


def logged(changes: Changes) -> tuple[dict[str, Any], dict[str, Any]]:
    """A part's changes as its history row holds them: (old values, new values)."""
    return {n: _plain(o) for n, (o, _new) in changes.items()}, {n: _plain(v) for n, (_old, v) in changes.items()}


def _plain(value: Any) -> Any:
    return sorted(value) if isinstance(value, tuple | frozenset | set) else value


# Key equipment: one whole number per item; a blank is none; 0 keeps no row.

# The names 卫生统计 forms, equipment ledgers and check-up lists give each item besides ours.
_EQUIPMENT_ALIASES = {
    "ambulance": ("救护车数", "救护车数量"),
    "dr": ("DR机", "数字化X线摄影系统", "数字化X线机", "数字X光机"),
    "colour_ultrasound": ("彩超", "彩色超声", "彩色多普勒超声诊断仪", "彩色B超机"),
    "biochem_analyser": ("生化分析仪", "全自动生化仪", "生化仪"),
    "checkup_machine": ("智能健康一体机", "健康体检一体机"),
    "simple_resuscitator": ("简易呼吸气囊", "呼吸气囊", "简易呼吸球囊"),
}

EQUIPMENT_FIELDS = tuple(
    Field(
        f"equipment_{item}",
        label,
        "int",
        unit="台",
        minimum=0,
        maximum=999,
        nullable=False,
        default=0,
        aliases=_EQUIPMENT_ALIASES[item],
    )
    for item, label in EQUIPMENT.items()
)
_ITEM_OF = {f"equipment_{item}": item for item in EQUIPMENT}


def _load_equipment(session: Session, ids: Collection[int] | None) -> dict[int, dict[str, Any]]:
    query = select(FacilityEquipment.facility_id, FacilityEquipment.item, FacilityEquipment.quantity)
    if ids is not None:
        query = query.where(FacilityEquipment.facility_id.in_(list(ids)))
    out: dict[int, dict[str, Any]] = {}
    for facility_id, item, quantity in session.execute(query):
        out.setdefault(facility_id, {})[f"equipment_{item}"] = quantity
    return out


def _save_equipment(
    session: Session,
    facility_id: int,
    values: dict[str, Any],
    user: str,
    reason: str | None,
    effective_on: dt.date | None = None,
) -> Changes:
    rows = {
        e.item: e
        for e in session.scalars(select(FacilityEquipment).where(FacilityEquipment.facility_id == facility_id))
    }
    changes: Changes = {}
    for name, quantity in values.items():
        item = _ITEM_OF[name]
        quantity = quantity or 0
        old = rows[item].quantity if item in rows else 0
        if quantity == old:
            continue
        changes[name] = (old, quantity)
        if quantity == 0:
            session.delete(rows[item])
        elif item in rows:
            rows[item].quantity = quantity
        else:
            session.add(FacilityEquipment(facility_id=facility_id, item=item, quantity=quantity))
    if changes:
        session.flush()
        _log(session, user, "facility_equipment", facility_id, changes, reason, effective_on)
    return changes


def _new_equipment(facility_id: int, values: dict[str, Any]) -> tuple[list[dict[str, Any]], Changes]:
    rows, changes = [], {}
    for name, quantity in values.items():
        if quantity:
            changes[name] = (0, quantity)
            rows.append({"facility_id": facility_id, "item": _ITEM_OF[name], "quantity": quantity})
    return rows, changes


EQUIPMENT_PART = Part(
    "equipment",
    "facility_equipment",
    EQUIPMENT_FIELDS,
    _load_equipment,
    _save_equipment,
    FacilityEquipment,
    _new_equipment,
)


# The villages and communities a facility serves: one field holding a set of divisions.

SERVICE_AREA_FIELD = Field(
    "service_area",
    "服务范围",
    "refs",
    ref="division",
    ref_kinds=("village", "community"),
    note="服务的行政村、社区，多个用顿号分隔，如 新村村、石坪村；同名的写成“乡镇/村”",
    nullable=False,
    default=(),
    aliases=("服务村", "服务行政村", "覆盖村", "管辖村", "服务村（社区）"),
)


def _load_service_area(session: Session, ids: Collection[int] | None) -> dict[int, dict[str, Any]]:
    query = select(ServiceArea.facility_id, ServiceArea.division_id)
    if ids is not None:
        query = query.where(ServiceArea.facility_id.in_(list(ids)))
    found: dict[int, list[int]] = {}
    for facility_id, division_id in session.execute(query):
        found.setdefault(facility_id, []).append(division_id)
    return {fid: {"service_area": tuple(sorted(d))} for fid, d in found.items()}


def _save_service_area(
    session: Session,
    facility_id: int,
    values: dict[str, Any],
    user: str,
    reason: str | None,
    effective_on: dt.date | None = None,
) -> Changes:
    if "service_area" not in values:
        return {}
    rows = {
        a.division_id: a for a in session.scalars(select(ServiceArea).where(ServiceArea.facility_id == facility_id))
    }
    wanted = set(values["service_area"] or ())
    if wanted == set(rows):
        return {}
    for division_id, row in rows.items():
        if division_id not in wanted:
            session.delete(row)
    for division_id in wanted - set(rows):
        session.add(ServiceArea(facility_id=facility_id, division_id=division_id))
    session.flush()
    changes = {"service_area": (tuple(sorted(rows)), tuple(sorted(wanted)))}
    _log(session, user, "service_areas", facility_id, changes, reason, effective_on)
    return changes


def _new_service_area(facility_id: int, values: dict[str, Any]) -> tuple[list[dict[str, Any]], Changes]:
    wanted = set(values.get("service_area") or ())
    if not wanted:
        return [], {}
    rows = [{"facility_id": facility_id, "division_id": division_id} for division_id in sorted(wanted)]
    return rows, {"service_area": ((), tuple(sorted(wanted)))}


SERVICE_AREA_PART = Part(
    "service_area",
    "service_areas",
    (SERVICE_AREA_FIELD,),
    _load_service_area,
    _save_service_area,
    ServiceArea,
    _new_service_area,
)


# A project's planned investment by source, in 万元; a blank source has no row.

# A project ledger heads each source by its name alone (中央资金), or as its budget line calls it.
_FUNDING_ALIASES = {
    "central": ("中央投资", "中央预算内投资", "中央补助资金"),
    "provincial": ("省级投资", "省级补助资金"),
    "city": ("市级投资", "市级配套资金"),
    "county": ("县级投资", "县级配套资金", "县级财政资金"),
    "self_raised": ("自筹资金", "自筹"),
    "special_bonds": ("专项债", "地方政府专项债券", "专项债资金"),
}

FUNDING_FIELDS = tuple(
    Field(
        f"funding_{source}",
        f"计划投资：{label}",
        "float",
        unit="万元",
        minimum=0,
        aliases=(label, f"计划投资{label}", *_FUNDING_ALIASES[source]),
    )
    for source, label in FUNDING_SOURCE.items()
)
_SOURCE_OF = {f"funding_{source}": source for source in FUNDING_SOURCE}


def _load_funding(session: Session, ids: Collection[int] | None) -> dict[int, dict[str, Any]]:
    query = select(ProjectFunding.project_id, ProjectFunding.source, ProjectFunding.amount)
    if ids is not None:
        query = query.where(ProjectFunding.project_id.in_(list(ids)))
    out: dict[int, dict[str, Any]] = {}
    for project_id, source, amount in session.execute(query):
        out.setdefault(project_id, {})[f"funding_{source}"] = amount
    return out


def _save_funding(
    session: Session,
    project_id: int,
    values: dict[str, Any],
    user: str,
    reason: str | None,
    effective_on: dt.date | None = None,
) -> Changes:
    rows = {f.source: f for f in session.scalars(select(ProjectFunding).where(ProjectFunding.project_id == project_id))}
    changes: Changes = {}
    for name, amount in values.items():
        source = _SOURCE_OF[name]
        old = rows[source].amount if source in rows else None
        if amount == old:
            continue
        changes[name] = (old, amount)
        if amount is None:
            session.delete(rows[source])
        elif source in rows:
            rows[source].amount = amount
        else:
            session.add(ProjectFunding(project_id=project_id, source=source, amount=amount))
    if changes:
        session.flush()
        _log(session, user, "project_funding", project_id, changes, reason, effective_on)
    return changes


def _new_funding(project_id: int, values: dict[str, Any]) -> tuple[list[dict[str, Any]], Changes]:
    rows, changes = [], {}
    for name, amount in values.items():
        if amount is not None:
            changes[name] = (None, amount)
            rows.append({"project_id": project_id, "source": _SOURCE_OF[name], "amount": amount})
    return rows, changes


FUNDING_PART = Part(
    "funding", "project_funding", FUNDING_FIELDS, _load_funding, _save_funding, ProjectFunding, _new_funding
)


# The units that work with a task's lead unit (配合单位), in the ledger's order.

COOPERATING_UNITS_FIELD = Field(
    "cooperating_units",
    "配合单位",
    "texts",
    max_length=100,
    note="多个单位用顿号分隔，如 县财政局、县人社局",
    nullable=False,
    default=(),
    aliases=("配合部门", "协同单位", "协助单位", "参与单位", "配合科室"),
)


def _load_units(session: Session, ids: Collection[int] | None) -> dict[int, dict[str, Any]]:
    query = select(TaskCooperatingUnit.task_id, TaskCooperatingUnit.unit).order_by(
        TaskCooperatingUnit.task_id, TaskCooperatingUnit.position, TaskCooperatingUnit.id
    )
    if ids is not None:
        query = query.where(TaskCooperatingUnit.task_id.in_(list(ids)))
    found: dict[int, list[str]] = {}
    for task_id, unit in session.execute(query):
        found.setdefault(task_id, []).append(unit)
    return {tid: {"cooperating_units": tuple(units)} for tid, units in found.items()}


def _save_units(
    session: Session,
    task_id: int,
    values: dict[str, Any],
    user: str,
    reason: str | None,
    effective_on: dt.date | None = None,
) -> Changes:
    if "cooperating_units" not in values:
        return {}
    rows = list(
        session.scalars(
            select(TaskCooperatingUnit)
            .where(TaskCooperatingUnit.task_id == task_id)
            .order_by(TaskCooperatingUnit.position, TaskCooperatingUnit.id)
        )
    )
    old, new = tuple(r.unit for r in rows), tuple(values["cooperating_units"] or ())
    if old == new:
        return {}
    for row in rows:
        session.delete(row)
    session.flush()  # the old rows gone before the same units come back in a new order (unique per task)
    session.add_all(TaskCooperatingUnit(task_id=task_id, unit=unit, position=i) for i, unit in enumerate(new))
    session.flush()
    changes = {"cooperating_units": (old, new)}
    _log(session, user, "task_cooperating_units", task_id, changes, reason, effective_on)
    return changes


def _new_units(task_id: int, values: dict[str, Any]) -> tuple[list[dict[str, Any]], Changes]:
    units = tuple(values.get("cooperating_units") or ())
    if not units:
        return [], {}
    rows = [{"task_id": task_id, "unit": unit, "position": i} for i, unit in enumerate(units)]
    return rows, {"cooperating_units": ((), units)}


COOPERATING_UNITS_PART = Part(
    "cooperating_units",
    "task_cooperating_units",
    (COOPERATING_UNITS_FIELD,),
    _load_units,
    _save_units,
    TaskCooperatingUnit,
    _new_units,
)
