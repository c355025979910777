"""Village doctors: age, training, full-time study, insurance; loans of THC staff (seed 002)."""

from __future__ import annotations

import datetime as dt

from db.codes import STAFF_CATEGORY
from desktop.checks.findings import Where, cn_date, fmt
from desktop.checks.registry import Context, check
from desktop.norms import Norm
from desktop.snapshot import add_months, age_on


def village_doctors(ctx: Context, norm: Norm) -> list:
    return ctx.data.staff_of(norm.applies_to, norm.params["categories"])


def training_year(as_of: dt.date) -> int:
    """The yearly training norm is judged on a whole year: the check date's year once it has
    ended, else the year before."""
    return as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1


def _unit(ctx: Context, person) -> str:
    return ctx.data.facilities[person.facility_id].name


def _who(ctx: Context, person) -> str:
    """A person as a finding names them: unit, own category (a 执业助理医师 is no 乡村医生), name."""
    return f"{_unit(ctx, person)}{STAFF_CATEGORY.get(person.category, '')}{person.name}"


def must_leave(person, as_of, max_age: int) -> int | None:
    """The age of a village doctor past the age limit and not rehired, whom the check calls on to leave (and the
    subsidy roster therefore does not pay); None for anyone else. One rule for both."""
    age = age_on(person.birth_date, as_of)
    return age if age >= max_age and person.employment_form != "rehired" else None


@check("vd_age")
def check_age(ctx: Context, norm: Norm):
    limit = norm.params["max_age"]
    for s in village_doctors(ctx, norm):
        if (age := must_leave(s, ctx.as_of, limit)) is not None:
            yield ctx.finding(
                norm,
                ctx.data.where_person(s),
                age,
                {"max_age": limit},
                f"{_who(ctx, s)}已年满{age}周岁，仍在岗且未办理返聘，应按规定离岗退出或办理返聘。",
            )


@check("vd_training")
def check_training(ctx: Context, norm: Norm):
    year = training_year(ctx.as_of)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    need_sessions, need_days = norm.params["min_sessions"], norm.params["min_days"]
    totals = ctx.data.training_totals("on_post", start, end, free_only=True)
    for s in village_doctors(ctx, norm):
        if s.hire_date is not None and s.hire_date > start:
            continue  # not on post the whole year
        sessions, days = totals.get(s.id, (0, 0))
        if sessions < need_sessions or days < need_days:
            yield ctx.finding(
                norm,
                ctx.data.where_person(s),
                {"sessions": sessions, "days": days},
                {"min_sessions": need_sessions, "min_days": need_days},
                f"{_who(ctx, s)}{year}年参加免费培训{sessions}次、累计{days}天，"
                f"未达到每年不少于{need_sessions}次、累计不少于{need_days}天的要求。",
                period=str(year),
            )


@check("vd_full_time_study")
def check_full_time_study(ctx: Context, norm: Norm):
    years, min_days = norm.params["within_years"], norm.params["min_days"]
    since = add_months(ctx.as_of, -12 * years)
    studied = ctx.data.full_time_study_done(since, ctx.as_of, min_days)
    for s in village_doctors(ctx, norm):
        if s.hire_date is not None and s.hire_date > since:
            continue  # not yet due
        if s.id not in studied:
            yield ctx.finding(
                norm,
                ctx.data.where_person(s),
                0,
                {"within_years": years, "min_days": min_days},
                f"{_who(ctx, s)}近{years}年（{cn_date(since)}至{cn_date(ctx.as_of)}）没有1个月以上的脱产进修记录。",
            )


@check("vd_insurance")
def check_insurance(ctx: Context, norm: Norm):
    for s in village_doctors(ctx, norm):
        if s.liability_insured is not True:
            state = "未登记是否参保" if s.liability_insured is None else "未参加"
            yield ctx.finding(norm, ctx.data.where_person(s), state, "已参保", f"{_who(ctx, s)}{state}医疗责任保险。")


def _loans_of_establishment_staff(ctx: Context, norm: Norm):
    """Loans in the period of 在编 people from the facilities the rule covers: seed 002 item 7 is about them (a
    contract worker's secondment is the employer's own affair)."""
    lenders = {f.id for f in ctx.data.operating(norm.applies_to)}
    for loan in ctx.data.loans:
        if loan.from_facility_id not in lenders or loan.start_date > ctx.as_of:
            continue
        if loan.end_date is not None and loan.end_date < ctx.period.start:
            continue  # ended before the period
        if loan.employment_form == "establishment":
            yield loan


def _lent(ctx: Context, loan) -> tuple[str, Where]:
    place = ctx.data.where_facility(loan.from_facility_id)
    lender = ctx.data.facilities[loan.from_facility_id].name
    return f"{lender}在编人员{loan.name}", Where("person", loan.staff_id, loan.name, place.township, place.county)


@check("staff_loan_duration")
def check_loans(ctx: Context, norm: Norm):
    months = norm.params["max_months"]
    for loan in _loans_of_establishment_staff(ctx, norm):
        until = min(loan.end_date or ctx.as_of, ctx.as_of)
        latest = add_months(loan.start_date, months)
        planned_over = loan.end_date is not None and loan.end_date > latest
        if until > latest or planned_over:
            held = (until - loan.start_date).days / 30.44
            who, where = _lent(ctx, loan)
            if until > latest:
                returned = loan.end_date and loan.end_date <= ctx.as_of
                end_text = f"至{cn_date(loan.end_date)}" if returned else "至今未归还"
                what = f"自{cn_date(loan.start_date)}{end_text}，已借用约{fmt(held)}个月"
            else:
                what = f"借用期自{cn_date(loan.start_date)}计划至{cn_date(loan.end_date)}"
            yield ctx.finding(
                norm,
                where,
                round(held, 1),
                {"max_months": months},
                f"{who}被借用到{loan.to_unit}，{what}，超过{months}个月的期限。",
            )


@check("staff_loan_approval")
def check_loan_approval(ctx: Context, norm: Norm):
    for loan in _loans_of_establishment_staff(ctx, norm):
        if not (loan.approval or "").strip():
            who, where = _lent(ctx, loan)
            yield ctx.finding(
                norm,
                where,
                "未登记",
                "书面商借",
                f"{who}自{cn_date(loan.start_date)}起被借用到{loan.to_unit}，未登记区级及以上组织、人事部门的书面商借文件。",
            )
