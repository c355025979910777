"""The lists the window shows: rows read in one query each, with search and filters in plain Python.

Filtering lives here rather than in a Qt proxy model so that a keystroke over a
city's 25,000 people costs one pass over prepared strings, and so tests can use
it without a window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from db.codes import (
    EMPLOYMENT_FORM,
    FACILITY_KIND,
    FACILITY_STATUS,
    PROJECT_KIND,
    PROJECT_STAGE,
    STAFF_CATEGORY,
    STAFF_STATUS,
    TASK_STATUS,
    TITLE,
)
from db.models import Facility, Plan, ProjectFunding, StaffMember
from db.vault import is_sealed, vault_of
from desktop.checks.runner import run_checks
from desktop.division_tree import DivisionTree
from desktop.figures import on_post_by_facility
from desktop.periods import Period
from desktop.records.parts import COOPERATING_UNITS_PART
from desktop.records.references import Lookups
from desktop.records.types import STAFF, RecordType
from desktop.snapshot import Snapshot, age_on, paused_gc
from desktop.validators import mask_id_number

AGE_BANDS = {
    "under35": ("35岁以下", 0, 34),
    "35to44": ("35-44岁", 35, 44),
    "45to54": ("45-54岁", 45, 54),
    "55to59": ("55-59岁", 55, 59),
    "60plus": ("60岁及以上", 60, 200),
}


class StaffRow(NamedTuple):
    """One person as the staff list shows them (a tuple: a city's 25,000 are built in a blink)."""

    id: int
    name: str
    id_number: str
    sex: str
    age: int
    facility_id: int
    facility: str
    township: str
    category: str
    title: str
    employment_form: str
    status: str
    phone: str | None
    more: tuple = ()  # the values of the description's other listed fields (STAFF.listed), in its order
    # With sign-in on, the numbers above are as stored (sealed) and this opens one: only the rows shown are opened,
    # since opening a city's 25,000 would take longer than building the whole list.
    reveal: Callable[[str], str] | None = None
    county: str = ""  # of the facility; a list of a city's people names it (eight 东城社区卫生服务中心 otherwise)

    @property
    def whole_id(self) -> str:
        return self.reveal(self.id_number) if self.reveal is not None and is_sealed(self.id_number) else self.id_number

    @property
    def masked_id(self) -> str:
        number = self.whole_id
        return "（已加密）" if is_sealed(number) else mask_id_number(number)


def township_names(session: Session) -> dict[int, str]:
    """For every division, the name of its township or street ("" above that level)."""
    tree = DivisionTree.read(session)
    return {division_id: tree.township_name(division_id) for division_id in tree.rows}


class StaffList:
    """Everyone in the database, with a search box and filters."""

    def __init__(self, session: Session, today: dt.date | None = None, *, full_ids: bool = True) -> None:
        """``full_ids``: whether the search finds people by their whole ID number. Without it only the
        masked number is searched, so the search box cannot be used to test guesses of the hidden digits."""
        today = today or dt.date.today()
        tree = DivisionTree.read(session)
        facilities = {
            fid: (name, tree.township_name(division_id), tree.county_name(division_id))
            for fid, name, division_id in session.connection().execute(
                select(Facility.id, Facility.name, Facility.division_id)
            )
        }
        vault = vault_of(session.get_bind().dialect)
        reveal = vault.open_text if vault is not None else None
        cols = (
            StaffMember.id,
            StaffMember.name,
            type_coerce(StaffMember.id_number, String),  # as stored: opened row by row as shown
            StaffMember.sex,
            StaffMember.birth_date,
            StaffMember.facility_id,
            StaffMember.category,
            StaffMember.title,
            StaffMember.employment_form,
            StaffMember.status,
            type_coerce(StaffMember.phone, String),
        )
        more = [getattr(StaffMember, f.name) for f in STAFF.listed]
        with paused_gc():
            raw = session.connection().execute(select(*cols, *more).order_by(StaffMember.id)).all()
            self.rows: list[StaffRow] = []
            self._search: list[str] = []
            add_row, add_search = self.rows.append, self._search.append
            n = len(cols)
            # Unpacked as plain tuples: attribute access on 25,000 result rows costs more than the rest.
            for row in raw:
                rid, name, id_number, sex, birth, fid, category, title, form, status, phone = row[:n]
                facility, township, county = facilities[fid]
                add_row(
                    StaffRow(
                        rid, name, id_number, sex, age_on(birth, today), fid, facility, township,
                        category, title, form, status, phone, tuple(row[n:]), reveal, county,
                    )
                )  # fmt: skip
                if reveal is None:
                    number = id_number.lower() if full_ids else mask_id_number(id_number).lower()
                    add_search(f"{name}\t{number}\t{facility}\t{township}")
                else:  # the numbers are added when a search first needs them (_with_numbers)
                    add_search(f"{name}\t\t{facility}\t{township}")
        self._full_ids, self._numbers_searchable = full_ids, reveal is None

    def filter(
        self,
        text: str = "",
        *,
        category: str | None = None,
        title: str | None = None,
        employment_form: str | None = None,
        status: str | None = None,
        age_band: str | None = None,
        facility_ids: set[int] | None = None,
    ) -> list[int]:
        """Indexes of the rows that match every given condition."""
        needle = text.strip().lower()
        if needle and any(c.isdigit() for c in needle) and not self._numbers_searchable:
            self._with_numbers()
        low, high = (AGE_BANDS[age_band][1], AGE_BANDS[age_band][2]) if age_band else (0, 1000)
        out = []
        for i, (row, hay) in enumerate(zip(self.rows, self._search, strict=True)):
            if needle and needle not in hay:
                continue
            if category and row.category != category:
                continue
            if title and row.title != title:
                continue
            if employment_form and row.employment_form != employment_form:
                continue
            if status and row.status != status:
                continue
            if not low <= row.age <= high:
                continue
            if facility_ids is not None and row.facility_id not in facility_ids:
                continue
            out.append(i)
        return out

    def _with_numbers(self) -> None:
        """Sealed numbers opened once, the first time a search has a digit in it (a city's take a fraction of a
        second): the list opens without them."""
        for i, row in enumerate(self.rows):
            number = row.whole_id.lower() if self._full_ids else row.masked_id.lower()
            name, _, rest = self._search[i].split("\t", 2)
            self._search[i] = f"{name}\t{number}\t{rest}"
        self._numbers_searchable = True

    @staticmethod
    def labels(row: StaffRow) -> dict[str, str]:
        return {
            "category": STAFF_CATEGORY[row.category],
            "title": TITLE[row.title],
            "employment_form": EMPLOYMENT_FORM[row.employment_form],
            "status": STAFF_STATUS[row.status],
        }


@dataclass(frozen=True)
class FacilityRow:
    id: int
    name: str
    kind: str
    kind_label: str
    township: str
    township_id: int | None
    status: str
    status_label: str
    open_beds: int
    elderly_care_beds: int
    staff: int
    credit_code: str | None
    county: str = ""
    county_id: int | None = None


def facility_rows(session: Session, today: dt.date | None = None) -> list[FacilityRow]:
    """Every facility as the 机构 page lists it, with its people on post today."""
    tree = DivisionTree.read(session)
    counts = on_post_by_facility(session, today or dt.date.today())
    rows = session.execute(
        select(
            Facility.id,
            Facility.name,
            Facility.kind,
            Facility.division_id,
            Facility.status,
            Facility.open_beds,
            Facility.elderly_care_beds,
            Facility.credit_code,
        ).order_by(Facility.id)  # a saved row keeps its place (PostgreSQL returns an updated row last)
    ).all()
    return [
        FacilityRow(
            r.id,
            r.name,
            r.kind,
            FACILITY_KIND[r.kind],
            tree.township_name(r.division_id),
            tree.township_of.get(r.division_id),
            r.status,
            FACILITY_STATUS[r.status],
            r.open_beds,
            r.elderly_care_beds,
            counts.get(r.id, 0),
            r.credit_code,
            tree.county_name(r.division_id),
            tree.county_of.get(r.division_id),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class ProjectRow:
    id: int
    name: str
    facility: str
    kind: str
    planned_start: dt.date
    planned_completion: dt.date
    actual_completion: dt.date | None
    stage: str
    progress: float
    planned_investment: float
    investment_completed: float
    lead_unit: str
    overdue: bool
    behind: bool
    elapsed_share: float  # of the planned time, on the check date


def flagged(
    session: Session, period: Period, rule_ids: list[str], today: dt.date | None = None, data: Snapshot | None = None
) -> dict[str, set[int]]:
    """The ids each rule flags for the period, from the checks themselves (one source of truth). ``data``: the
    records as the list reads them, so that the list and the checks read them once."""
    run = run_checks(session, period, today=today, rule_ids=rule_ids, data=data)
    out: dict[str, set[int]] = {r: set() for r in rule_ids}
    for f in run.findings:
        out[f.rule_id].add(f.where.id)
    return out


def project_rows(session: Session, period: Period, today: dt.date | None = None) -> list[ProjectRow]:
    from sqlalchemy import func

    as_of = period.as_of(today or dt.date.today())
    data = Snapshot(session, as_of)  # the projects and their reports, read once for the checks and the list
    flags = flagged(session, period, ["project_overdue", "project_behind"], today, data)
    planned = dict(
        session.execute(
            select(ProjectFunding.project_id, func.sum(ProjectFunding.amount)).group_by(ProjectFunding.project_id)
        ).all()
    )
    names = dict(session.execute(select(Facility.id, Facility.name)).all())
    out = []
    for p in sorted(data.projects, key=lambda p: (p.planned_start, p.id)):
        # The state as last reported by the period's date (a past quarter shows the project as it stood then).
        reported = [u for u in data.project_updates.get(p.id, ()) if u.date <= as_of]
        last = reported[-1] if reported else p
        span = max(1, (p.planned_completion - p.planned_start).days)
        elapsed = min(100.0, max(0.0, (as_of - p.planned_start).days / span * 100))
        out.append(
            ProjectRow(
                p.id,
                p.name,
                names.get(p.facility_id, ""),
                PROJECT_KIND[p.kind],
                p.planned_start,
                p.planned_completion,
                p.actual_completion,
                PROJECT_STAGE[last.stage],
                last.progress,
                planned.get(p.id, 0.0),
                last.investment_completed,
                p.lead_unit,
                p.id in flags["project_overdue"],
                p.id in flags["project_behind"],
                elapsed,
            )
        )
    return out


@dataclass(frozen=True)
class TaskRow:
    id: int
    ledger: str
    number: str
    title: str
    lead_unit: str
    cooperating: str
    deadline: dt.date | None
    status: str
    status_label: str
    last_update: dt.date | None
    overdue: bool
    stale: bool
    last_note: str = ""  # what the latest progress report said (进展情况)
    responsible_person: str = ""  # 责任人
    note: str = ""  # 备注


def task_rows(session: Session, period: Period, today: dt.date | None = None) -> list[TaskRow]:
    data = Snapshot(session, period.as_of(today or dt.date.today()))  # read once, for the checks and the list
    flags = flagged(session, period, ["task_overdue", "task_stale"], today, data)
    units = COOPERATING_UNITS_PART.load(session, None)  # one query, not one per task (a server is far away)
    field = COOPERATING_UNITS_PART.fields[0]
    out = []
    for t in sorted(data.tasks, key=lambda t: (t.ledger, t.id)):
        # The latest report on the task as the period ended (a later one is not yet known to it): its date and words.
        reported = [u for u in data.task_updates.get(t.id, ()) if u.date <= period.end]
        out.append(
            TaskRow(
                t.id,
                t.ledger,
                t.number,
                t.title,
                t.lead_unit,
                field.display(units.get(t.id, {}).get(field.name, ())),
                t.deadline,
                t.status,
                TASK_STATUS[t.status],
                reported[-1].date if reported else None,
                t.id in flags["task_overdue"],
                t.id in flags["task_stale"],
                reported[-1].note if reported else "",
                t.responsible_person or "",
                t.note or "",
            )
        )
    return out


def choices(codes: dict[str, str]) -> Sequence[tuple[str, str]]:
    return list(codes.items())


def division_choices(
    session: Session, keep: Sequence[int | None] = (), kinds: Sequence[str] | None = None
) -> list[tuple[int, str]]:
    """The county, townships, streets, villages and communities by the names files use ("乡镇/村"), for a
    form's drop-down. A withdrawn division is offered only where the record already points to it (``keep``),
    marked as withdrawn."""
    lookups = Lookups(session)
    tree = lookups.tree
    out = []
    for division_id, label in sorted(lookups.division_label.items()):
        row = tree.rows[division_id]
        if (row.withdrawn_on is not None and division_id not in keep) or (kinds and row.kind not in kinds):
            continue
        out.append((division_id, label + ("（已撤销）" if row.withdrawn_on is not None else "")))
    return out


def facility_choices(session: Session, keep: Sequence[int | None] = ()) -> list[tuple[int, str]]:
    """Facilities in service by the names files use (a city's two 城关镇卫生院 told apart by county); a closed one
    only where the record already points to it."""
    closed = set(session.scalars(select(Facility.id).where(Facility.status == "closed")))
    labels = Lookups(session).facility_label
    return [(fid, label) for fid, label in sorted(labels.items()) if fid not in closed or fid in keep]


def plan_choices(session: Session) -> list[tuple[int, str]]:
    """Plans by name, the earliest first."""
    return [(p.id, p.name) for p in session.execute(select(Plan.id, Plan.name).order_by(Plan.start_year, Plan.id))]


def village_choices(session: Session, keep: Sequence[int] = ()) -> list[tuple[int, str, int | None]]:
    """Villages and communities as (id, "乡镇/村", township id), for a service area's check list. A withdrawn one
    is listed only where the record still holds it (``keep``), marked as withdrawn."""
    lookups = Lookups(session)
    tree, labels = lookups.tree, lookups.division_label
    out = []
    for r in tree.rows.values():
        if r.kind not in ("village", "community") or (r.withdrawn_on is not None and r.id not in keep):
            continue
        gone = "（已撤销）" if r.withdrawn_on is not None else ""
        out.append((r.id, labels[r.id] + gone, tree.township_of.get(r.id)))
    out.sort(key=lambda v: (tree.rows[v[2]].code if v[2] is not None else "", tree.rows[v[0]].code))
    return out


def record_values(session: Session, rtype: RecordType, record_id: int) -> dict:
    """A record's values as its form shows them: its own fields, its version (if it keeps one) and its parts'
    fields (a part without rows gives its empty values: no equipment is 0 of each item)."""
    record = session.get(rtype.model, record_id)
    if record is None:
        return {}
    values = {f.name: getattr(record, f.name) for f in rtype.fields}
    if hasattr(rtype.model, "version"):
        values["version"] = record.version
    for part in rtype.parts:
        values.update(part.empty())
        values.update(part.load(session, [record_id]).get(record_id, {}))
    return values


def record_title(session: Session, rtype: RecordType, values: dict) -> str:
    """What a form's title calls a record: its name, or the name of the record its title field points to."""
    value = values.get(rtype.title_field)
    field = rtype.field(rtype.title_field)
    if value is None:
        return ""
    if field.kind == "ref" and field.ref == "staff":
        return session.scalar(select(StaffMember.name).where(StaffMember.id == value)) or ""
    if field.kind == "ref":
        from desktop.records.references import Lookups

        return Lookups(session).labels(field.ref).get(value, "")
    return field.display(value)


def person_trainings(session: Session, staff_id: int) -> list:
    from db.models import Training

    return session.execute(
        select(Training.id, Training.start_date, Training.end_date, Training.days, Training.kind, Training.place)
        .where(Training.staff_id == staff_id)
        .order_by(Training.start_date, Training.id)
    ).all()


def person_loans(session: Session, staff_id: int) -> list:
    from db.models import StaffLoan

    return session.execute(
        select(StaffLoan.id, StaffLoan.start_date, StaffLoan.end_date, StaffLoan.to_unit, StaffLoan.reason)
        .where(StaffLoan.staff_id == staff_id)
        .order_by(StaffLoan.start_date, StaffLoan.id)
    ).all()


def facility_special_funds(session: Session, facility_id: int) -> list:
    from db.models import SpecialFund

    return session.execute(
        select(SpecialFund.id, SpecialFund.year, SpecialFund.amount, SpecialFund.note)
        .where(SpecialFund.facility_id == facility_id)
        .order_by(SpecialFund.year, SpecialFund.id)
    ).all()
