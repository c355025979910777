"""What the database holds at a glance: whose it is and how many of each record. (Facilities and staff on post
are headline figures of a period: desktop/figures.py.)"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import CountyProfile, Division, Facility, KeyTask, Project


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
        return self.divisions == 0 and self.facility_records == 0


def overview(session: Session) -> Overview:
    profile = session.get(CountyProfile, 1)
    area = session.get(Division, profile.division_id) if profile and profile.division_id else None

    def count(model: type, *where: object) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    return Overview(
        area_name=area.name if area else None,
        bureau_name=profile.bureau_name if profile else None,
        divisions=count(Division),
        villages=count(Division, Division.kind.in_(("village", "community"))),
        facility_records=count(Facility),
        projects=count(Project),
        key_tasks=count(KeyTask),
    )
