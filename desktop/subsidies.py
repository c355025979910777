"""Monthly living subsidies per person (seed 002, items 6 and 19), for the subsidy roster."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from db.codes import STAFF_CATEGORY
from desktop.norms import Norm, ensure_defaults, norms_in_force
from desktop.periods import Period
from desktop.snapshot import Snapshot, paused_gc

MASTER_OR_ABOVE = ("master", "doctorate")


@dataclass(frozen=True)
class SubsidyLine:
    staff_id: int
    name: str
    facility: str
    township: str | None
    county: str | None
    category: str
    rule_id: str
    rule_name: str
    monthly_yuan: int
    basis: str  # why this person gets it, in Chinese
    source: str


def _line(data: Snapshot, person, norm: Norm, basis: str) -> SubsidyLine:
    place = data.where_facility(person.facility_id)
    return SubsidyLine(
        person.id,
        person.name,
        place.name,
        place.township,
        place.county,
        STAFF_CATEGORY[person.category],
        norm.rule_id,
        norm.name,
        int(norm.params["monthly_yuan"]),
        basis,
        norm.source,
    )


def subsidy_roster(session: Session, period: Period, *, today: dt.date | None = None) -> list[SubsidyLine]:
    """Everyone on post at the period's date who gets a monthly subsidy, with the rule that gives it."""
    ensure_defaults(session)
    as_of = period.as_of(today or dt.date.today())
    norms = norms_in_force(session, as_of)
    data = Snapshot(session, as_of)
    lines: list[SubsidyLine] = []
    senior, bachelor = norms.get("subsidy_senior_or_master"), norms.get("subsidy_bachelor")
    remote, small = norms.get("subsidy_remote_village_doctor"), norms.get("subsidy_small_village_doctor")
    pop = data.population(period.year)
    kinds = {k for n in (senior, bachelor, remote, small) if n for k in n.applies_to}
    with paused_gc():
        people = data.staff_of(sorted(kinds))
    for s in people:
        kind = data.facilities[s.facility_id].kind
        if senior and senior.enabled and kind in senior.applies_to:
            medical_master = s.education in MASTER_OR_ABOVE and s.education_full_time and s.education_medical
            if s.title in ("associate_senior", "senior"):
                lines.append(_line(data, s, senior, "副高级及以上专业技术职称"))
                continue
            if medical_master:
                lines.append(_line(data, s, senior, "医学类专业全日制硕士研究生及以上学历"))
                continue
        if bachelor and bachelor.enabled and kind in bachelor.applies_to:
            serving = s.directed_graduate and (s.directed_service_until is None or s.directed_service_until >= as_of)
            if s.education == "bachelor" and s.education_full_time and s.education_medical and not serving:
                lines.append(_line(data, s, bachelor, "医学类专业全日制本科"))
                continue
        village_rules = [n for n in (small, remote) if n and n.enabled and kind in n.applies_to]
        if not village_rules or s.category not in village_rules[0].params["categories"]:
            continue
        village_id = data.facilities[s.facility_id].division_id
        village = data.divisions[village_id]
        residents = pop[village_id].resident if village_id in pop else None
        # seed 002 item 19: "常住人口1000人以内", the 1,000th resident included
        if small in village_rules and residents is not None and residents <= small.params["max_residents"]:
            lines.append(_line(data, s, small, f"服务的{village.name}{period.year}年常住人口{residents}人"))
            continue  # not the remote-area subsidy as well
        township = data.township_of.get(village_id)
        is_remote = village.remote or (township is not None and data.divisions[township].remote)
        if remote in village_rules and is_remote:
            lines.append(_line(data, s, remote, f"{village.name}属边远地区"))
    lines.sort(key=lambda line: (line.county or "", line.township or "", line.facility, line.name))
    return lines
