"""County resource ratios against their targets (seed 003's indicator table and boxes)."""

from __future__ import annotations

from desktop.checks.findings import Where, fmt
from desktop.checks.registry import Context, check
from desktop.indicators import resource_indicators
from desktop.norm_parameters import INDICATOR_UNITS
from desktop.norms import Norm


def _per_county(ctx: Context) -> dict[int, dict]:
    cache = ctx.data.__dict__.setdefault("_ratios", {})
    year = ctx.period.year
    if year not in cache:
        cache[year] = {c.id: resource_indicators(ctx.data, year, {c.id}) for c in ctx.data.counties}
    return cache[year]


def check_ratio(ctx: Context, norm: Norm):
    code, target = norm.params["indicator"], norm.params["min"]
    unit = INDICATOR_UNITS[code]
    for county_id, values in _per_county(ctx).items():
        c = values[code]
        if c.value is None or c.value >= target:
            continue  # no value: reported by data_population_missing
        county = ctx.data.divisions[county_id]
        name = norm.name.removesuffix("（县域）")
        yield ctx.finding(
            norm,
            Where("county", county.id, county.name),
            round(c.value, 2),
            {"min": target},
            f"{county.name}{ctx.period.year}年{name}为{fmt(c.value, 2)}{unit}，低于目标值{fmt(target, 2)}。",
            period=str(ctx.period.year),
            numerator=c.numerator,
            denominator=c.denominator,
        )


for _rule in (
    "ratio_beds",
    "ratio_physicians",
    "ratio_nurses",
    "ratio_gps",
    "ratio_public_health_staff",
    "ratio_tcm_beds",
    "ratio_tcm_physicians",
    "ratio_psychiatrists",
    "ratio_private_beds",
):
    check(_rule)(check_ratio)
