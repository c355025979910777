"""Construction projects overdue or behind, and THCs' yearly special funds (seeds 000, 002)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.checks.findings import Where, cn_date, fmt
from desktop.checks.registry import Context, check
from desktop.norms import Norm

DONE_STAGES = ("completed", "in_use")


@dataclass(frozen=True)
class ProjectState:
    stage: str
    progress: float
    done: bool


def state_as_of(ctx: Context, project) -> ProjectState:
    """The project as last reported on or before the check date."""
    updates = [u for u in ctx.data.project_updates.get(project.id, ()) if u.date <= ctx.as_of]
    if updates:
        last = updates[-1]
        stage, progress = last.stage, last.progress
    elif ctx.data.project_updates.get(project.id):
        stage, progress = "preparation", 0.0  # every report is later than the check date
    else:
        stage, progress = project.stage, project.progress
    done = (
        stage in DONE_STAGES
        or progress >= 100
        or (project.actual_completion is not None and project.actual_completion <= ctx.as_of)
    )
    return ProjectState(stage, progress, done)


def _where(project) -> Where:
    return Where("project", project.id, project.name)


@check("project_overdue")
def check_overdue(ctx: Context, norm: Norm):
    for p in ctx.data.projects:
        state = state_as_of(ctx, p)
        if p.planned_completion < ctx.as_of and not state.done:
            late = (ctx.as_of - p.planned_completion).days
            yield ctx.finding(
                norm,
                _where(p),
                fmt(state.progress),
                {"planned_completion": str(p.planned_completion)},
                f"{p.name}计划{cn_date(p.planned_completion)}完工，截至{cn_date(ctx.as_of)}已逾期{late}天，"
                f"形象进度{fmt(state.progress)}%。",
                days_late=late,
            )


@check("project_behind")
def check_behind(ctx: Context, norm: Norm):
    margin = norm.params["margin_points"]
    for p in ctx.data.projects:
        if p.planned_start > ctx.as_of or p.planned_completion < ctx.as_of:
            continue  # not started yet, or overdue (reported as such)
        state = state_as_of(ctx, p)
        if state.done:
            continue
        span = (p.planned_completion - p.planned_start).days
        elapsed = 100.0 if span <= 0 else (ctx.as_of - p.planned_start).days / span * 100
        gap = elapsed - state.progress
        if gap > margin:
            yield ctx.finding(
                norm,
                _where(p),
                fmt(state.progress),
                {"expected": round(elapsed, 1), "margin": margin},
                f"{p.name}计划工期已过{fmt(elapsed)}%，形象进度仅{fmt(state.progress)}%，"
                f"落后{fmt(gap)}个百分点（超过{fmt(margin)}个百分点即为滞后）。",
            )


@check("thc_special_funds")
def check_special_funds(ctx: Context, norm: Norm):
    low, high = norm.params["min"], norm.params["max"]
    year = ctx.period.year
    for f in ctx.data.operating(norm.applies_to):
        amount = ctx.data.special_funds.get((f.id, year))
        if amount is None:
            message = f"{f.name}未登记{year}年基础设施和设备专项资金（标准为每年{fmt(low)}～{fmt(high)}万元）。"
        elif amount < low:
            message = f"{f.name}{year}年专项资金{fmt(amount)}万元，低于每年{fmt(low)}万元的标准。"
        elif amount > high:
            message = f"{f.name}{year}年专项资金{fmt(amount)}万元，高于每年{fmt(high)}万元的标准。"
        else:
            continue
        yield ctx.finding(
            norm, ctx.data.where_facility(f.id), amount, {"min": low, "max": high}, message, period=str(year)
        )
