"""Development plans (十四五, 十五五): which plan judges a year, said the same way on the 规划指标 page, in the
sheets, the report, the ratio checks and ``countyhealth plans``.

A year is judged against the plan whose years hold it (the later-starting one if two overlap). A year after every
plan carries on with the last plan's targets, and says so: it is December 2026 and the 十四五 plan has ended, but
until the bureau enters its 十五五 plan, the 2025 targets are the only ones it has. A year before every plan has
none.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from db.models import Indicator, Plan


@dataclass(frozen=True)
class PlanInForce:
    id: int
    name: str
    start_year: int
    end_year: int
    source: str | None
    year: int  # the year judged

    @property
    def carried(self) -> bool:
        """The year lies after the plan: its targets carried on for want of a newer one."""
        return self.year > self.end_year

    @property
    def label(self) -> str:
        return f"“{self.name}”规划（{self.start_year}～{self.end_year}年）"

    def note(self) -> str:
        """Which targets judge the year, in a sentence."""
        if self.carried:
            return (
                f"{self.year}年不在已录入的规划期内，沿用{self.label}的目标值；"
                "录入新一期规划后，该年按新规划的目标值判定。"
            )
        return f"{self.year}年按{self.label}的目标值判定。"


def plan_in_force(session_or_connection, year: int) -> PlanInForce | None:
    """The plan that judges ``year``; None when no plan starts by then."""
    plans = session_or_connection.execute(
        select(Plan.id, Plan.name, Plan.start_year, Plan.end_year, Plan.source).where(Plan.start_year <= year)
    ).all()
    if not plans:
        return None
    covering = [p for p in plans if p.end_year >= year]
    if covering:
        chosen = max(covering, key=lambda p: (p.start_year, p.id))
    else:  # after every plan: the one that ended last
        chosen = max(plans, key=lambda p: (p.end_year, p.start_year))
    return PlanInForce(chosen.id, chosen.name, chosen.start_year, chosen.end_year, chosen.source, year)


def targets_note(plan: PlanInForce | None, year: int) -> str:
    """Which targets judge ``year``, as the page, the sheet, the report and the command line say it."""
    return plan.note() if plan else f"尚未录入{year}年及以前开始的规划，没有可判定的指标。"


def one_year(years) -> str:
    """ "（2020年）" when the indicators share one baseline (or target) year, for a column's header; else nothing."""
    distinct = {y for y in years if y is not None}
    return f"（{distinct.pop()}年）" if len(distinct) == 1 else ""


@dataclass(frozen=True)
class Target:
    """A computed indicator's target in the plan judging a year: what a ratio check holds the records to."""

    plan: PlanInForce
    name: str
    value: float
    year: int | None  # the target's year (2025)
    direction: str  # at_least / at_most
    source: str | None

    @property
    def cited(self) -> str | None:
        """The document a finding about it cites: the indicator's own source, else its plan's."""
        return self.source or self.plan.source

    @property
    def words(self) -> str:
        """ "“十四五”规划2025年目标值", as a finding names it."""
        return f"“{self.plan.name}”规划{f'{self.year}年' if self.year else ''}目标值"


def computed_targets(session_or_connection, year: int) -> dict[str, Target]:
    """The targets of the computed indicators (by what computes them) in the plan judging ``year``."""
    plan = plan_in_force(session_or_connection, year)
    if plan is None:
        return {}
    rows = session_or_connection.execute(
        select(
            Indicator.computed_by,
            Indicator.name,
            Indicator.target_value,
            Indicator.target_year,
            Indicator.direction,
            Indicator.source,
        ).where(Indicator.plan_id == plan.id, Indicator.computed_by.is_not(None), Indicator.target_value.is_not(None))
    ).all()
    return {r.computed_by: Target(plan, r.name, r.target_value, r.target_year, r.direction, r.source) for r in rows}
