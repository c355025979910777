"""Missing data is a finding, never a crash: population for the year, service areas."""

from __future__ import annotations

from collections import defaultdict

from desktop.checks.findings import Where
from desktop.checks.registry import Context, check
from desktop.norms import Norm


@check("data_population_missing")
def check_population(ctx: Context, norm: Norm):
    year = ctx.period.year
    pop = ctx.data.population(year)
    missing: dict[int | None, list] = defaultdict(list)
    for v in ctx.data.villages:
        if v.id not in pop:
            missing[ctx.data.township_of.get(v.id)].append(v)
    for township_id, villages in missing.items():
        where = ctx.data.where_division(township_id) if township_id else Where("county", 0, "（未归属乡镇）")
        names = "、".join(v.name for v in villages[:5]) + ("等" if len(villages) > 5 else "")
        yield ctx.finding(
            norm,
            where,
            len(villages),
            0,
            f"{where.name}有{len(villages)}个行政村（社区）缺少{year}年人口数据（{names}），"
            "相关床位核查和人口比例指标无法测算。",
            period=str(year),
        )
    totals = ctx.data.population_by_county(year)
    for county in ctx.data.counties:
        total = totals.get(county.id, 0)
        if total == 0:
            yield ctx.finding(
                norm,
                Where("county", county.id, county.name),
                0,
                "大于0",
                f"{county.name}{year}年常住人口合计为0或缺失，每千人口床位数等按人口计算的指标无法计算。",
                period=str(year),
            )


@check("data_service_area_missing")
def check_service_area(ctx: Context, norm: Norm):
    for f in ctx.data.operating(norm.applies_to):
        if not ctx.data.service_area.get(f.id):
            yield ctx.finding(
                norm,
                ctx.data.where_facility(f.id),
                0,
                "至少1个行政村",
                f"{f.name}未登记服务范围（服务的行政村或社区），无法按服务人口核查床位。",
            )
