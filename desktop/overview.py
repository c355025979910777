"""What the database holds at a glance: whose it is and how many of each record. (Facilities and staff on post
are headline figures of a period: desktop/figures.py.)"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, ScalarSelect, func, select
from sqlalchemy.orm import Session

from db.models import Base, CountyProfile, Division, Facility, KeyTask, Project


@dataclass(frozen=True)
class Overview:
    area_name: str | None  # the county (or city) this database belongs to
    bureau_name: str | None
    divisions: int
    villages: int  # administrative villages and communities
    facility_records: int  # every facility entered, closed ones too
    projects: int
    key_tasks: int

    @property
    def empty(self) -> bool:
        # Every facility lies in a division (a foreign key, enforced on SQLite too): no division, no facility. So
        # whether the database is empty changes only with the divisions, and the title is not read again after a
        # facility's save (a transaction, six round trips on a server).
        return self.divisions == 0


def overview(session: Session) -> Overview:
    profile = session.get(CountyProfile, 1)
    area = session.get(Division, profile.division_id) if profile and profile.division_id else None

    def count(model: type[Base], *where: ColumnElement[bool]) -> ScalarSelect[int]:
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    # One statement for the five counts: on a server across the LAN each statement is a round trip, and the
    # window's title reads these after every save.
    counts = session.execute(
        select(
            count(Division),
            count(Division, Division.kind.in_(("village", "community"))),
            count(Facility),
            count(Project),
            count(KeyTask),
        )
    ).one()
    divisions, villages, facility_records, projects, key_tasks = (n or 0 for n in counts)
    return Overview(
        area_name=area.name if area else None,
        bureau_name=profile.bureau_name if profile else None,
        divisions=divisions,
        villages=villages,
        facility_records=facility_records,
        projects=projects,
        key_tasks=key_tasks,
    )
