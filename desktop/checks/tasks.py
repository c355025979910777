"""Key tasks overdue or without an update in the reporting quarter (seed 001)."""

from __future__ import annotations

import datetime as dt

from db.codes import TASK_STATUS
from desktop.checks.findings import Where, cn_date
from desktop.checks.registry import Context, check
from desktop.norms import Norm
from desktop.records.types import task_heading

CLOSED = ("done", "struck_off")


def status_as_of(ctx: Context, task) -> str:
    updates = ctx.data.task_updates.get(task.id, ())
    reported = [u for u in updates if u.date <= ctx.as_of]
    if reported:
        return reported[-1].status
    return task.status if not updates else "not_started"


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _where(task) -> Where:
    return Where("task", task.id, task_heading(task.number, task.title))


def _named(task) -> str:
    """A task as a finding names it: its ledger, its place in it, its title and lead unit."""
    return f"{task.ledger}{task_heading(task.number, task.title)}（牵头单位：{task.lead_unit}）"


@check("task_overdue")
def check_overdue(ctx: Context, norm: Norm):
    for t in ctx.data.tasks:
        status = status_as_of(ctx, t)
        if t.deadline is not None and t.deadline < ctx.as_of and status not in CLOSED:
            late = (ctx.as_of - t.deadline).days
            yield ctx.finding(
                norm,
                _where(t),
                TASK_STATUS[status],
                {"deadline": str(t.deadline)},
                f"{_named(t)}应于{cn_date(t.deadline)}完成，"
                f"截至{cn_date(ctx.as_of)}仍为“{TASK_STATUS[status]}”，已逾期{late}天。",
                source=t.source_document,
                ledger=t.ledger,
                lead_unit=t.lead_unit,
            )


@check("task_stale")
def check_stale(ctx: Context, norm: Norm):
    since = quarter_start(ctx.as_of)
    for t in ctx.data.tasks:
        if status_as_of(ctx, t) in CLOSED:
            continue
        updates = [u for u in ctx.data.task_updates.get(t.id, ()) if u.date <= ctx.as_of]
        if any(u.date >= since for u in updates):
            continue
        last = updates[-1].date if updates else None
        when = (
            f"自{cn_date(since)}以来没有进展更新，最近一次更新为{cn_date(last)}"
            if last
            else f"从未填报进展（{cn_date(since)}起的本季度应至少更新一次）"
        )
        yield ctx.finding(
            norm,
            _where(t),
            str(last) if last else None,
            {"since": str(since)},
            f"{_named(t)}{when}。",
            source=t.source_document,
            ledger=t.ledger,
            lead_unit=t.lead_unit,
        )
