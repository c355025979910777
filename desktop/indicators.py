"""Planning indicators: resource ratios computed from the records, the rest as entered.

A ratio needs the resident population of the year; without it (or with zero)
the value is "cannot compute" with the reason, never a division by zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.codes import HOSPITAL_KINDS, PUBLIC_HEALTH_INSTITUTION_KINDS
from db.models import CountyProfile, Indicator, IndicatorValue
from desktop.snapshot import Snapshot

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


def resource_indicators(data: Snapshot, year: int, county_ids: set[int] | None = None) -> dict[str, Computed]:
    """The resource ratios of the given counties (all of them when None) for a year."""

    def inside(division_id: int) -> bool:
        return county_ids is None or data.county_of.get(division_id) in county_ids

    pop = data.population(year)
    people_rows = [pop[v.id] for v in data.villages if inside(v.id) and v.id in pop]
    population = sum(p.resident for p in people_rows) if people_rows else None
    facilities = [f for f in data.facilities.values() if f.status == "operating" and inside(f.division_id)]
    in_area = {f.id for f in facilities}
    staff = [s for s in data.staff_on_post if s.facility_id in in_area]
    kind_of = {f.id: f.kind for f in facilities}

    counts = {
        "beds_per_1000": sum(f.open_beds for f in facilities),
        "physicians_per_1000": sum(1 for s in staff if s.category in PHYSICIANS),
        "nurses_per_1000": sum(1 for s in staff if s.category == "nurse"),
        "gps_per_10000": sum(1 for s in staff if s.category in PHYSICIANS and s.gp_registered),
        "public_health_staff_per_1000": sum(
            1 for s in staff if kind_of[s.facility_id] in PUBLIC_HEALTH_INSTITUTION_KINDS and s.category in TECHNICAL
        ),
        "tcm_beds_per_10000": sum(f.tcm_beds for f in facilities),
        "tcm_physicians_per_10000": sum(1 for s in staff if s.category in PHYSICIANS and s.practice_category == "tcm"),
        "psychiatrists_per_100000": sum(1 for s in staff if s.category in PHYSICIANS and s.psychiatry_registered),
    }
    out: dict[str, Computed] = {}
    for code, n in counts.items():
        per = RESOURCE_INDICATORS[code]
        if population is None:
            out[code] = Computed(None, n, None, f"缺少{year}年常住人口数据，无法计算")
        elif population == 0:
            out[code] = Computed(None, n, 0, f"{year}年常住人口为0，无法计算")
        else:
            out[code] = Computed(n / population * per, n, population)
    hospital_beds = sum(f.open_beds for f in facilities if f.kind in HOSPITAL_KINDS)
    private_beds = sum(f.open_beds for f in facilities if f.kind in HOSPITAL_KINDS and f.ownership == "private")
    out["private_bed_share"] = (
        Computed(private_beds / hospital_beds * 100, private_beds, hospital_beds)
        if hospital_beds
        else Computed(None, 0, 0, "没有医院床位，无法计算")
    )
    return out


def indicator_table(session: Session, year: int, today: dt.date | None = None) -> list[IndicatorRow]:
    """Every planning indicator with baseline, target and its value for the year."""
    as_of = min(dt.date(year, 12, 31), today or dt.date.today())
    data = Snapshot(session, as_of)
    profile = session.get(CountyProfile, 1)
    area = None
    if profile and profile.division_id and data.divisions[profile.division_id].kind == "county":
        area = {profile.division_id}
    computed = resource_indicators(data, year, area)
    entered = dict(
        session.execute(
            select(IndicatorValue.indicator_id, IndicatorValue.value).where(IndicatorValue.year == year)
        ).all()
    )
    rows = []
    for ind in session.scalars(select(Indicator).order_by(Indicator.position, Indicator.id)):
        if ind.computed_by in computed:
            c = computed[ind.computed_by]
            value, is_computed, reason = c.value, True, c.reason
        else:
            value, is_computed = entered.get(ind.id), False
            reason = None if value is not None else f"未填报{year}年数值"
        rows.append(
            IndicatorRow(
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
