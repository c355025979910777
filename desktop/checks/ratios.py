"""County resource ratios against the targets of the plan judging the year (desktop/plans.py): the check and the
indicator table read the same target, so they cannot disagree. A ratio the plan sets no target for is not
checked."""

from __future__ import annotations

from desktop.checks.findings import Where, fmt
from desktop.checks.registry import Context, NothingToJudge, check
from desktop.indicators import resource_indicators
from desktop.norm_parameters import INDICATOR_UNITS
from desktop.norms import Norm
from desktop.plans import Target, computed_targets, plan_in_force


def _per_county(ctx: Context) -> dict[int, dict]:
    cache = ctx.data.__dict__.setdefault("_ratios", {})
    year = ctx.period.year
    if year not in cache:
        cache[year] = {c.id: resource_indicators(ctx.data, year, {c.id}) for c in ctx.data.counties}
    return cache[year]


def _targets(ctx: Context) -> dict[str, Target]:
    cache = ctx.data.__dict__.setdefault("_targets", {})
    year = ctx.period.year
    if year not in cache:
        cache[year] = computed_targets(ctx.data.conn, year)
    return cache[year]


def check_ratio(ctx: Context, norm: Norm):
    code = norm.params["indicator"]
    target = _targets(ctx).get(code)
    if target is None:
        plan = plan_in_force(ctx.data.conn, ctx.period.year)
        said = f"{plan.label}未设该指标的目标值" if plan else f"尚未录入{ctx.period.year}年及以前开始的规划"
        raise NothingToJudge(said)
    unit = INDICATOR_UNITS[code]
    short = target.direction == "at_least"
    for county_id, values in _per_county(ctx).items():
        c = values[code]
        if c.value is None or (c.value >= target.value if short else c.value <= target.value):
            continue  # no value: reported by data_population_missing
        county = ctx.data.divisions[county_id]
        name = norm.name.removesuffix("（县域）")
        yield ctx.finding(
            norm,
            Where("county", county.id, county.name),
            round(c.value, 2),
            {"min" if short else "max": target.value},
            f"{county.name}{ctx.period.year}年{name}为{fmt(c.value, 2)}{unit}，"
            f"{'低于' if short else '高于'}{target.words}{fmt(target.value, 2)}。",
            period=str(ctx.period.year),
            numerator=c.numerator,
            denominator=c.denominator,
            source=target.cited,
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
