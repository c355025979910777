"""The records as of a date, read once with plain selects and indexed in memory, for the checks,
the indicators and the subsidies.

Each table is read at most once, and only when a check asks for it, so that a
run of one rule reads only what that rule needs.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict, namedtuple
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from db.models import (
    Change,
    Division,
    DivisionPopulation,
    Facility,
    FacilityEquipment,
    KeyTask,
    Project,
    ProjectUpdate,
    ServiceArea,
    SpecialFund,
    StaffLoan,
    StaffMember,
    TaskUpdate,
    Training,
)
from desktop.checks.findings import Where
from desktop.division_tree import DivisionTree


@dataclass(frozen=True)
class Pop:
    resident: int
    rural: int | None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a snapshot is read and checked.

    Reading a city's records allocates a few hundred thousand small objects, none of
    them cyclic garbage; the collector's passes over them took 40% of a check run
    (0.90 s against 0.50 s on the city demo).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


# A facility's columns that name it rather than describe it: read as they are now for any period.
FACILITY_IDENTITY = frozenset(("id", "name", "division_id", "credit_code", "licence_no", "phone", "address", "version"))


def later_changes(conn, table_name: str, as_of: dt.date) -> list:
    """The history's changes of a table that hold from after ``as_of`` (from the day the clerk said, else the day
    they were made), latest first."""
    next_day = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    rows = conn.execute(
        select(Change.id, Change.row_id, Change.action, Change.old_values, Change.at, Change.effective_on).where(
            Change.table_name == table_name,
            or_(Change.effective_on > as_of, and_(Change.effective_on.is_(None), Change.at >= next_day)),
        )
    ).all()
    return sorted(rows, key=lambda c: (c.effective_on or c.at.date(), c.id), reverse=True)


@lru_cache(maxsize=8)
def _row_type(table) -> type:
    return namedtuple(f"{table.name}_as_of", table.columns.keys())  # noqa: PYI024  a row's columns, as a Row has them


def _as_it_was(row, table, old: dict) -> tuple:
    """``row`` with the values a change replaced (as the history writes them: dates as text)."""
    values = row._asdict() if hasattr(row, "_asdict") else dict(row._mapping)  # undone once already, or not
    for name, value in old.items():
        if name in values:
            python_type = table.c[name].type.python_type
            values[name] = python_type.fromisoformat(value) if python_type is dt.date and value else value
    return _row_type(table)(**values)


class Snapshot:
    def __init__(self, session: Session, as_of: dt.date) -> None:
        # Core rows, not ORM entities: the checks only read, and Core reads these tables twice as fast.
        self.conn = session.connection()
        self.as_of = as_of

    def _rows(self, statement) -> list:
        return self.conn.execute(statement).all()

    # --- divisions ----------------------------------------------------------------

    @cached_property
    def divisions(self) -> dict[int, Division]:
        rows = self.conn.execute(
            select(
                Division.id,
                Division.code,
                Division.name,
                Division.kind,
                Division.parent_id,
                Division.remote,
                Division.withdrawn_on,
            )
        ).all()
        return {r.id: r for r in rows}

    @cached_property
    def tree(self) -> DivisionTree:
        return DivisionTree(list(self.divisions.values()))

    @property
    def township_of(self) -> dict[int, int | None]:
        return self.tree.township_of

    @property
    def county_of(self) -> dict[int, int | None]:
        return self.tree.county_of

    @cached_property
    def counties(self) -> list:
        return sorted((d for d in self.divisions.values() if d.kind == "county"), key=lambda d: d.code)

    @cached_property
    def villages(self) -> list:
        """Administrative villages and communities: the divisions that carry population, as they stood on the
        snapshot's day (one withdrawn since still counts for a past quarter)."""
        return [
            d
            for d in self.divisions.values()
            if d.kind in ("village", "community") and (d.withdrawn_on is None or d.withdrawn_on > self.as_of)
        ]

    def population(self, year: int) -> dict[int, Pop]:
        cache = self.__dict__.setdefault("_population", {})
        if year not in cache:
            rows = self.conn.execute(
                select(DivisionPopulation.division_id, DivisionPopulation.resident, DivisionPopulation.rural).where(
                    DivisionPopulation.year == year
                )
            ).all()
            cache[year] = {r.division_id: Pop(r.resident, r.rural) for r in rows}
        return cache[year]

    def population_by_county(self, year: int) -> dict[int | None, int]:
        """Resident population per county for a year; a county without any figure is absent."""
        cache = self.__dict__.setdefault("_population_by_county", {})
        if year not in cache:
            out: dict[int | None, int] = defaultdict(int)
            pop = self.population(year)
            for v in self.villages:
                if v.id in pop:
                    out[self.county_of.get(v.id)] += pop[v.id].resident
            cache[year] = dict(out)
        return cache[year]

    def where_division(self, division_id: int) -> Where:
        d = self.divisions[division_id]
        return Where(d.kind, d.id, d.name, self._name(self.township_of.get(d.id)), self._name(self.county_of.get(d.id)))

    def _name(self, division_id: int | None) -> str | None:
        return self.divisions[division_id].name if division_id is not None else None

    # --- facilities ---------------------------------------------------------------

    @cached_property
    def facilities(self) -> dict[int, Facility]:
        """Every facility as it stood on the snapshot's day: its facts (beds, status, TCM hall ...) now, with the
        changes that hold from after that day undone, latest first (beds changed today leave 2026Q3's figures as
        they were). What names it (name, place, codes) is as now: a name corrected today is the facility's name in
        every period. A facility entered later is kept: a first day's import describes facilities already there."""
        table = Facility.__table__
        rows = {r.id: r for r in self.conn.execute(select(table)).all()}
        for change in self._later_facility_changes:
            row = rows.get(change.row_id)
            facts = {k: v for k, v in (change.old_values or {}).items() if k not in FACILITY_IDENTITY}
            if row is not None and change.action == "update" and facts:
                rows[change.row_id] = _as_it_was(row, table, facts)
        return rows

    def operating(self, kinds: tuple[str, ...] | list[str]) -> list:
        """Facilities of these kinds that are operating on the check date."""
        cache = self.__dict__.setdefault("_operating", {})
        key = tuple(kinds)
        if key not in cache:
            by_kind = self._operating_by_kind
            cache[key] = sorted((f for k in set(key) for f in by_kind.get(k, ())), key=lambda f: f.id)
        return cache[key]

    @cached_property
    def _operating_by_kind(self) -> dict[str, list]:
        out: dict[str, list] = defaultdict(list)
        for f in self.facilities.values():
            if f.status == "operating":
                out[f.kind].append(f)
        return out

    def where_facility(self, facility_id: int) -> Where:
        cache = self.__dict__.setdefault("_where_facility", {})
        if facility_id not in cache:
            f = self.facilities[facility_id]
            township, county = self.township_of.get(f.division_id), self.county_of.get(f.division_id)
            cache[facility_id] = Where("facility", f.id, f.name, self._name(township), self._name(county))
        return cache[facility_id]

    @cached_property
    def service_area(self) -> dict[int, list[int]]:
        """The villages each facility served on the snapshot's day (later changes undone, as for its facts)."""
        out: dict[int, list[int]] = defaultdict(list)
        for facility_id, division_id in self._rows(select(ServiceArea.facility_id, ServiceArea.division_id)):
            out[facility_id].append(division_id)
        for change in self._later_part_changes("service_areas"):
            if "service_area" in (change.old_values or {}):
                out[change.row_id] = list(change.old_values["service_area"] or ())
        return out

    def _later_part_changes(self, table: str) -> list:
        """A facility part's changes that hold from after the snapshot's day, but not the first rows a facility
        entered later came with: it is read as if it had been there (see facilities), and so are they."""
        born = {(c.row_id, c.at) for c in self._later_facility_changes if c.action == "insert"}
        return [
            c
            for c in later_changes(self.conn, table, self.as_of)
            if c.action == "update" and (c.row_id, c.at) not in born
        ]

    @cached_property
    def _later_facility_changes(self) -> list:
        return later_changes(self.conn, "facilities", self.as_of)

    @cached_property
    def equipment(self) -> dict[int, dict[str, int]]:
        """Each facility's key equipment on the snapshot's day (later changes undone, as for its facts)."""
        out: dict[int, dict[str, int]] = defaultdict(dict)
        rows = self._rows(select(FacilityEquipment.facility_id, FacilityEquipment.item, FacilityEquipment.quantity))
        for facility_id, item, qty in rows:
            out[facility_id][item] = qty
        for change in self._later_part_changes("facility_equipment"):
            for name, quantity in (change.old_values or {}).items():
                item = name.removeprefix("equipment_")
                if quantity:
                    out[change.row_id][item] = quantity
                else:
                    out[change.row_id].pop(item, None)
        return out

    @cached_property
    def special_funds(self) -> dict[tuple[int, int], float]:
        rows = self._rows(select(SpecialFund.facility_id, SpecialFund.year, SpecialFund.amount))
        return {(f, y): a for f, y, a in rows}

    # --- staff --------------------------------------------------------------------

    def on_post(self):
        """The SQL condition for "on post on the check date": hired by then and not yet gone."""
        return and_(
            or_(StaffMember.hire_date.is_(None), StaffMember.hire_date <= self.as_of),
            or_(StaffMember.status == "on_post", StaffMember.status_date > self.as_of),
        )

    STAFF_COLUMNS = (
        "id",
        "name",
        "birth_date",
        "facility_id",
        "category",
        "practice_category",
        "gp_registered",
        "psychiatry_registered",
        "title",
        "education",
        "education_full_time",
        "education_medical",
        "employment_form",
        "directed_graduate",
        "directed_service_until",
        "hire_date",
        "status",
        "status_date",
        "liability_insured",
    )

    def staff_of(self, kinds, categories=None) -> list:
        """People on post in operating facilities of these kinds (and of these categories, if given)."""
        cache = self.__dict__.setdefault("_staff_of", {})
        key = (tuple(kinds), tuple(categories) if categories is not None else None)
        if key not in cache:
            statement = (
                select(*(getattr(StaffMember, c) for c in self.STAFF_COLUMNS))
                .join(Facility, Facility.id == StaffMember.facility_id)
                .where(self.on_post(), Facility.kind.in_(key[0]), Facility.status == "operating")
            )
            if categories is not None:
                statement = statement.where(StaffMember.category.in_(key[1]))
            cache[key] = self._rows(statement.order_by(StaffMember.id))
        return cache[key]

    @cached_property
    def staff_counts(self) -> list:
        """People on post counted by facility and by what the resource ratios distinguish."""
        m = StaffMember
        keys = [m.facility_id, m.category, m.practice_category, m.gp_registered, m.psychiatry_registered]
        return self._rows(select(*keys, func.count()).where(self.on_post()).group_by(*keys))

    def where_person(self, person) -> Where:
        place = self.where_facility(person.facility_id)
        return Where("person", person.id, person.name, place.township, place.county)

    def training_totals(
        self, kind: str, start: dt.date, end: dt.date, *, free_only: bool = False, min_days: int = 1
    ) -> dict[int, tuple[int, int]]:
        """(sessions, days) per person of the trainings of a kind that started in [start, end]
        and lasted at least ``min_days``."""
        t = Training
        statement = (
            select(t.staff_id, func.count(), func.sum(t.days))
            .where(t.kind == kind, t.start_date >= start, t.start_date <= end, t.days >= min_days)
            .group_by(t.staff_id)
        )
        if free_only:
            statement = statement.where(t.free_of_charge.is_(True))
        return {staff_id: (n, days) for staff_id, n, days in self._rows(statement)}

    def full_time_study_done(self, since: dt.date, until: dt.date, min_days: int) -> set[int]:
        """People with a full-time study of at least ``min_days`` that ended in (since, until]."""
        t = Training
        statement = select(t.staff_id).where(
            t.kind == "full_time_study", t.days >= min_days, t.end_date > since, t.end_date <= until
        )
        return {staff_id for (staff_id,) in self._rows(statement)}

    @cached_property
    def loans(self) -> list:
        cols = [
            StaffLoan.id,
            StaffLoan.staff_id,
            StaffLoan.from_facility_id,
            StaffLoan.to_unit,
            StaffLoan.start_date,
            StaffLoan.end_date,
            StaffLoan.approval,
        ]
        return self.conn.execute(select(*cols, StaffMember.name, StaffMember.employment_form).join(StaffMember)).all()

    # --- projects and tasks -------------------------------------------------------

    @cached_property
    def projects(self) -> list:
        return self._rows(select(Project.__table__))

    @cached_property
    def project_updates(self) -> dict[int, list]:
        out: dict[int, list] = defaultdict(list)
        cols = [ProjectUpdate.project_id, ProjectUpdate.date, ProjectUpdate.stage, ProjectUpdate.progress,
                ProjectUpdate.investment_completed]  # fmt: skip
        for r in self.conn.execute(select(*cols).order_by(ProjectUpdate.date)).all():
            out[r.project_id].append(r)
        return out

    @cached_property
    def tasks(self) -> list:
        return self._rows(select(KeyTask.__table__))

    @cached_property
    def task_updates(self) -> dict[int, list]:
        out: dict[int, list] = defaultdict(list)
        for r in self.conn.execute(
            select(TaskUpdate.task_id, TaskUpdate.date, TaskUpdate.status, TaskUpdate.note).order_by(
                TaskUpdate.date, TaskUpdate.id
            )
        ).all():
            out[r.task_id].append(r)
        return out
