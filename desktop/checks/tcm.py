"""TCM in the grassroots network (seed 003, box 5, item 2)."""

from __future__ import annotations

from collections import defaultdict

from desktop.checks.findings import Where, fmt
from desktop.checks.registry import Context, check
from desktop.norms import Norm

PHYSICIANS = ("physician", "assistant_physician")


def _by_county(ctx: Context, facilities) -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for f in facilities:
        county = ctx.data.county_of.get(f.division_id)
        if county is not None:
            out[county].append(f)
    return out


def _county_where(ctx: Context, county_id: int) -> Where:
    d = ctx.data.divisions[county_id]
    return Where("county", d.id, d.name)


@check("tcm_hall")
def check_tcm_hall(ctx: Context, norm: Norm):
    for f in ctx.data.operating(norm.applies_to):
        if f.tcm_hall == "none":
            yield ctx.finding(norm, ctx.data.where_facility(f.id), "无", "设置中医馆", f"{f.name}尚未设置中医馆。")


@check("tcm_model_hall_share")
def check_model_hall_share(ctx: Context, norm: Norm):
    minimum = norm.params["min_share"]
    for county_id, centres in _by_county(ctx, ctx.data.operating(norm.applies_to)).items():
        halls = [f for f in centres if f.tcm_hall != "none"]
        if not halls:
            continue  # no hall at all: tcm_hall reports each centre
        model = sum(1 for f in halls if f.tcm_hall == "model_hall")
        share = model / len(halls) * 100
        if share < minimum:
            name = ctx.data.divisions[county_id].name
            yield ctx.finding(
                norm,
                _county_where(ctx, county_id),
                round(share, 1),
                {"min": minimum},
                f"{name}基层中医馆{len(halls)}个，其中示范中医馆{model}个，占{fmt(share)}%，"
                f"低于{fmt(minimum)}%的目标。",
            )


@check("tcm_village_service")
def check_village_tcm(ctx: Context, norm: Norm):
    minimum = norm.params["min_share"]
    for county_id, units in _by_county(ctx, ctx.data.operating(norm.applies_to)).items():
        providing = sum(1 for f in units if f.provides_tcm)
        share = providing / len(units) * 100
        if share < minimum:
            name = ctx.data.divisions[county_id].name
            yield ctx.finding(
                norm,
                _county_where(ctx, county_id),
                round(share, 1),
                {"min": minimum},
                f"{name}村卫生室和社区卫生服务站共{len(units)}个，能提供中医药服务的{providing}个，"
                f"占{fmt(share)}%，低于{fmt(minimum)}%的目标。",
            )


def _centre_staff(ctx: Context, kinds) -> dict[int, list]:
    out: dict[int, list] = {f.id: [] for f in ctx.data.operating(kinds)}
    for s in ctx.data.staff_of(kinds):
        out[s.facility_id].append(s)
    return out


@check("tcm_physician_present")
def check_tcm_physician(ctx: Context, norm: Norm):
    need = norm.params["min_count"]
    for facility_id, staff in _centre_staff(ctx, norm.applies_to).items():
        n = sum(1 for s in staff if s.category in PHYSICIANS and s.practice_category == "tcm")
        if n < need:
            name = ctx.data.facilities[facility_id].name
            yield ctx.finding(
                norm,
                ctx.data.where_facility(facility_id),
                n,
                {"min": need},
                f"{name}在岗中医类别执业（助理）医师{n}名，少于至少{need}名的要求。",
            )


@check("tcm_staff_share")
def check_tcm_share(ctx: Context, norm: Norm):
    minimum = norm.params["min_share"]
    for facility_id, staff in _centre_staff(ctx, norm.applies_to).items():
        base = [s for s in staff if s.category in PHYSICIANS or s.category == "pharmacist"]
        if not base:
            continue
        tcm = sum(1 for s in base if s.practice_category == "tcm")  # TCM physicians, and pharmacists of TCM
        share = tcm / len(base) * 100
        if share < minimum:
            name = ctx.data.facilities[facility_id].name
            yield ctx.finding(
                norm,
                ctx.data.where_facility(facility_id),
                round(share, 1),
                {"min": minimum},
                f"{name}医师、药师共{len(base)}名，其中中医类别医师和中药师{tcm}名，占{fmt(share)}%，"
                f"低于{fmt(minimum)}%的要求。",
            )


@check("hospital_tcm_beds_share")
def check_hospital_tcm_beds(ctx: Context, norm: Norm):
    minimum = norm.params["min_share"]
    for f in ctx.data.operating(norm.applies_to):
        if not f.open_beds:
            continue
        share = (f.tcm_beds or 0) / f.open_beds * 100
        if share < minimum:
            yield ctx.finding(
                norm,
                ctx.data.where_facility(f.id),
                round(share, 1),
                {"min": minimum},
                f"{f.name}实有床位{f.open_beds}张，其中中医床位{f.tcm_beds or 0}张，占{fmt(share)}%，"
                f"低于{fmt(minimum)}%的要求。",
            )


@check("tcm_hospital_physician_share")
def check_tcm_hospital_physicians(ctx: Context, norm: Norm):
    minimum = norm.params["min_share"]
    for facility_id, staff in _centre_staff(ctx, norm.applies_to).items():
        physicians = [s for s in staff if s.category in PHYSICIANS]
        if not physicians:
            continue
        tcm = sum(1 for s in physicians if s.practice_category == "tcm")
        share = tcm / len(physicians) * 100
        if share < minimum:
            name = ctx.data.facilities[facility_id].name
            yield ctx.finding(
                norm,
                ctx.data.where_facility(facility_id),
                round(share, 1),
                {"min": minimum},
                f"{name}在岗执业（助理）医师{len(physicians)}名，其中中医类别{tcm}名，占{fmt(share)}%，"
                f"低于{fmt(minimum)}%的要求。",
            )
