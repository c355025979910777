"""The records as of a date, read once with plain selects and indexed in memory, for the checks,
the indicators and the subsidies.

Each table is read at most once, and only when a check asks for it, so that a
run of one rule reads only what that rule needs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
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


@dataclass(frozen=True)
class Pop:
    resident: int
    rural: int | None


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


class Snapshot:
    def __init__(self, session: Session, as_of: dt.date) -> None:
        self.session = session
        self.as_of = as_of

    # --- divisions ----------------------------------------------------------------

    @cached_property
    def divisions(self) -> dict[int, Division]:
        rows = self.session.execute(
            select(Division.id, Division.code, Division.name, Division.kind, Division.parent_id, Division.remote)
        ).all()
        return {r.id: r for r in rows}

    def _ancestor(self, division_id: int | None, kinds: tuple[str, ...]) -> int | None:
        seen = 0
        while division_id is not None and seen < 10:
            d = self.divisions[division_id]
            if d.kind in kinds:
                return d.id
            division_id = d.parent_id
            seen += 1
        return None

    @cached_property
    def township_of(self) -> dict[int, int | None]:
        return {i: self._ancestor(i, ("township", "street")) for i in self.divisions}

    @cached_property
    def county_of(self) -> dict[int, int | None]:
        return {i: self._ancestor(i, ("county",)) for i in self.divisions}

    @cached_property
    def counties(self) -> list:
        return sorted((d for d in self.divisions.values() if d.kind == "county"), key=lambda d: d.code)

    @cached_property
    def villages(self) -> list:
        """Administrative villages and communities: the divisions that carry population."""
        return [d for d in self.divisions.values() if d.kind in ("village", "community")]

    def population(self, year: int) -> dict[int, Pop]:
        cache = self.__dict__.setdefault("_population", {})
        if year not in cache:
            rows = self.session.execute(
                select(DivisionPopulation.division_id, DivisionPopulation.resident, DivisionPopulation.rural).where(
                    DivisionPopulation.year == year
                )
            ).all()
            cache[year] = {r.division_id: Pop(r.resident, r.rural) for r in rows}
        return cache[year]

    def where_division(self, division_id: int) -> Where:
        d = self.divisions[division_id]
        return Where(d.kind, d.id, d.name, self._name(self.township_of.get(d.id)), self._name(self.county_of.get(d.id)))

    def _name(self, division_id: int | None) -> str | None:
        return self.divisions[division_id].name if division_id is not None else None

    # --- facilities ---------------------------------------------------------------

    @cached_property
    def facilities(self) -> dict[int, Facility]:
        cols = [
            Facility.id,
            Facility.name,
            Facility.kind,
            Facility.division_id,
            Facility.status,
            Facility.ownership,
            Facility.building_ownership,
            Facility.open_beds,
            Facility.elderly_care_beds,
            Facility.tcm_beds,
            Facility.tcm_hall,
            Facility.provides_tcm,
            Facility.standardised,
        ]
        return {r.id: r for r in self.session.execute(select(*cols)).all()}

    def operating(self, kinds: tuple[str, ...] | list[str]) -> list:
        return [f for f in self.facilities.values() if f.status == "operating" and f.kind in kinds]

    def where_facility(self, facility_id: int) -> Where:
        f = self.facilities[facility_id]
        return Where(
            "facility",
            f.id,
            f.name,
            self._name(self.township_of.get(f.division_id)),
            self._name(self.county_of.get(f.division_id)),
        )

    @cached_property
    def service_area(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for facility_id, division_id in self.session.execute(select(ServiceArea.facility_id, ServiceArea.division_id)):
            out[facility_id].append(division_id)
        return out

    @cached_property
    def equipment(self) -> dict[int, dict[str, int]]:
        out: dict[int, dict[str, int]] = defaultdict(dict)
        rows = self.session.execute(
            select(FacilityEquipment.facility_id, FacilityEquipment.item, FacilityEquipment.quantity)
        )
        for facility_id, item, qty in rows:
            out[facility_id][item] = qty
        return out

    @cached_property
    def special_funds(self) -> dict[tuple[int, int], float]:
        rows = self.session.execute(select(SpecialFund.facility_id, SpecialFund.year, SpecialFund.amount))
        return {(f, y): a for f, y, a in rows}

    # --- staff --------------------------------------------------------------------

    @cached_property
    def staff_on_post(self) -> list:
        """People on post on the check date: hired by then and not yet gone."""
        cols = [
            StaffMember.id,
            StaffMember.name,
            StaffMember.birth_date,
            StaffMember.facility_id,
            StaffMember.category,
            StaffMember.practice_category,
            StaffMember.gp_registered,
            StaffMember.psychiatry_registered,
            StaffMember.title,
            StaffMember.education,
            StaffMember.education_full_time,
            StaffMember.education_medical,
            StaffMember.employment_form,
            StaffMember.directed_graduate,
            StaffMember.directed_service_until,
            StaffMember.hire_date,
            StaffMember.status,
            StaffMember.status_date,
            StaffMember.liability_insured,
        ]
        as_of = self.as_of
        return [
            r
            for r in self.session.execute(select(*cols)).all()
            if (r.hire_date is None or r.hire_date <= as_of)
            and (r.status == "on_post" or (r.status_date is not None and r.status_date > as_of))
        ]

    def where_person(self, person) -> Where:
        place = self.where_facility(person.facility_id)
        return Where("person", person.id, person.name, place.township, place.county)

    @cached_property
    def trainings(self) -> dict[int, list]:
        out: dict[int, list] = defaultdict(list)
        cols = [
            Training.staff_id,
            Training.kind,
            Training.start_date,
            Training.end_date,
            Training.days,
            Training.free_of_charge,
        ]
        for r in self.session.execute(select(*cols)).all():
            out[r.staff_id].append(r)
        return out

    @cached_property
    def loans(self) -> list:
        cols = [
            StaffLoan.id,
            StaffLoan.staff_id,
            StaffLoan.from_facility_id,
            StaffLoan.to_unit,
            StaffLoan.start_date,
            StaffLoan.end_date,
        ]
        return self.session.execute(select(*cols, StaffMember.name).join(StaffMember)).all()

    # --- projects and tasks -------------------------------------------------------

    @cached_property
    def projects(self) -> list:
        return list(self.session.scalars(select(Project)))

    @cached_property
    def project_updates(self) -> dict[int, list]:
        out: dict[int, list] = defaultdict(list)
        cols = [ProjectUpdate.project_id, ProjectUpdate.date, ProjectUpdate.stage, ProjectUpdate.progress]
        for r in self.session.execute(select(*cols).order_by(ProjectUpdate.date)).all():
            out[r.project_id].append(r)
        return out

    @cached_property
    def tasks(self) -> list:
        return list(self.session.scalars(select(KeyTask)))

    @cached_property
    def task_updates(self) -> dict[int, list]:
        out: dict[int, list] = defaultdict(list)
        for r in self.session.execute(
            select(TaskUpdate.task_id, TaskUpdate.date, TaskUpdate.status).order_by(TaskUpdate.date)
        ).all():
            out[r.task_id].append(r)
        return out
