"""The headline figures of a period, each defined once: the dashboard, the pages, the sheets, the quarterly
report and ``countyhealth figures`` all read them here, so that a county's 在岗 or 实有床位 is one number
wherever a leader meets it.

- 在岗人员: people hired by the period's date and not gone by it (Snapshot.on_post), in whatever facility;
  a person's status changed after the period still counts where he was on post then.
- 医疗卫生机构: facilities not closed (撤销), by kind; 运营 among them.
- 实有床位 and 健康养老床位: of the facilities not closed.
- 补贴: each roster as subsidies.py pays it (乡村医生补贴, in the 发放表; 人才生活补贴, paid inside the centres'
  performance pay).
- 问题: the findings of the period's check, by severity.

A past period's facilities, beds and status are as they stood on its last day (Snapshot.facilities undoes the
changes that hold from after it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.codes import FACILITY_KIND, SEVERITY, STAFF_CATEGORY
from db.models import StaffMember
from desktop.periods import Period
from desktop.snapshot import Snapshot
from desktop.subsidies import RosterTotal, subsidy_roster

if TYPE_CHECKING:
    from desktop.checks.runner import CheckRun


def staff_on_post(session: Session, as_of: dt.date, *columns) -> list:
    """The people counted as on post on ``as_of`` (the given columns of each, in id order)."""
    statement = select(*columns).where(Snapshot(session, as_of).on_post()).order_by(StaffMember.id)
    return session.execute(statement).all()


def on_post_by_facility(session: Session, as_of: dt.date) -> dict[int, int]:
    """How many people each facility has on post on ``as_of``."""
    statement = (
        select(StaffMember.facility_id, func.count())
        .where(Snapshot(session, as_of).on_post())
        .group_by(StaffMember.facility_id)
    )
    return dict(session.execute(statement).all())


@dataclass(frozen=True)
class Figures:
    period: Period
    as_of: dt.date
    facilities_by_kind: dict[str, int]
    operating: int
    staff_by_category: dict[str, int]
    open_beds: int
    elderly_care_beds: int
    subsidies: dict[str, RosterTotal] | None = None  # None: not asked for
    findings_by_severity: dict[str, int] | None = None  # None: the check was not run

    @property
    def facilities(self) -> int:
        return sum(self.facilities_by_kind.values())

    @property
    def staff_on_post(self) -> int:
        return sum(self.staff_by_category.values())

    @property
    def village_doctors(self) -> int:
        return self.staff_by_category.get("village_doctor", 0)

    @property
    def findings(self) -> int | None:
        return None if self.findings_by_severity is None else sum(self.findings_by_severity.values())

    def lines(self) -> list[tuple[str, str]]:
        """Every figure as (what, how many), in Chinese, in the order a report gives them."""
        out = [("医疗卫生机构（个）", f"{self.facilities:,}"), ("　其中运营（个）", f"{self.operating:,}")]
        out += [(f"　{FACILITY_KIND[k]}（个）", f"{n:,}") for k, n in self.facilities_by_kind.items() if n]
        out += [("在岗人员（人）", f"{self.staff_on_post:,}")]
        out += [(f"　{STAFF_CATEGORY[c]}（人）", f"{n:,}") for c, n in self.staff_by_category.items() if n]
        out += [("实有床位（张）", f"{self.open_beds:,}"), ("健康养老床位（张）", f"{self.elderly_care_beds:,}")]
        for roster in (self.subsidies or {}).values():
            out += [(f"{roster.name}（人）", f"{roster.people:,}"), ("　月补贴合计（元）", f"{roster.monthly_yuan:,}")]
            if roster.withheld:
                out.append(("　应离岗退出、不予发放（人）", f"{roster.withheld:,}"))
        if self.findings_by_severity is not None:
            out.append(("发现问题（条）", f"{self.findings:,}"))
            out += [(f"　{SEVERITY[s]}（条）", f"{n:,}") for s, n in self.findings_by_severity.items()]
        return out

    def as_dict(self) -> dict:
        return {
            "period": str(self.period),
            "as_of": self.as_of.isoformat(),
            "facilities": self.facilities,
            "operating": self.operating,
            "facilities_by_kind": self.facilities_by_kind,
            "staff_on_post": self.staff_on_post,
            "staff_by_category": self.staff_by_category,
            "open_beds": self.open_beds,
            "elderly_care_beds": self.elderly_care_beds,
            "subsidies": None
            if self.subsidies is None
            else {
                k: {"name": r.name, "people": r.people, "monthly_yuan": r.monthly_yuan, "withheld": r.withheld}
                for k, r in self.subsidies.items()
            },
            "findings": self.findings,
            "findings_by_severity": self.findings_by_severity,
        }


def headline_figures(
    session: Session,
    period: Period,
    *,
    today: dt.date | None = None,
    subsidies: bool = True,
    findings: bool | CheckRun = True,
) -> Figures:
    """The period's headline figures. The rosters and the check take longest: ``subsidies=False`` and
    ``findings=False`` leave them out (the dashboard's first paint); a CheckRun already made is counted as it is."""
    today = today or dt.date.today()
    as_of = period.as_of(today)
    data = Snapshot(session, as_of)
    listed = [f for f in data.facilities.values() if f.status != "closed"]
    kinds = Counter(f.kind for f in listed)
    on_post = data.on_post()
    categories = Counter(
        dict(
            session.execute(
                select(StaffMember.category, func.count()).where(on_post).group_by(StaffMember.category)
            ).all()
        )
    )
    rosters = subsidy_roster(session, period, today=today).totals() if subsidies else None
    by_severity = None
    if findings:
        from desktop.checks.runner import CheckRun, run_checks

        run = findings if isinstance(findings, CheckRun) else run_checks(session, period, today=today)
        by_severity = {s: sum(1 for f in run.findings if f.severity == s) for s in SEVERITY}
    return Figures(
        period,
        as_of,
        {k: kinds[k] for k in FACILITY_KIND if kinds[k]},
        sum(1 for f in listed if f.status == "operating"),
        {c: categories[c] for c in STAFF_CATEGORY if categories[c]},
        sum(f.open_beds or 0 for f in listed),
        sum(f.elderly_care_beds or 0 for f in listed),
        rosters,
        by_severity,
    )
