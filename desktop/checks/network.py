"""The village network: standardisation, coverage, buildings, equipment (seeds 000, 003)."""

from __future__ import annotations

from collections import defaultdict

from db.codes import EQUIPMENT
from desktop.checks.findings import Where, fmt
from desktop.checks.registry import Context, check
from desktop.norms import Norm


@check("clinic_standardised_share")
def check_standardised(ctx: Context, norm: Norm):
    minimum = norm.params["min_share"]
    by_county: dict[int, list] = defaultdict(list)
    for f in ctx.data.operating(norm.applies_to):
        county = ctx.data.county_of.get(f.division_id)
        if county is not None:
            by_county[county].append(f)
    for county_id, clinics in by_county.items():
        done = sum(1 for f in clinics if f.standardised)
        share = done / len(clinics) * 100
        if share < minimum:
            county = ctx.data.divisions[county_id]
            yield ctx.finding(
                norm,
                Where("county", county.id, county.name),
                round(share, 1),
                {"min": minimum},
                f"{county.name}村卫生室{len(clinics)}个，达到规范化标准的{done}个，规范化率"
                f"{fmt(share)}%，低于{fmt(minimum)}%的目标。",
            )


@check("village_coverage")
def check_coverage(ctx: Context, norm: Norm):
    covered: set[int] = set()
    for f in ctx.data.operating(norm.applies_to):
        covered.update(ctx.data.service_area.get(f.id, ()))
    # A THC or CHSC located in the village serves it too.
    covered.update(f.division_id for f in ctx.data.operating(("central_thc", "thc", "chsc")))
    for v in ctx.data.villages:
        if v.kind == "village" and v.id not in covered:
            where = ctx.data.where_division(v.id)
            yield ctx.finding(
                norm,
                where,
                "无",
                "有村卫生室服务",
                f"{where.township or ''}{v.name}没有村卫生室（或设在本村的卫生院）提供服务，存在医疗服务空白点。",
            )


@check("township_centre_coverage")
def check_township_centres(ctx: Context, norm: Norm):
    """Every township and street in force has a THC or CHSC of its own (seed 000: 乡镇（街道）全覆盖)."""
    served = {ctx.data.township_of.get(f.division_id) for f in ctx.data.operating(norm.applies_to)}
    served |= {f.division_id for f in ctx.data.operating(norm.applies_to)}
    for d in ctx.data.divisions.values():
        if d.kind not in ("township", "street") or d.id in served:
            continue
        if d.withdrawn_on is not None and d.withdrawn_on <= ctx.as_of:
            continue
        where = ctx.data.where_division(d.id)
        kind = "社区卫生服务中心" if d.kind == "street" else "乡镇卫生院"
        yield ctx.finding(
            norm,
            where,
            "无",
            "有卫生院或社区卫生服务中心",
            f"{where.county or ''}{d.name}没有在运行的{kind}（或中心卫生院），未实现乡镇（街道）全覆盖。",
        )


@check("clinic_rented_building")
def check_rented(ctx: Context, norm: Norm):
    for f in ctx.data.operating(norm.applies_to):
        if f.building_ownership == "rented_private":
            yield ctx.finding(
                norm,
                ctx.data.where_facility(f.id),
                "租用村民房屋",
                "公有产权",
                f"{f.name}租用村民房屋，应列入迁址新建计划，逐步实现资产公有化。",
            )


def _equipment(ctx: Context, norm: Norm, what: str):
    items = norm.params["items"]
    for f in ctx.data.operating(norm.applies_to):
        have = ctx.data.equipment.get(f.id, {})
        missing = [EQUIPMENT[i] for i in items if have.get(i, 0) <= 0]
        if missing:
            yield ctx.finding(
                norm,
                ctx.data.where_facility(f.id),
                [i for i in items if have.get(i, 0) > 0],
                {"required": items},
                f"{f.name}缺少{what}基本设备：{'、'.join(missing)}。",
                missing=missing,
            )


@check("thc_equipment")
def check_thc_equipment(ctx: Context, norm: Norm):
    return _equipment(ctx, norm, "乡镇卫生院")


@check("clinic_equipment")
def check_clinic_equipment(ctx: Context, norm: Norm):
    return _equipment(ctx, norm, "村卫生室")
