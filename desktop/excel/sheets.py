"""The submission sheets: what each holds, read from the core, as form specifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.codes import (
    BUILDING_OWNERSHIP,
    EDUCATION,
    EMPLOYMENT_FORM,
    FACILITY_KIND,
    FACILITY_STATUS,
    FUNDING_SOURCE,
    INDICATOR_ATTRIBUTE,
    OWNERSHIP,
    PRACTICE_CATEGORY,
    SEVERITY,
    STAFF_CATEGORY,
    STAFF_STATUS,
    TCM_HALL,
    TITLE,
)
from db.models import Facility, ProjectFunding, StaffMember
from desktop.amounts import in_capitals
from desktop.checks.beds import VERDICTS, band_rule, bed_rows, stood_in_note
from desktop.checks.findings import cn_date
from desktop.checks.runner import run_checks
from desktop.excel.layout import Col, SheetSpec
from desktop.figures import on_post_by_facility, staff_on_post
from desktop.indicators import indicator_table
from desktop.lists import project_rows, task_rows, township_names
from desktop.norms import ensure_defaults, norms_in_force
from desktop.periods import Period
from desktop.plans import one_year, plan_in_force, targets_note
from desktop.records.fields import Field
from desktop.records.types import STAFF
from desktop.snapshot import Snapshot, paused_gc
from desktop.subsidies import VILLAGE_SUBSIDIES, subsidy_roster
from desktop.validators import mask_id_number, mask_phone


@dataclass(frozen=True)
class Context:
    session: Session
    period: Period
    today: dt.date
    area: str  # the county (or city) name, for titles
    unmask_ids: bool = False
    all_staff: bool = False  # the 花名册 lists those who left, retired or moved too, each with their state

    @property
    def as_of(self) -> dt.date:
        return self.period.as_of(self.today)


def _label(codes: dict[str, str]) -> Callable:
    return lambda code: codes.get(code, "") if code else ""


def facility_roster(ctx: Context) -> SheetSpec:
    s = ctx.session
    towns = township_names(s)
    staff = on_post_by_facility(s, ctx.as_of)
    # As the facilities stood on the period's last day: every one not closed, and a closed one still holding people
    # on post (its closing predates the check that refuses it): the 合计 of 在岗人员 is then the county's, and that
    # facility's row shows what to mend.
    rows = sorted(
        (f for f in Snapshot(s, ctx.as_of).facilities.values() if f.status != "closed" or staff.get(f.id)),
        key=lambda f: (f.division_id, f.id),
    )
    kind, own, status = _label(FACILITY_KIND), _label(OWNERSHIP), _label(FACILITY_STATUS)
    building, hall = _label(BUILDING_OWNERSHIP), _label(TCM_HALL)
    return SheetSpec(
        "facilities",
        f"{ctx.area}基层医疗卫生机构基本情况表",
        [
            Col("机构名称", lambda f: f.name),
            Col("机构类别", lambda f: kind(f.kind)),
            Col("乡镇（街道）", lambda f: towns.get(f.division_id, "")),
            Col("统一社会信用代码", lambda f: f.credit_code or "", kind="code"),
            Col("经济类型", lambda f: own(f.ownership)),
            Col("业务用房产权", lambda f: building(f.building_ownership)),
            Col("运营状态", lambda f: status(f.status)),
            Col("编制", _unless_closed(lambda f: f.approved_beds), kind="int", group="床位（张）", total=True),
            Col("实有", _unless_closed(lambda f: f.open_beds), kind="int", group="床位（张）", total=True),
            Col("健康养老", _unless_closed(lambda f: f.elderly_care_beds), kind="int", group="床位（张）", total=True),
            Col("中医", _unless_closed(lambda f: f.tcm_beds), kind="int", group="床位（张）", total=True),
            Col("业务用房面积（平方米）", lambda f: f.building_area, kind="float", total=True),
            Col("中医馆", lambda f: hall(f.tcm_hall)),
            Col("在岗人员（人）", lambda f: staff.get(f.id, 0), kind="int", total=True),
        ],
        rows,
        unit="张、平方米、人",
        notes=[f"注：在岗人员为{cn_date(ctx.as_of)}在岗人数。"],
    )


def _unless_closed(value: Callable) -> Callable:
    """A facility's beds, none once it is closed (the figures count the beds of facilities not closed)."""
    return lambda f: None if f.status == "closed" else value(f)


def _listed(field: Field) -> Col:
    """A column of a roster for a field its record's description lists, under the field's own header."""
    if field.kind in ("int", "float", "date"):
        return Col(field.header, lambda r: getattr(r, field.name), kind=field.kind)
    return Col(field.header, lambda r: field.display(getattr(r, field.name)))


def staff_roster(ctx: Context) -> SheetSpec:
    s = ctx.session
    towns = township_names(s)
    facilities = dict(s.execute(select(Facility.id, Facility.name)).all())
    division_of = dict(s.execute(select(Facility.id, Facility.division_id)).all())
    cols = (
        StaffMember.id,
        StaffMember.name,
        StaffMember.sex,
        StaffMember.id_number,
        StaffMember.birth_date,
        StaffMember.facility_id,
        StaffMember.category,
        StaffMember.practice_category,
        StaffMember.title,
        StaffMember.education,
        StaffMember.employment_form,
        StaffMember.hire_date,
        StaffMember.phone,
        *(getattr(StaffMember, f.name) for f in STAFF.listed),
    )
    with paused_gc():
        if ctx.all_staff:  # everyone hired by the period's end, on post or not, and their state on that day
            hired = or_(StaffMember.hire_date.is_(None), StaffMember.hire_date <= ctx.as_of)
            statement = select(*cols, StaffMember.status, StaffMember.status_date).where(hired)
            rows = sorted(s.execute(statement).all(), key=lambda r: (r.facility_id, r.id))
        else:
            rows = sorted(staff_on_post(s, ctx.as_of, *cols), key=lambda r: (r.facility_id, r.id))

    def state(r) -> str:
        gone = r.status != "on_post" and (r.status_date is None or r.status_date <= ctx.as_of)
        return STAFF_STATUS[r.status] if gone else "在岗"

    def gone_on(r):
        return r.status_date if state(r) != "在岗" else None

    listed = (
        [
            Col("在岗状态", state, width=10),
            Col("离岗日期", gone_on, kind="date", width=14),
        ]
        if ctx.all_staff
        else []
    )
    on_post = sum(1 for r in rows if state(r) == "在岗") if ctx.all_staff else len(rows)
    show_id = (lambda n: n) if ctx.unmask_ids else mask_id_number
    show_phone = (lambda n: n) if ctx.unmask_ids else mask_phone
    return SheetSpec(
        "staff",
        f"{ctx.area}卫生人员花名册",
        [
            Col("姓名", lambda r: r.name, counted=True),
            Col("性别", lambda r: "男" if r.sex == "M" else "女"),
            Col("身份证号码", lambda r: show_id(r.id_number), kind="code", width=22),
            Col("出生日期", lambda r: r.birth_date, kind="date", width=12)
            if ctx.unmask_ids
            else Col("出生年份", lambda r: r.birth_date.year, kind="code", width=10),
            Col("工作单位", lambda r: facilities[r.facility_id], width=30, wrap=True),
            Col("乡镇（街道）", lambda r: towns.get(division_of[r.facility_id], ""), width=12),
            Col("人员类别", lambda r: STAFF_CATEGORY[r.category], width=14),
            Col(
                "执业类别",
                lambda r: PRACTICE_CATEGORY.get(r.practice_category, "") if r.practice_category else "",
                width=10,
            ),
            Col("专业技术职称", lambda r: TITLE[r.title], width=14),
            Col("最高学历", lambda r: EDUCATION.get(r.education, "") if r.education else "", width=12),
            Col("用工形式", lambda r: EMPLOYMENT_FORM[r.employment_form], width=10),
            Col("参加工作日期", lambda r: r.hire_date, kind="date", width=14),
            Col("联系电话", lambda r: show_phone(r.phone) if r.phone else "", kind="code", width=14),
            *(_listed(f) for f in STAFF.listed),
            *listed,
        ],
        rows,
        notes=[
            f"注：本表列{cn_date(ctx.as_of)}在岗人员{on_post:,}人及此前离职、退休、调出的{len(rows) - on_post:,}人。"
            if ctx.all_staff
            else f"注：本表列{cn_date(ctx.as_of)}在岗人员。",
            *([] if ctx.unmask_ids else ["身份证号码按规定只显示前6位和后4位，联系电话隐去中间4位。"]),
        ],
    )


def bed_check(ctx: Context) -> SheetSpec:
    ensure_defaults(ctx.session)
    norm = norms_in_force(ctx.session, ctx.as_of)["bed_band"]
    rows = bed_rows(Snapshot(ctx.session, ctx.as_of), ctx.period.year, norm)
    return SheetSpec(
        "beds",
        f"{ctx.area}乡镇卫生院（社区卫生服务中心）床位配置核查表",
        [
            Col("机构名称", lambda r: r.name),
            Col("机构类别", lambda r: FACILITY_KIND[r.kind]),
            Col("服务范围乡村人口（人）", lambda r: r.population, kind="int", total=True),
            Col("实有床位（含养老）", lambda r: r.beds, kind="int", total=True),
            Col("其中健康养老床位", lambda r: r.elderly_care_beds, kind="int", total=True),
            Col("下限", lambda r: r.lower, kind="int", group="按规范测算床位（张）"),
            Col("上限", lambda r: r.upper, kind="int", group="按规范测算床位（张）"),
            Col(
                "人口口径",
                lambda r: "常住人口代替" if r.resident_stood_in else "乡村人口" if r.population is not None else "",
            ),
            Col("核查结论", lambda r: VERDICTS[r.verdict]),
        ],
        rows,
        unit="人、张",
        landscape=False,
        notes=[f"核查依据：{_clause(norm.source)}。{band_rule(norm)}。", *filter(None, [stood_in_note(rows)])],
    )


def _clause(source: str) -> str:
    """A norm's source without the words of its rule, which the sheet states as the norm holds it now (a bureau's
    edited band included): the document and its clause."""
    head, said, _rule = source.partition("：")
    return head if said and "》" in head else source


def indicators(ctx: Context) -> SheetSpec:
    rows = indicator_table(ctx.session, ctx.period.year, today=ctx.today, as_of=ctx.as_of)
    plan = plan_in_force(ctx.session, ctx.period.year)
    verdict = {"met": "达标", "not_met": "未达标", None: ""}
    return SheetSpec(
        "indicators",
        f"{ctx.area}卫生资源主要指标监测表（{ctx.period.year}年）",
        [
            Col("领域", lambda r: r.domain),
            Col("指标", lambda r: r.name, width=40, wrap=True),
            Col("单位", lambda r: r.unit),
            Col(f"基期值{one_year(r.baseline_year for r in rows)}", lambda r: r.baseline_value, kind="float"),
            Col(f"目标值{one_year(r.target_year for r in rows)}", lambda r: r.target_value, kind="float"),
            Col("方向", lambda r: "不低于" if r.direction == "at_least" else "不高于"),
            Col(f"{ctx.period.year}年值", lambda r: r.value if r.value is not None else (r.reason or ""), kind="float"),
            Col("数据来源", lambda r: "由台账计算" if r.computed else "填报"),
            Col("判定", lambda r: verdict[r.verdict]),
            Col("属性", lambda r: INDICATOR_ATTRIBUTE[r.attribute]),
        ],
        rows,
        notes=[targets_note(plan, ctx.period.year)],
    )


def _amount(funding: dict[int, dict[str, float]], source: str) -> Callable:
    return lambda r: funding.get(r.id, {}).get(source)


def projects(ctx: Context) -> SheetSpec:
    rows = project_rows(ctx.session, ctx.period, today=ctx.today)
    funding: dict[int, dict[str, float]] = {}
    for project_id, source, amount in ctx.session.execute(
        select(ProjectFunding.project_id, ProjectFunding.source, ProjectFunding.amount)
    ):
        funding.setdefault(project_id, {})[source] = amount
    money_cols = [
        Col(
            label.removesuffix("资金"),
            _amount(funding, code),
            kind="money",
            group="计划投资（万元）",
            total=True,
        )
        for code, label in FUNDING_SOURCE.items()
    ]
    return SheetSpec(
        "projects",
        f"{ctx.area}建设项目进度表（{ctx.period.label}）",
        [
            Col("项目名称", lambda r: r.name, width=34, wrap=True),
            Col("建设单位", lambda r: r.facility),
            Col("建设性质", lambda r: r.kind),
            Col("计划开工", lambda r: r.planned_start, kind="date"),
            Col("计划完工", lambda r: r.planned_completion, kind="date"),
            Col("合计", lambda r: r.planned_investment, kind="money", group="计划投资（万元）", total=True),
            *money_cols,
            Col("完成投资（万元）", lambda r: r.investment_completed, kind="money", total=True),
            Col("形象进度（%）", lambda r: r.progress, kind="percent"),
            Col("建设阶段", lambda r: r.stage),
            Col("预警", lambda r: "逾期" if r.overdue else "进度滞后" if r.behind else ""),
        ],
        rows,
        unit="万元",
    )


def tasks(ctx: Context) -> SheetSpec:
    rows = task_rows(ctx.session, ctx.period, today=ctx.today)
    return SheetSpec(
        "tasks",
        f"{ctx.area}重点任务推进台账（{ctx.period.label}）",
        [
            Col("台账", lambda r: r.ledger, width=24, wrap=True),
            Col("序号", lambda r: r.number),
            Col("任务名称", lambda r: r.title, width=30, wrap=True),
            Col("牵头单位", lambda r: r.lead_unit, width=14, wrap=True),
            Col("责任人", lambda r: r.responsible_person, width=15, wrap=True),
            Col("配合单位", lambda r: r.cooperating, width=30, wrap=True),
            Col("完成时限", lambda r: r.deadline, kind="date"),
            Col("推进状态", lambda r: r.status_label),
            Col("进展情况", lambda r: r.last_note, width=40, wrap=True),
            Col("报送日期", lambda r: r.last_update, kind="date"),
            Col("预警", lambda r: "逾期" if r.overdue else "本期未更新" if r.stale else ""),
            Col("备注", lambda r: r.note, width=20, wrap=True),
        ],
        rows,
    )


def subsidies(ctx: Context) -> SheetSpec:
    """Village doctors' subsidies: the ones the county pays out itself. (Talent subsidies of THC staff are paid
    inside the THC's performance pay, seed 002 item 6, so they are not on this roster.)"""
    roster = subsidy_roster(ctx.session, ctx.period, today=ctx.today)
    lines = roster.of("village_doctors")
    norms = norms_in_force(ctx.session, ctx.as_of)
    source = "；".join(dict.fromkeys(norms[r].source for r in VILLAGE_SUBSIDIES if r in norms))
    withheld = [
        f"未列入本表：{x.facility}{x.name}（{x.basis}）。" for x in roster.withheld if x.rule_id in VILLAGE_SUBSIDIES
    ]
    ids = dict(ctx.session.execute(select(StaffMember.id, StaffMember.id_number)).all())
    show_id = (lambda n: n) if ctx.unmask_ids else mask_id_number
    months = 3 if ctx.period.quarter else 12
    total = sum(x.monthly_yuan for x in lines) * months
    return SheetSpec(
        "subsidies",
        f"{ctx.area}乡村医生补贴发放表（{ctx.period.label}）",
        [
            Col("乡镇（街道）", lambda x: x.township),
            Col("村卫生室", lambda x: x.facility),
            Col("姓名", lambda x: x.name),
            Col("身份证号码", lambda x: show_id(ids[x.staff_id]), kind="code", width=22),
            Col("补贴项目", lambda x: x.rule_name),
            Col("月标准（元）", lambda x: x.monthly_yuan, kind="int", total=True),
            Col(f"本期金额（元，{months}个月）", lambda x: x.monthly_yuan * months, kind="int", total=True),
            Col("依据", lambda x: x.basis, width=30, wrap=True),
            Col("领取人签字", lambda x: "", width=14),
        ],
        lines,
        unit="元",
        notes=[f"本期合计金额（大写）：人民币{in_capitals(total)}。", f"补贴依据：{source}。", *withheld],
        signers=("审核人",),
    )


def findings(ctx: Context) -> SheetSpec:
    run = run_checks(ctx.session, ctx.period, today=ctx.today)
    return SheetSpec(
        "findings",
        f"{ctx.area}问题清单（{ctx.period.label}）",
        [
            Col("严重程度", lambda f: SEVERITY[f.severity]),
            Col("问题类别", lambda f: f.rule_name, width=22, wrap=True),
            Col("乡镇（街道）", lambda f: f.where.township or "", width=12, wrap=True),
            Col("位置", lambda f: f.where.name, width=22, wrap=True),
            Col("问题说明", lambda f: f.message, width=50, wrap=True),
            Col("依据", lambda f: f.source, width=36, wrap=True),
        ],
        run.findings,
    )


SHEETS: dict[str, tuple[str, Callable[[Context], SheetSpec]]] = {
    "facilities": ("基层医疗卫生机构基本情况表", facility_roster),
    "staff": ("卫生人员花名册", staff_roster),
    "beds": ("床位配置核查表", bed_check),
    "indicators": ("卫生资源主要指标监测表", indicators),
    "projects": ("建设项目进度表", projects),
    "tasks": ("重点任务推进台账", tasks),
    "subsidies": ("乡村医生补贴发放表", subsidies),
    "findings": ("问题清单", findings),
}
