"""The bed band of THCs and CHSCs (seed 002, item 4), for every centre and as findings."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.checks.findings import fmt
from desktop.checks.registry import Context, check
from desktop.norms import Norm
from desktop.snapshot import Snapshot


def bed_band(rural: float, *, low: float, high: float, floor: float, cap: float) -> tuple[float, float]:
    """The band of open beds for a centre serving ``rural`` people: one band, floor and cap applied."""
    lower = min(cap, max(floor, low * rural / 1000))
    upper = min(cap, max(floor, high * rural / 1000))
    return lower, upper


@dataclass(frozen=True)
class BedRow:
    """One centre of the bed check: what it has, the band it should lie in, the verdict."""

    facility_id: int
    name: str
    kind: str
    beds: int  # open beds including elderly-care beds
    elderly_care_beds: int
    population: int | None  # rural population of the service area (resident where rural is missing)
    resident_stood_in: bool
    lower: float | None
    upper: float | None
    cap: float
    verdict: str  # within, under, over, no_service_area, no_population


def service_population(data: Snapshot, year: int, facility_id: int) -> tuple[int | None, bool]:
    """Rural population of a centre's service area, and whether a resident figure stood in for a
    missing rural one. None when no village of the area has a figure for the year."""
    pop = data.population(year)
    total, stood_in, any_figure = 0, False, False
    for division_id in data.service_area.get(facility_id, ()):
        p = pop.get(division_id)
        if p is None:
            continue
        any_figure = True
        if p.rural is None:
            total += p.resident
            stood_in = True
        else:
            total += p.rural
    return (total if any_figure else None), stood_in


def bed_rows(data: Snapshot, year: int, norm: Norm) -> list[BedRow]:
    prm = norm.params
    rows = []
    for f in sorted(data.operating(norm.applies_to), key=lambda f: (data.divisions[f.division_id].code, f.id)):
        cap = prm["cap_central"] if f.kind == "central_thc" else prm["cap"]
        beds = f.open_beds + f.elderly_care_beds
        people, stood_in = service_population(data, year, f.id)
        lower = upper = None
        if not data.service_area.get(f.id):
            verdict = "no_service_area"
        elif not people:
            verdict = "no_population"
        else:
            lower, upper = bed_band(
                people, low=prm["per_1000_low"], high=prm["per_1000_high"], floor=prm["floor"], cap=cap
            )
            verdict = "under" if beds < lower else "over" if beds > upper else "within"
        rows.append(
            BedRow(f.id, f.name, f.kind, beds, f.elderly_care_beds, people, stood_in, lower, upper, cap, verdict)
        )
    return rows


@check("bed_band")
def check_bed_band(ctx: Context, norm: Norm):
    for row in bed_rows(ctx.data, ctx.period.year, norm):
        if row.verdict not in ("under", "over"):
            continue  # missing service areas and population are findings of the data rules
        basis = "常住人口（乡村人口缺失，以常住人口代替）" if row.resident_stood_in else "乡村人口"
        people = f"{fmt(row.population / 10000, 2)} 万"
        elderly = f"（含健康养老床位 {row.elderly_care_beds} 张）" if row.elderly_care_beds else ""
        band = (
            f"床位配置区间 {fmt(row.lower)}-{fmt(row.upper)} 张"
            if fmt(row.lower) != fmt(row.upper)
            else f"床位配置标准 {fmt(row.lower)} 张"
        )
        if row.verdict == "under":
            message = (
                f"{row.name}实有床位 {row.beds} 张{elderly}，低于按服务范围{basis} {people}测算的"
                f"下限 {fmt(row.lower)} 张（{band}），配置不足。"
            )
        else:
            limit = f"封顶 {fmt(row.cap)} 张" if row.upper == row.cap else f"上限 {fmt(row.upper)} 张"
            message = (
                f"{row.name}实有床位 {row.beds} 张{elderly}，高于按服务范围{basis} {people}测算的"
                f"{limit}（{band}），配置过多。"
            )
        yield ctx.finding(
            norm,
            ctx.data.where_facility(row.facility_id),
            row.beds,
            {"lower": round(row.lower, 1), "upper": round(row.upper, 1)},
            message,
            population=row.population,
            resident_stood_in=row.resident_stood_in,
            verdict=row.verdict,
        )
