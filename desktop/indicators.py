"""Planning indicators: resource ratios computed from the records, the rest as entered.

A ratio needs the resident population of the year; without it (or with zero)
the value is "cannot compute" with the reason, never a division by zero.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.codes import HOSPITAL_KINDS, PUBLIC_HEALTH_INSTITUTION_KINDS
from db.models import CountyProfile, Indicator, IndicatorValue
from desktop.plans import plan_in_force
from desktop.records.editing import log_change
from desktop.snapshot import Snapshot, paused_gc

PHYSICIANS = ("physician", "assistant_physician")
# "卫生技术人员": everyone but managers and support workers.
TECHNICAL = (
    "physician",
    "assistant_physician",
    "nurse",
    "pharmacist",
    "technician",
    "public_health",
    "other_technical",
)


@dataclass(frozen=True)
class Computed:
    value: float | None
    numerator: float
    denominator: float | None
    reason: str | None = None  # why there is no value


@dataclass(frozen=True)
class IndicatorRow:
    id: int
    code: str
    name: str
    domain: str
    unit: str
    baseline_year: int | None
    baseline_value: float | None
    target_year: int | None
    target_value: float | None
    attribute: str
    direction: str
    value: float | None
    computed: bool
    reason: str | None
    source: str | None

    @property
    def verdict(self) -> str | None:
        """met / not_met, or None when there is no value or no target."""
        if self.value is None or self.target_value is None:
            return None
        ok = self.value >= self.target_value if self.direction == "at_least" else self.value <= self.target_value
        return "met" if ok else "not_met"


# code -> (per how many people, what is counted)
RESOURCE_INDICATORS = {
    "beds_per_1000": 1000,
    "physicians_per_1000": 1000,
    "nurses_per_1000": 1000,
    "gps_per_10000": 10000,
    "public_health_staff_per_1000": 1000,
    "tcm_beds_per_10000": 10000,
    "tcm_physicians_per_10000": 10000,
    "psychiatrists_per_100000": 100000,
    "private_bed_share": None,  # a percentage of hospital beds, not per head
}


def _tallies(data: Snapshot) -> dict[int | None, Counter]:  # noqa: C901
    """What each county has (beds, staff by kind), counted in one pass over the records."""
    cached = data.__dict__.get("_resource_tallies")
    if cached is not None:
        return cached
    out: dict[int | None, Counter] = defaultdict(Counter)
    county_of_facility = {}
    for f in data.facilities.values():
        if f.status != "operating":
            continue
        county = data.county_of.get(f.division_id)
        county_of_facility[f.id] = (county, f.kind)
        t = out[county]
        t["beds_per_1000"] += f.open_beds
        t["tcm_beds_per_10000"] += f.tcm_beds
        if f.kind in HOSPITAL_KINDS:
            t["hospital_beds"] += f.open_beds
            if f.ownership == "private":
                t["private_beds"] += f.open_beds
    for facility_id, category, practice, gp, psychiatry, n in data.staff_counts:
        place = county_of_facility.get(facility_id)
        if place is None:
            continue
        county, kind = place
        t = out[county]
        if category in PHYSICIANS:
            t["physicians_per_1000"] += n
            t["gps_per_10000"] += n if gp else 0
            t["tcm_physicians_per_10000"] += n if practice == "tcm" else 0
            t["psychiatrists_per_100000"] += n if psychiatry else 0
        elif category == "nurse":
            t["nurses_per_1000"] += n
        if kind in PUBLIC_HEALTH_INSTITUTION_KINDS and category in TECHNICAL:
            t["public_health_staff_per_1000"] += n
    data.__dict__["_resource_tallies"] = out
    return out


def resource_indicators(data: Snapshot, year: int, county_ids: set[int] | None = None) -> dict[str, Computed]:
    """The resource ratios of the given counties (all of them when None) for a year."""
    tallies = _tallies(data)
    population_by_county = data.population_by_county(year)
    keys = set(tallies) | set(population_by_county) if county_ids is None else county_ids
    n: Counter = Counter()
    for key in keys:
        n.update(tallies.get(key, Counter()))
    figures = [population_by_county[k] for k in keys if k in population_by_county]
    population = sum(figures) if figures else None
    out: dict[str, Computed] = {}
    for code, per in RESOURCE_INDICATORS.items():
        if per is None:
            continue
        if population is None:
            out[code] = Computed(None, n[code], None, f"缺少{year}年常住人口数据，无法计算")
        elif population == 0:
            out[code] = Computed(None, n[code], 0, f"{year}年常住人口为0，无法计算")
        else:
            out[code] = Computed(n[code] / population * per, n[code], population)
    hospital, private = n["hospital_beds"], n["private_beds"]
    out["private_bed_share"] = (
        Computed(private / hospital * 100, private, hospital)
        if hospital
        else Computed(None, 0, 0, "没有医院床位，无法计算")
    )
    return out


def indicator_table(
    session: Session, year: int, today: dt.date | None = None, *, as_of: dt.date | None = None
) -> list[IndicatorRow]:
    """Every indicator of the plan judging the year (plans.plan_in_force) with baseline, target and its value for
    the year; none when no plan has begun by then. The records are read as of the year's end (or today), or as of
    ``as_of``: a quarter's report and sheets give the values its checks judged."""
    plan = plan_in_force(session, year)
    if plan is None:
        return []
    as_of = as_of or min(dt.date(year, 12, 31), today or dt.date.today())
    data = Snapshot(session, as_of)
    profile = session.get(CountyProfile, 1)
    area = None
    if profile and profile.division_id and data.divisions[profile.division_id].kind == "county":
        area = {profile.division_id}
    with paused_gc():
        computed = resource_indicators(data, year, area)
    entered = dict(
        session.execute(
            select(IndicatorValue.indicator_id, IndicatorValue.value).where(IndicatorValue.year == year)
        ).all()
    )
    rows = []
    indicators = select(Indicator).where(Indicator.plan_id == plan.id).order_by(Indicator.position, Indicator.id)
    for ind in session.scalars(indicators):
        if ind.computed_by in computed:
            c = computed[ind.computed_by]
            value, is_computed, reason = c.value, True, c.reason
        else:
            value, is_computed = entered.get(ind.id), False
            reason = None if value is not None else f"未填报{year}年数值"
        rows.append(
            IndicatorRow(
                ind.id,
                ind.code,
                ind.name,
                ind.domain,
                ind.unit,
                ind.baseline_year,
                ind.baseline_value,
                ind.target_year,
                ind.target_value,
                ind.attribute,
                ind.direction,
                value,
                is_computed,
                reason,
                ind.source,
            )
        )
    return rows


def set_indicator_value(session: Session, code: str, year: int, value: float | None, *, user: str) -> None:
    """Enter (or clear, with None) the value for a year of an indicator of the plan judging that year; computed
    indicators are not entered."""
    plan = plan_in_force(session, year)
    ind = session.scalar(select(Indicator).where(Indicator.code == code, Indicator.plan_id == (plan and plan.id)))
    if ind is None:
        raise ValueError(f"没有编号为“{code}”的指标")
    if ind.computed_by:
        raise ValueError(f"“{ind.name}”由记录自动计算，不能手工填报")
    row = session.scalar(
        select(IndicatorValue).where(IndicatorValue.indicator_id == ind.id, IndicatorValue.year == year)
    )
    old = row.value if row else None
    if value is None:
        if row:
            session.delete(row)
    elif row:
        row.value = value
    else:
        session.add(IndicatorValue(indicator_id=ind.id, year=year, value=value))
    log_change(
        session,
        user,
        "indicator_values",
        ind.id,
        "update",
        {"year": year, "value": old},
        {"year": year, "value": value},
    )
    session.flush()
