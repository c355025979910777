"""Keeping the divisions and their population by hand: a township or village the official list lacks, a new name,
a township merged into another (撤乡并镇), the remote-area mark, and a year's population for many villages at once.

Each function takes the caller's session (one per user action), validates, writes, records every change in the
history, and raises ``RecordError`` with Chinese reasons when it cannot; the caller commits. A division is never
deleted: one merged away is marked withdrawn with the date, and the records that pointed to it move to the
division it joined.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.codes import DIVISION_KIND
from db.models import Division, DivisionPopulation, Facility, KeyTask, ServiceArea
from desktop.records.editing import RecordError, create_record, log_change, update_record, validate
from desktop.records.types import POPULATION
from desktop.validators import InvalidValue, check_text, shorten

# What may hang from each kind, and how many digits of the 12 its parent's code fixes.
CHILD_KINDS = {
    "city": ("county",),
    "county": ("township", "street"),
    "township": ("village", "community"),
    "street": ("village", "community"),
}
_PREFIX = {"city": 4, "county": 6, "township": 9, "street": 9}
_CHILD_DIGITS = {"city": 2, "county": 3, "township": 3, "street": 3}
BY_HAND = "手工新增"
POPULATION_FIELDS = ("resident", "registered", "rural", "aged_65_plus", "aged_0_3")


def _division(session: Session, division_id: int) -> Division:
    division = session.get(Division, division_id)
    if division is None:
        raise RecordError({"id": f"行政区划不存在（编号 {division_id}），可能已被他人修改"})
    return division


def _name(raw: str | None, label: str = "名称") -> str:
    text = (raw or "").strip()
    if not text:
        raise RecordError({"name": f"请填写{label}"})
    try:
        text = check_text(text, label)
    except InvalidValue as exc:
        raise RecordError({"name": str(exc)}) from None
    if len(text) > 60:
        raise RecordError({"name": f"“{label}”最多 60 个字，现为 {len(text)} 个字"})
    return text


def _sibling_named(session: Session, parent_id: int | None, name: str, but: int | None = None) -> Division | None:
    query = select(Division).where(
        Division.parent_id == parent_id, Division.name == name, Division.withdrawn_on.is_(None)
    )
    if but is not None:
        query = query.where(Division.id != but)
    return session.scalars(query.limit(1)).first()


def next_free_code(session: Session, parent_id: int) -> str:
    """The code after the highest one under the parent (withdrawn ones count: a code is never given twice)."""
    parent = _division(session, parent_id)
    if parent.kind not in _PREFIX:
        raise RecordError({"code": f"{DIVISION_KIND[parent.kind]}之下不能再设区划"})
    prefix, digits = parent.code[: _PREFIX[parent.kind]], _CHILD_DIGITS[parent.kind]
    tail = 12 - len(prefix) - digits
    used = [
        int(code[len(prefix) : len(prefix) + digits])
        for code in session.scalars(select(Division.code).where(Division.code.like(f"{prefix}%")))
        if code != parent.code and code.endswith("0" * tail)
    ]
    number = max(used, default=0) + 1
    if number >= 10**digits:
        raise RecordError({"code": f"{parent.name}之下的代码已用完，请手工填写代码"})
    return f"{prefix}{number:0{digits}d}" + "0" * tail


def add_division(
    session: Session, parent_id: int, *, name: str, kind: str, code: str, user: str, remote: bool = False
) -> Division:
    """A township, street, village or community the official list lacks, under ``parent_id``."""
    parent = _division(session, parent_id)
    if parent.withdrawn_on is not None:
        raise RecordError({"parent_id": f"{parent.name}已撤销，不能在其下新增区划"})
    allowed = CHILD_KINDS.get(parent.kind, ())
    if kind not in allowed:
        choices = "或".join(DIVISION_KIND[k] for k in allowed) or "任何区划"
        raise RecordError({"kind": f"{parent.name}之下只能新增{choices}"})
    name = _name(name)
    code = (code or "").strip()
    errors = {}
    prefix, digits = parent.code[: _PREFIX[parent.kind]], _CHILD_DIGITS[parent.kind]
    if len(code) != 12 or not code.isdigit():
        errors["code"] = f"区划代码应为 12 位数字，现为“{shorten(code)}”"
    elif not code.startswith(prefix):
        errors["code"] = f"{parent.name}之下的区划代码应以 {prefix} 开头"
    elif code[len(prefix) : len(prefix) + digits] == "0" * digits or code[len(prefix) + digits :].strip("0"):
        errors["code"] = (
            f"{DIVISION_KIND[kind]}的代码应为 {prefix} 加 {digits} 位非零编号"
            + (f"再加 {12 - len(prefix) - digits} 个 0" if 12 - len(prefix) - digits else "")
            + f"，如 {next_free_code(session, parent_id)}"
        )
    else:
        taken = session.scalars(select(Division).where(Division.code == code)).first()
        if taken is not None:
            errors["code"] = f"代码 {code} 已是“{taken.name}”的代码" + ("（已撤销）" if taken.withdrawn_on else "")
    if _sibling_named(session, parent.id, name) is not None:
        errors["name"] = f"{parent.name}之下已有“{name}”"
    if errors:
        raise RecordError(errors)
    division = Division(code=code, name=name, kind=kind, parent_id=parent.id, remote=remote)
    session.add(division)
    session.flush()
    log_change(
        session, user, "divisions", division.id, "insert", None,
        {"code": code, "name": name, "kind": kind, "parent_id": parent.id, "remote": remote}, BY_HAND,
    )  # fmt: skip
    return division


def rename_division(session: Session, division_id: int, new_name: str, *, user: str) -> Division:
    division = _division(session, division_id)
    name = _name(new_name, "新名称")
    if name == division.name:
        raise RecordError({"name": f"新名称与原名称相同：{name}"})
    if _sibling_named(session, division.parent_id, name, but=division.id) is not None:
        raise RecordError({"name": f"同级已有“{name}”，请换一个名称"})
    old = division.name
    division.name = name
    session.flush()
    log_change(session, user, "divisions", division.id, "update", {"name": old}, {"name": name}, "更名")
    return division


def set_remote(session: Session, division_id: int, remote: bool, *, user: str) -> bool:
    """Mark a division as a remote area (边远地区) or not; returns whether anything changed."""
    division = _division(session, division_id)
    if bool(division.remote) == remote:
        return False
    division.remote = remote
    session.flush()
    log_change(session, user, "divisions", division.id, "update", {"remote": not remote}, {"remote": remote})
    return True


@dataclass(frozen=True)
class MergeSummary:
    source: str
    target: str
    villages: int
    facilities: int
    service_areas: int
    tasks: int
    populations: int

    def describe(self) -> str:
        moved = [
            f"{n} 个{what}"
            for n, what in (
                (self.villages, "村（社区）"),
                (self.facilities, "机构"),
                (self.service_areas, "机构服务范围"),
                (self.tasks, "重点任务"),
                (self.populations, "年度人口"),
            )
            if n
        ]
        text = f"已将{self.source}并入{self.target}"
        text += f"，随之转入{'、'.join(moved)}" if moved else ""
        return text + f"；{self.source}已标记为撤销（不删除，历史记录仍可查）。"


def merge_township(  # noqa: C901
    session: Session, source_id: int, target_id: int, *, user: str, on: dt.date | None = None
) -> MergeSummary:
    """撤乡并镇: the villages of ``source`` move to ``target``, and so does every record pointing to ``source``
    (facilities, service areas, key tasks, population by year); ``source`` is marked withdrawn on ``on``."""
    on = on or dt.date.today()
    source, target = _division(session, source_id), _division(session, target_id)
    if source.kind not in ("township", "street") or target.kind not in ("township", "street"):
        raise RecordError({"target": "只能把乡镇（街道）并入另一个乡镇（街道）"})
    if source.id == target.id:
        raise RecordError({"target": "不能并入自身，请选择另一个乡镇（街道）"})
    if source.withdrawn_on is not None:
        raise RecordError({"source": f"{source.name}已于 {source.withdrawn_on} 撤销"})
    if target.withdrawn_on is not None:
        raise RecordError({"target": f"{target.name}已于 {target.withdrawn_on} 撤销，不能并入"})
    if source.parent_id != target.parent_id:
        raise RecordError({"target": "只能并入同一县（市、区）内的乡镇（街道）"})
    why = f"撤乡并镇：{source.name}并入{target.name}"

    taken = set(
        session.scalars(select(Division.name).where(Division.parent_id == target.id, Division.withdrawn_on.is_(None)))
    )
    villages = list(session.scalars(select(Division).where(Division.parent_id == source.id)))
    clash = sorted(v.name for v in villages if v.name in taken and v.withdrawn_on is None)
    if clash:
        raise RecordError(
            {"target": f"{target.name}已有同名的村（社区）：{'、'.join(clash)}；请先把其中一个更名，再合并"}
        )
    for village in villages:
        village.parent_id = target.id
        log_change(
            session, user, "divisions", village.id, "update", {"parent_id": source.id}, {"parent_id": target.id}, why
        )

    facilities = list(session.scalars(select(Facility).where(Facility.division_id == source.id)))
    for facility in facilities:
        facility.division_id = target.id
        log_change(
            session,
            user,
            "facilities",
            facility.id,
            "update",
            {"division_id": source.id},
            {"division_id": target.id},
            why,
        )

    areas = list(session.scalars(select(ServiceArea).where(ServiceArea.division_id == source.id)))
    for area in areas:
        served = session.scalars(
            select(ServiceArea).where(ServiceArea.facility_id == area.facility_id, ServiceArea.division_id == target.id)
        ).first()
        if served is not None:
            session.delete(area)  # the facility already serves the target
        else:
            area.division_id = target.id
        log_change(
            session, user, "service_areas", area.facility_id, "update",
            {"divisions": [source.id]}, {"divisions": [target.id]}, why,
        )  # fmt: skip

    tasks = list(session.scalars(select(KeyTask).where(KeyTask.division_id == source.id)))
    for task in tasks:
        task.division_id = target.id
        log_change(
            session, user, "key_tasks", task.id, "update", {"division_id": source.id}, {"division_id": target.id}, why
        )

    populations = list(session.scalars(select(DivisionPopulation).where(DivisionPopulation.division_id == source.id)))
    theirs = {
        p.year: p
        for p in session.scalars(select(DivisionPopulation).where(DivisionPopulation.division_id == target.id))
    }
    for pop in populations:
        joined = theirs.get(pop.year)
        if joined is None:
            pop.division_id = target.id
            log_change(
                session, user, "division_populations", pop.id, "update",
                {"division_id": source.id}, {"division_id": target.id}, why,
            )  # fmt: skip
            continue
        # both have a figure for the year: the target's becomes the sum (a part unknown on either side is unknown)
        old = {f: getattr(joined, f) for f in POPULATION_FIELDS}
        for f in POPULATION_FIELDS:
            a, b = getattr(joined, f), getattr(pop, f)
            setattr(joined, f, a + b if a is not None and b is not None else None)
        log_change(
            session, user, "division_populations", joined.id, "update", old,
            {f: getattr(joined, f) for f in POPULATION_FIELDS}, f"{why}（{pop.year} 年人口相加）",
        )  # fmt: skip
        session.delete(pop)

    source.withdrawn_on = on
    session.flush()
    log_change(
        session, user, "divisions", source.id, "update",
        {"withdrawn_on": None}, {"withdrawn_on": on.isoformat(), "merged_into": target.id}, why,
    )  # fmt: skip
    return MergeSummary(
        source.name, target.name, len(villages), len(facilities), len(areas), len(tasks), len(populations)
    )


# --- Population by year, many villages at once ------------------------------------------------------------------


class PopulationError(RecordError):
    """Some cells of a population grid are bad; nothing was written. ``cells`` maps (division id, field) to the
    reason, so the grid can mark each one."""

    def __init__(self, cells: dict[tuple[int, str], str], names: dict[int, str]) -> None:
        self.cells = cells
        super().__init__({f"{d}.{f}": f"{names.get(d, d)}：{reason}" for (d, f), reason in cells.items()})


def save_populations(session: Session, year: int, changes: dict[int, dict[str, Any]], *, user: str) -> dict[str, int]:  # noqa: C901
    """Write a year's population for many divisions: ``changes`` maps a division's id to the fields changed
    (raw text or numbers; blank means none). Every bad cell is reported together and nothing is written unless
    all are good. Returns how many rows were added and changed."""
    try:
        year = validate(POPULATION, {"year": year}, partial=True)["year"]
    except RecordError as exc:
        raise RecordError({"year": exc.errors["year"]}) from None
    ids = list(changes)
    divisions = {d.id: d for d in session.scalars(select(Division).where(Division.id.in_(ids)))}
    names = {d.id: d.name for d in divisions.values()}
    existing = {
        p.division_id: p
        for p in session.scalars(
            select(DivisionPopulation).where(DivisionPopulation.division_id.in_(ids), DivisionPopulation.year == year)
        )
    }
    cells: dict[tuple[int, str], str] = {}
    plan: list[tuple[int, dict[str, Any]]] = []
    for division_id, raw in changes.items():
        unknown = set(raw) - set(POPULATION_FIELDS)
        if unknown:
            raise ValueError(f"not population fields: {sorted(unknown)}")
        if division_id not in divisions:
            cells[(division_id, "resident")] = f"行政区划不存在（编号 {division_id}）"
            continue
        row = existing.get(division_id)
        if row is None and all(_blank(v) for v in raw.values()):
            continue  # nothing typed for a village without a figure this year
        values: dict[str, Any] = {}
        for name, value in raw.items():
            try:
                values[name] = POPULATION.field(name).parse(value)
            except InvalidValue as exc:
                cells[(division_id, name)] = str(exc)
        whole = {f: getattr(row, f) if row is not None else None for f in POPULATION_FIELDS} | values
        if whole["resident"] is None and (division_id, "resident") not in cells:
            cells[(division_id, "resident")] = "“常住人口”不能为空"
        elif whole["resident"] is not None:
            for f in ("rural", "aged_65_plus", "aged_0_3"):
                if whole[f] is not None and whole[f] > whole["resident"] and (division_id, f) not in cells:
                    label = POPULATION.field(f).label
                    cells[(division_id, f)] = (
                        f"“{label}”（{whole[f]:,} 人）不能多于常住人口（{whole['resident']:,} 人）"
                    )
        plan.append((division_id, values))
    if cells:
        raise PopulationError(cells, names)
    added = changed = 0
    for division_id, values in plan:
        row = existing.get(division_id)
        if row is None:
            create_record(
                session, POPULATION, {"division_id": division_id, "year": year, **values}, user=user, check_unique=False
            )
            added += 1
        elif update_record(session, POPULATION, row.id, values, user=user, reason=f"{year} 年人口"):
            changed += 1
    session.flush()
    return {"added": added, "changed": changed}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class DivisionRow:
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    remote: bool
    withdrawn_on: dt.date | None

    @property
    def shown(self) -> str:
        """The name as the tree shows it, with what sets it apart."""
        marks = ("（边远）" if self.remote else "") + ("（已撤销）" if self.withdrawn_on is not None else "")
        return self.name + marks


def division_rows(session: Session) -> list[DivisionRow]:
    """Every division, in code order (parents before children)."""
    return [
        DivisionRow(r.id, r.code, r.name, r.kind, r.parent_id, bool(r.remote), r.withdrawn_on)
        for r in session.execute(
            select(
                Division.id,
                Division.code,
                Division.name,
                Division.kind,
                Division.parent_id,
                Division.remote,
                Division.withdrawn_on,
            ).order_by(Division.code)
        )
    ]


def populations(session: Session, year: int, division_ids: list[int]) -> dict[int, dict[str, int | None]]:
    """The stored figures of the year for these divisions (those with none are absent)."""
    rows = session.scalars(
        select(DivisionPopulation).where(
            DivisionPopulation.division_id.in_(division_ids), DivisionPopulation.year == year
        )
    )
    return {p.division_id: {f: getattr(p, f) for f in POPULATION_FIELDS} for p in rows}
