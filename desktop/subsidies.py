"""Monthly living subsidies per person (seed 002, items 6 and 19), for the subsidy roster."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from db.codes import STAFF_CATEGORY
from desktop.checks.village_doctors import must_leave
from desktop.norms import Norm, ensure_defaults, norms_in_force
from desktop.periods import Period
from desktop.snapshot import Snapshot, paused_gc

MASTER_OR_ABOVE = ("master", "doctorate")
VILLAGE_SUBSIDIES = ("subsidy_remote_village_doctor", "subsidy_small_village_doctor")
TALENT_SUBSIDIES = ("subsidy_senior_or_master", "subsidy_bachelor")
# Each roster by the name every output gives it: the county pays village doctors itself (the 发放表); a centre pays
# its talent subsidies inside its performance pay (seed 002 item 6).
ROSTERS = {"village_doctors": ("乡村医生补贴", VILLAGE_SUBSIDIES), "talent": ("人才生活补贴", TALENT_SUBSIDIES)}


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


@dataclass(frozen=True)
class RosterTotal:
    name: str
    people: int
    monthly_yuan: int
    withheld: int  # past the age limit and not rehired: they should have left, and are not paid


@dataclass(frozen=True)
class SubsidyRoster:
    lines: list[SubsidyLine]  # who is paid
    # Village doctors the village rules would pay who are past the age at which they must leave (vd_age) and are
    # not rehired: the check calls on them to leave, so the county does not pay them (their line says so).
    withheld: list[SubsidyLine]

    def of(self, roster: str) -> list[SubsidyLine]:
        return [x for x in self.lines if x.rule_id in ROSTERS[roster][1]]

    def totals(self) -> dict[str, RosterTotal]:
        """Each roster's people and monthly sum, as every output gives them."""
        return {
            key: RosterTotal(
                name,
                len(paid := self.of(key)),
                sum(x.monthly_yuan for x in paid),
                sum(1 for x in self.withheld if x.rule_id in rules),
            )
            for key, (name, rules) in ROSTERS.items()
        }

    def summary(self) -> str:
        return roster_summary(self.totals())


def roster_summary(totals: dict[str, RosterTotal]) -> str:
    """One line naming each roster with its people and monthly sum, as the Reports page and the report give it."""
    parts = []
    for key, t in totals.items():
        paid_by = "由县财政发放，见乡村医生补贴发放表" if key == "village_doctors" else "纳入所在单位绩效工资发放"
        withheld = f"，另有{t.withheld}人应离岗退出、不予发放" if t.withheld else ""
        parts.append(f"{t.name}{t.people:,}人、月补贴合计{t.monthly_yuan:,}元（{paid_by}{withheld}）")
    return "；".join(parts)


def subsidy_roster(session: Session, period: Period, *, today: dt.date | None = None) -> SubsidyRoster:  # noqa: C901
    """Everyone on post at the period's date who gets a monthly subsidy, with the rule that gives it."""
    ensure_defaults(session)
    as_of = period.as_of(today or dt.date.today())
    norms = norms_in_force(session, as_of)
    data = Snapshot(session, as_of)
    lines: list[SubsidyLine] = []
    withheld: list[SubsidyLine] = []
    age = norms.get("vd_age")
    max_age = age.params["max_age"] if age is not None and age.enabled else None
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
        township = data.township_of.get(village_id)
        is_remote = village.remote or (township is not None and data.divisions[township].remote)
        # seed 002 item 19: "常住人口1000人以内", the 1,000th resident included; not the remote-area subsidy as well
        if small in village_rules and residents is not None and residents <= small.params["max_residents"]:
            line = _line(data, s, small, f"服务的{village.name}{period.year}年常住人口{residents}人")
        elif remote in village_rules and is_remote:
            line = _line(data, s, remote, f"{village.name}属边远地区")
        else:
            continue
        if max_age is not None and (years := must_leave(s, as_of, max_age)) is not None:
            basis = f"{line.basis}；已年满{years}周岁且未办理返聘，应离岗退出，不予发放"
            withheld.append(replace(line, basis=basis))
        else:
            lines.append(line)
    for out in (lines, withheld):
        out.sort(key=lambda line: (line.county or "", line.township or "", line.facility, line.name))
    return SubsidyRoster(lines, withheld)
