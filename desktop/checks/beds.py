"""The bed band of THCs and CHSCs (seed 002, item 4), for every centre and as findings."""

from __future__ import annotations

import math
from dataclasses import dataclass

from desktop.checks.findings import fmt
from desktop.checks.registry import Context, check
from desktop.norms import Norm
from desktop.snapshot import Snapshot

# What each verdict is called on the page, in the sheet and in the report.
VERDICTS = {
    "within": "达标",
    "under": "配置不足",
    "over": "配置过多",
    "no_service_area": "未设服务范围",
    "no_population": "缺少人口数据",
    "partial_population": "部分村（社区）缺少人口数据",
}


def band_rule(norm: Norm) -> str:
    """The rule as the page, the sheet and the report state it, with how a fractional band is read."""
    p = norm.params
    return (
        f"每千乡村人口{fmt(p['per_1000_low'])}～{fmt(p['per_1000_high'])}张（含健康养老床位），最低{fmt(p['floor'])}张，"
        f"一般卫生院不超过{fmt(p['cap'])}张，中心卫生院不超过{fmt(p['cap_central'])}张；床位按整张计，"
        "按人口测算的下限不足1张的部分进为1张，上限舍去不足1张的部分"
    )


def stood_in_note(rows: list[BedRow]) -> str | None:
    """Which centres were measured on resident population, said under a table of them."""
    names = [r.name for r in rows if r.resident_stood_in and r.lower is not None]
    if not names:
        return None
    return f"注：{'、'.join(names)}的服务范围缺少乡村人口，以常住人口代替测算。"


def bed_band(rural: float, *, low: float, high: float, floor: float, cap: float) -> tuple[float, float]:
    """The band of open beds for a centre serving ``rural`` people: one band, floor and cap applied."""
    lower = min(cap, max(floor, low * rural / 1000))
    upper = min(cap, max(floor, high * rural / 1000))
    return lower, upper


def whole_band(lower: float, upper: float) -> tuple[int, int]:
    """The band in whole beds: the fewest beds that reach the lower bound, the most that stay within the upper.
    A centre is judged on these, and they are what is printed, so that no sentence says "24 张，低于下限 24 张"
    (24.006) or "22 张，高于上限 22 张" (21.96). 0.6 x 40,000 / 1000 is 24.000000000000004 in floating point: a
    millionth of a bed is no bed."""
    low, high = math.ceil(lower - 1e-6), math.floor(upper + 1e-6)
    return low, max(low, high)


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
    lower: int | None  # the band in whole beds (whole_band)
    upper: int | None
    cap: float
    verdict: str  # a key of VERDICTS
    missing: tuple[str, ...] = ()  # villages of the area without the year's population

    @property
    def band(self) -> str:
        """The band as a table shows it: 25～48, or 20 where it is one number; empty where not measured."""
        if self.lower is None:
            return ""
        return str(self.lower) if self.lower == self.upper else f"{self.lower}～{self.upper}"

    @property
    def measured_on(self) -> str:
        """The population the band was measured on, in a table's column."""
        if self.population is None:
            return ""
        return "常住人口代替" if self.resident_stood_in else "乡村人口"

    @property
    def basis(self) -> str:
        """The population the band was measured on, as a sheet or the report names it."""
        return "常住人口（乡村人口缺失，以常住人口代替）" if self.resident_stood_in else "乡村人口"


def service_population(data: Snapshot, year: int, facility_id: int) -> tuple[int | None, bool, list[str]]:
    """Rural population of a centre's service area, whether a resident figure stood in for a missing rural one,
    and the villages of the area without the year's figure. None when none of them has one."""
    pop = data.population(year)
    total, stood_in, any_figure, missing = 0, False, False, []
    for division_id in data.service_area.get(facility_id, ()):
        p = pop.get(division_id)
        if p is None or (p.rural is None and p.resident is None):
            missing.append(data.divisions[division_id].name if division_id in data.divisions else str(division_id))
            continue
        any_figure = True
        if p.rural is None:
            total += p.resident
            stood_in = True
        else:
            total += p.rural
    return (total if any_figure else None), stood_in, missing


def bed_rows(data: Snapshot, year: int, norm: Norm) -> list[BedRow]:
    prm = norm.params
    rows = []
    for f in sorted(data.operating(norm.applies_to), key=lambda f: (data.divisions[f.division_id].code, f.id)):
        cap = prm["cap_central"] if f.kind == "central_thc" else prm["cap"]
        beds = f.open_beds + f.elderly_care_beds
        people, stood_in, missing = service_population(data, year, f.id)
        lower = upper = None
        if not data.service_area.get(f.id):
            verdict = "no_service_area"
        elif people is None:
            verdict = "no_population"
        elif missing:
            verdict = "partial_population"  # judged on part of its people it would look over-equipped
        else:  # 0 is a figure (a community without rural people): the floor applies
            exact = bed_band(people, low=prm["per_1000_low"], high=prm["per_1000_high"], floor=prm["floor"], cap=cap)
            lower, upper = whole_band(*exact)
            verdict = "under" if beds < lower else "over" if beds > upper else "within"
        rows.append(
            BedRow(
                f.id,
                f.name,
                f.kind,
                beds,
                f.elderly_care_beds,
                people,
                stood_in,
                lower,
                upper,
                cap,
                verdict,
                tuple(missing),
            )  # fmt: skip
        )
    return rows


@check("bed_band")
def check_bed_band(ctx: Context, norm: Norm):
    prm = norm.params
    floor = fmt(prm["floor"])
    for row in bed_rows(ctx.data, ctx.period.year, norm):
        if row.verdict not in ("under", "over"):
            continue  # missing service areas and population are findings of the data rules
        people = f"服务范围{row.basis}{fmt(row.population / 10000, 2)}万人"
        elderly = f"（含健康养老床位{row.elderly_care_beds}张）" if row.elderly_care_beds else ""
        band = f"应配置{row.lower}～{row.upper}张" if row.lower != row.upper else f"应配置{row.lower}张"
        said = f"{row.name}实有床位{row.beds}张{elderly}"
        if row.verdict == "under":
            # The floor is no figure the population gives: it is named as the floor.
            floored = prm["per_1000_low"] * row.population / 1000 < prm["floor"]
            limit = f"最低配置{floor}张" if floored else f"按{people}测算的下限{row.lower}张"
            message = f"{said}，低于{limit}（{band}），配置不足。"
        elif row.upper == row.cap:
            message = f"{said}，高于封顶{fmt(row.cap)}张（{band}），配置过多。"
        elif prm["per_1000_high"] * row.population / 1000 < prm["floor"]:
            per = fmt(prm["per_1000_high"])
            message = f"{said}，{people}按每千人{per}张测算不足{floor}张，应按最低{floor}张配置，配置过多。"
        else:
            message = f"{said}，高于按{people}测算的上限{row.upper}张（{band}），配置过多。"
        yield ctx.finding(
            norm,
            ctx.data.where_facility(row.facility_id),
            row.beds,
            {"lower": row.lower, "upper": row.upper},
            message,
            population=row.population,
            resident_stood_in=row.resident_stood_in,
            verdict=row.verdict,
        )
