"""The quarterly report's one description: what it says, section by section, whatever file it is written to.

The figures are gathered once (``gather``), each section is a function of them, and the result is a plain
``Report`` of headings, paragraphs, tables and charts that ``desktop.report.pdf`` and ``desktop.report.word``
lay out. Nothing here knows of pages or fonts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.codes import STAFF_CATEGORY, TITLE
from db.models import ProjectUpdate, StaffMember
from desktop.checks.beds import VERDICTS, BedRow, band_rule, bed_rows, stood_in_note
from desktop.checks.findings import Finding, cn_date
from desktop.checks.runner import CheckRun, run_checks
from desktop.checks.village_doctors import training_year
from desktop.figures import Figures, headline_figures, staff_on_post
from desktop.indicators import indicator_table
from desktop.lists import ProjectRow, TaskRow, project_rows, task_rows
from desktop.norm_parameters import parameters_text
from desktop.norms import ensure_defaults, norms_in_force
from desktop.overview import overview
from desktop.periods import Period
from desktop.plans import plan_in_force, targets_note
from desktop.profile import Profile, load_profile
from desktop.records.types import task_heading
from desktop.snapshot import Snapshot, age_on
from desktop.subsidies import roster_summary

NUMERALS = "一二三四五六七八九十"


# --- the blocks a report is made of ------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int  # 1: 一、 2: （一） 3: 1．
    text: str  # with its number


@dataclass(frozen=True)
class Para:
    text: str
    kind: str = "body"  # body, note (smaller, a table's remark)


@dataclass(frozen=True)
class Column:
    head: str
    share: float  # of the text width
    numeric: bool = False


@dataclass(frozen=True)
class Progress:
    """A project's 形象进度 in a cell: a bar in the PDF, a percentage in Word."""

    percent: float

    def __str__(self) -> str:
        return f"{self.percent:.0f}%"


@dataclass(frozen=True)
class Table:
    caption: str  # 表1 …
    columns: list[Column]
    rows: list[list[Any]]
    marks: dict[int, str] = field(default_factory=dict)  # data row -> "bad" or "warn"
    total: bool = False  # the last row is a 合计
    unit: str = ""  # 单位：人, printed at the caption's right


@dataclass(frozen=True)
class Chart:
    caption: str  # 图1 …
    beds: list[BedRow]  # the one chart the report has: centres' beds against their bands


Block = Heading | Para | Table | Chart


@dataclass(frozen=True)
class Attachment:
    title: str
    blocks: list[Block]


@dataclass(frozen=True)
class Letterhead:
    """What a clerk may change per report; the profile gives the rest."""

    doc_number: str = ""  # 发文字号, e.g. 清卫健〔2026〕15号
    addressee: str = ""  # 主送机关, without its colon
    signed: dt.date | None = None  # 成文日期; the day the report is made when not given


@dataclass(frozen=True)
class Report:
    office: str  # 发文机关 (its 标志 adds 文件)
    doc_number: str
    signer: str  # 签发人, the head of unit
    title_lines: list[str]  # the title, broken where its sense allows
    addressee: str
    blocks: list[Block]
    attachments: list[Attachment]
    signed: dt.date
    period: Period
    area: str

    @property
    def title(self) -> str:
        return "".join(self.title_lines)


# --- the figures, gathered once ----------------------------------------------------------------------------


@dataclass
class Facts:
    period: Period
    today: dt.date
    as_of: dt.date
    profile: Profile
    area: str
    run: CheckRun
    figures: Figures
    norms: dict
    indicators: list
    plan: Any
    beds: list[BedRow]
    projects: list[ProjectRow]
    tasks: list[TaskRow]
    projects_before: dict[int, float]  # project -> progress at the end of the previous quarter
    staff: list
    counts: Any  # desktop.overview's counts
    project_places: dict[int, Any]  # project -> the Where of its facility (its township and county)
    tables: int = 0
    charts: int = 0

    @property
    def period_end(self) -> str:
        """How the text names the day the figures are counted at: a quarter's end, or a year's."""
        return "本季度末" if self.period.quarter is not None else "年末"

    @property
    def progress_span(self) -> tuple[str, str]:
        """(the column of a project's progress in the period, what it is counted from)."""
        return ("本季度进展", "上季度末") if self.period.quarter is not None else ("本年进展", "上年末")

    @property
    def stale_span(self) -> str:
        """The quarter a task must have had an update in (desktop/checks/tasks.py: the quarter of the day the check
        looks at), as the report names it: a year's report names which."""
        if self.period.quarter is not None:
            return "本季度"
        return f"第{'一二三四'[(self.as_of.month - 1) // 3]}季度"

    def table(self, title: str) -> str:
        self.tables += 1
        return f"表{self.tables}  {title}"

    def chart(self, title: str) -> str:
        self.charts += 1
        return f"图{self.charts}  {title}"

    @property
    def by_rule(self) -> dict[str, list[Finding]]:
        return self.run.by_rule()

    def place(self, where) -> tuple[str | None, str]:
        """(county, township) a finding is counted under; a project under its facility's township, a task or
        the county itself under 县级."""
        if where.kind == "project" and where.id in self.project_places:
            where = self.project_places[where.id]
        if where.township:
            return where.county, where.township
        return where.county, "县级" if where.kind in ("county", "task", "project") else where.name


def gather(session: Session, period: Period, today: dt.date) -> Facts:
    ensure_defaults(session)
    profile = load_profile(session)
    as_of = period.as_of(today)
    run = run_checks(session, period, today=today)
    norms = norms_in_force(session, as_of)
    previous = period.previous_quarter()  # a year's: the year before, so its 本年进展 counts from 上年末
    before: dict[int, tuple[dt.date, float]] = {}
    for pid, day, progress in session.execute(
        select(ProjectUpdate.project_id, ProjectUpdate.date, ProjectUpdate.progress)
    ):
        if day <= previous.end and (pid not in before or day > before[pid][0]):
            before[pid] = (day, progress)
    staff = staff_on_post(
        session,
        as_of,
        StaffMember.category,
        StaffMember.title,
        StaffMember.birth_date,
        StaffMember.id,
        StaffMember.employment_form,
        StaffMember.facility_id,
    )
    snapshot = Snapshot(session, as_of)
    places = {
        p.id: snapshot.where_facility(p.facility_id) for p in snapshot.projects if p.facility_id in snapshot.facilities
    }
    return Facts(
        period=period,
        today=today,
        as_of=as_of,
        profile=profile,
        area=profile.area_name or "本县",
        run=run,
        figures=headline_figures(session, period, today=today, findings=run),
        norms=norms,
        indicators=indicator_table(session, period.year, today=today, as_of=as_of),
        plan=plan_in_force(session, period.year),
        beds=bed_rows(snapshot, period.year, norms["bed_band"]),
        projects=project_rows(session, period, today=today),
        tasks=task_rows(session, period, today=today),
        projects_before={pid: progress for pid, (_day, progress) in before.items()},
        staff=staff,
        counts=overview(session),
        project_places=places,
    )


def _num(v: float | None, digits: int = 2) -> str:
    if v is None:
        return "—"
    text = f"{v:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- the sections ------------------------------------------------------------------------------------------


def summary(f: Facts) -> list[Block]:
    fig, by_sev = f.figures, f.figures.findings_by_severity
    unmet = [r for r in f.indicators if r.computed and r.verdict == "not_met"]
    out: list[Block] = [
        Heading(1, "一、总体情况"),
        Para(
            f"截至{cn_date(f.as_of)}，全{f.area[-1]}共有医疗卫生机构{fig.facilities:,}个（其中运营{fig.operating:,}个），"
            f"在岗卫生人员{fig.staff_on_post:,}人，实有床位{fig.open_beds:,}张，在建及已建成建设项目{f.counts.projects}个，"
            f"重点任务{f.counts.key_tasks}项。"
        ),
        Para(
            f"按{cn_date(f.as_of)}生效的核查规范逐项核查，共发现问题{fig.findings:,}条，其中严重{by_sev['high']}条、"
            f"一般{by_sev['medium']}条、提示{by_sev['low']}条。由台账计算的卫生资源指标中，"
            + (f"{len(unmet)}项未达到{f.plan.label}的目标值。" if f.plan else "没有可判定的规划目标（尚未录入规划）。")
        ),
    ]
    if f.as_of < f.today:
        out.append(
            Para(
                "本报告按报告期末的情况编写：核查规范按当日生效的版本，人员按当日在岗情况，建设项目和重点任务按当日"
                "以前最近一次填报的进展，机构的床位、状态、设备和服务范围按当日情况。"
            )
        )
    rules = f.by_rule
    main = [fs[0] for fs in rules.values() if fs[0].severity == "high"][:6]
    if main:
        out.append(Heading(2, "（一）主要问题"))
        for k, first in enumerate(main, 1):
            more = f"（同类问题共{len(rules[first.rule_id])}条）" if len(rules[first.rule_id]) > 1 else ""
            out.append(Para(f"{k}．{first.message}{more}"))
    return out


def resources(f: Facts) -> list[Block]:
    verdict = {"met": "达标", "not_met": "未达标", None: "—"}
    rows, marks = [], {}
    for r in f.indicators:
        rows.append(
            [
                r.name,
                r.unit,
                _num(r.baseline_value),
                ("≥" if r.direction == "at_least" else "≤") + _num(r.target_value),
                _num(r.value) if r.value is not None else (r.reason or "—"),
                "计算" if r.computed else "填报",
                verdict[r.verdict],
            ]
        )
        if r.verdict == "not_met":
            marks[len(rows) - 1] = "bad"
    columns = [
        Column("指标", 0.36),
        Column("单位", 0.09),
        Column("基期值", 0.1, True),
        Column("目标值", 0.1, True),
        Column(f"{f.period.year}年值", 0.14, True),
        Column("来源", 0.09),
        Column("判定", 0.12),
    ]
    return [
        Heading(1, "二、卫生资源主要指标"),
        Para(
            f"下表中“由台账计算”的指标按{f.period_end}在岗人员和实有床位、当年常住人口计算，其余为填报数。"
            + targets_note(f.plan, f.period.year)
        ),
        Table(f.table("卫生资源主要指标"), columns, rows, marks),
    ]


def beds(f: Facts) -> list[Block]:
    norm = f.norms["bed_band"]
    rows, marks = [], {}
    for b in f.beds:
        people = "—" if b.population is None else _num(b.population, 0) + ("（常住）" if b.resident_stood_in else "")
        rows.append([b.name, people, b.beds, b.band or "—", VERDICTS[b.verdict]])
        if b.verdict in ("under", "over"):
            marks[len(rows) - 1] = "bad" if b.verdict == "under" else "warn"
    columns = [
        Column("机构", 0.36),
        Column("服务范围乡村人口（人）", 0.2, True),
        Column("实有床位（含养老，张）", 0.18, True),
        Column("床位区间（张）", 0.14),
        Column("结论", 0.12),
    ]
    out: list[Block] = [
        Heading(1, "三、乡镇卫生院床位配置核查"),
        Para(f"按{band_rule(norm)}测算（{norm.source}）。"),
        Table(f.table("乡镇卫生院床位配置核查"), columns, rows, marks),
    ]
    if note := stood_in_note(f.beds):
        out.append(Para(note, "note"))
    drawn = [b for b in f.beds if b.lower is not None]
    for start in range(0, len(drawn), 30):  # a page holds about 30 centres
        part = "" if len(drawn) <= 30 else f"（{start // 30 + 1}）"
        out.append(Chart(f.chart(f"乡镇卫生院实有床位与测算床位区间{part}"), drawn[start : start + 30]))
    return out


def staff(f: Facts) -> list[Block]:
    titles = list(TITLE)
    table = Counter((s.category, s.title) for s in f.staff)
    rows = []
    for cat, label in STAFF_CATEGORY.items():
        counts = [table[(cat, t)] for t in titles]
        if sum(counts):
            rows.append([label, *counts, sum(counts)])
    rows.append(["合计", *[sum(table[(c, t)] for c in STAFF_CATEGORY) for t in titles], len(f.staff)])
    rest = (1 - 0.18 - 0.1) / len(titles)
    columns = [Column("人员类别", 0.18), *[Column(TITLE[t], rest, True) for t in titles], Column("合计", 0.1, True)]
    out: list[Block] = [
        Heading(1, "四、卫生人员"),
        Heading(2, "（一）按人员类别和职称"),
        Table(f.table("在岗卫生人员按类别和职称"), columns, rows, total=True, unit="单位：人"),
    ]
    village = [s for s in f.staff if s.category == "village_doctor"]  # the table's 乡村医生, wherever they work
    bands: Counter[str] = Counter()
    for s in village:
        age = age_on(s.birth_date, f.as_of)
        bands["40岁以下" if age < 40 else "40-49岁" if age < 50 else "50-59岁" if age < 60 else "60岁及以上"] += 1
    text = (
        f"在岗乡村医生{f.figures.village_doctors:,}人，其中40岁以下{bands['40岁以下']}人、40～49岁{bands['40-49岁']}人、"
        f"50～59岁{bands['50-59岁']}人、60岁及以上{bands['60岁及以上']}人。"
    )
    rules = f.by_rule
    if "vd_age" in f.run.norms:  # the exit age is the norm's, and the people past it are the check's findings
        limit = f.run.norms["vd_age"].params["max_age"]
        past = [s for s in village if age_on(s.birth_date, f.as_of) >= limit]
        rehired = sum(1 for s in past if s.employment_form == "rehired")
        text += (
            f"年满{limit}周岁仍在岗的乡村医生{len(past)}人，已办理返聘{rehired}人、未办理返聘{len(past) - rehired}人；"
            f"村卫生室年满{limit}周岁仍在岗且未办理返聘、应离岗退出的人员（含执业（助理）医师）共"
            f"{len(rules.get('vd_age', []))}人，见附件1。"
        )
    out += [Heading(2, "（二）乡村医生年龄结构"), Para(text)]
    out.append(
        Para(
            f"{training_year(f.as_of)}年度乡村医生免费培训（每年不少于2次、累计不少于2周）未达标"
            f"{len(rules.get('vd_training', []))}人；近5年没有1个月以上脱产进修的"
            f"{len(rules.get('vd_full_time_study', []))}人。"
        )
    )
    if f.figures.subsidies is not None:
        out.append(Para(f"生活补贴：{roster_summary(f.figures.subsidies)}。"))
    return out


def projects(f: Facts) -> list[Block]:
    ps = f.projects
    overdue, behind = sum(r.overdue for r in ps), sum(r.behind for r in ps)
    rows, marks = [], {}
    for r in ps:
        delta = r.progress - f.projects_before[r.id] if r.id in f.projects_before else None
        rows.append(
            [
                r.name,
                r.stage,
                Progress(r.progress),
                f"{_num(r.investment_completed, 1)} / {_num(r.planned_investment, 1)}",
                "—" if delta is None else f"+{delta:.0f}个百分点",
                "逾期" if r.overdue else "滞后" if r.behind else "",
            ]
        )
        if r.overdue or r.behind:
            marks[len(rows) - 1] = "bad" if r.overdue else "warn"
    columns = [
        Column("项目", 0.32),
        Column("阶段", 0.1),
        Column("形象进度", 0.18),
        Column("完成/计划投资（万元）", 0.18, True),
        Column(f.progress_span[0], 0.14),
        Column("预警", 0.08),
    ]
    return [
        Heading(1, "五、建设项目"),
        Para(
            f"共{len(ps)}个项目，计划总投资{_num(sum(r.planned_investment for r in ps), 1)}万元，"
            f"累计完成投资{_num(sum(r.investment_completed for r in ps), 1)}万元；逾期未完工{overdue}个，"
            f"进度滞后{behind}个（表中以底色标出）。“{f.progress_span[0]}”为形象进度较{f.progress_span[1]}的增加。"
        ),
        Table(f.table("建设项目进展"), columns, rows, marks),
    ]


def tasks(f: Facts) -> list[Block]:
    status = Counter(t.status_label for t in f.tasks)
    rows = [
        [
            task_heading(t.number, t.title),
            t.lead_unit,
            cn_date(t.deadline) if t.deadline else "—",
            t.status_label,
            "逾期" if t.overdue else f"{f.stale_span}未更新",
        ]
        for t in f.tasks
        if t.overdue or t.stale
    ]
    out: list[Block] = [
        Heading(1, "六、重点任务"),
        Para(
            "、".join(f"{k}{v}项" for k, v in status.items())
            + "。"
            + (f"逾期和{f.stale_span}未更新进展的任务如下。" if rows else "")
        ),
    ]
    if rows:
        columns = [
            Column("任务", 0.34),
            Column("牵头单位", 0.2),
            Column("完成时限", 0.22),
            Column("状态", 0.1),
            Column("情况", 0.14),
        ]
        out.append(Table(f.table(f"逾期和{f.stale_span}未更新进展的重点任务"), columns, rows))
    return out


def findings(f: Facts) -> list[Block]:
    rules = sorted(f.by_rule.items(), key=lambda kv: kv[1][0].sort_key())
    out: list[Block] = [Heading(1, "七、问题清单")]
    if not rules:
        return [*out, Para("本期核查未发现问题。")]
    out.append(Para("本期核查发现的问题按核查规则和乡镇（街道）统计如下，逐条清单及依据见附件1，核查规范见附件2。"))
    rows = []
    for k, (_rule, fs) in enumerate(rules, 1):
        places = {f.place(x.where) for x in fs}
        rows.append([k, fs[0].rule_name, fs[0].severity_label, len(fs), len(places)])
    rows.append(["", "合计", "", sum(len(fs) for _r, fs in rules), ""])
    columns = [
        Column("序号", 0.08, True),
        Column("核查规则", 0.5),
        Column("严重程度", 0.14),
        Column("问题（条）", 0.14, True),
        Column("涉及乡镇（个）", 0.14, True),
    ]
    out.append(Table(f.table("问题按核查规则统计"), columns, rows, total=True))

    counties = {f.place(x.where)[0] for _r, fs in rules for x in fs} - {None}
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for _r, fs in rules:
        for x in fs:
            county, place = f.place(x.where)
            if len(counties) > 1 and county:
                place = f"{county}{place}"
            per[place][x.severity] += 1
    ranked = sorted(per.items(), key=lambda kv: (-sum(kv[1].values()), kv[0] == "县级", kv[0]))
    rows = [[place, c["high"], c["medium"], c["low"], sum(c.values())] for place, c in ranked]
    rows.append(
        [
            "合计",
            *(sum(c[s] for c in per.values()) for s in ("high", "medium", "low")),
            sum(len(fs) for _r, fs in rules),
        ]
    )
    columns = [
        Column("乡镇（街道）", 0.4),
        Column("严重", 0.15, True),
        Column("一般", 0.15, True),
        Column("提示", 0.15, True),
        Column("合计", 0.15, True),
    ]
    out.append(Table(f.table("问题按乡镇（街道）统计"), columns, rows, total=True, unit="单位：条"))
    return out


def findings_list(f: Facts) -> list[Block]:
    out: list[Block] = []
    rules = sorted(f.by_rule.items(), key=lambda kv: kv[1][0].sort_key())
    for k, (rule, fs) in enumerate(rules, 1):
        first = fs[0]
        rule_source = f.norms[rule].source if rule in f.norms else first.source
        out.append(Heading(3, f"{k}．{first.rule_name}（{first.severity_label}，{len(fs)}条）"))
        out.append(Para(f"依据：{rule_source}", "note"))
        columns = [Column("序号", 0.08, True), Column("乡镇（街道）", 0.2), Column("问题说明", 0.72)]
        rows = [[n, f.place(x.where)[1], x.cited(rule_source)] for n, x in enumerate(fs, 1)]
        out.append(Table("", columns, rows))
    return out or [Para("本期核查未发现问题。")]


def norms_list(f: Facts) -> list[Block]:
    rows = [
        [
            n.name + ("" if n.enabled else "（停用）"),
            f"第{n.version}版\n{cn_date(n.effective_from)}起",
            parameters_text(n.rule_id, n.params),
            n.source,
        ]
        for n in f.norms.values()
    ]
    columns = [Column("规则", 0.24), Column("版本", 0.24), Column("参数", 0.22), Column("依据", 0.3)]
    return [Para(f"以下为{cn_date(f.as_of)}生效的核查规范。", "note"), Table("", columns, rows)]


CLOSING = "特此报告。"  # a report's last line, which the 落款 stays with on its page
SECTIONS: list[Callable[[Facts], list[Block]]] = [summary, resources, beds, staff, projects, tasks, findings]
ATTACHMENTS: list[tuple[str, Callable[[Facts], list[Block]]]] = [
    ("问题清单", findings_list),
    ("核查规范", norms_list),
]


def title_lines(office: str, period: Period) -> list[str]:
    """ "关于…的报告", broken after the period so neither line ends inside a phrase."""
    return [f"{office}关于{period.label}", "基层卫生健康工作情况的报告"]


def describe(
    session: Session,
    period: Period,
    today: dt.date,
    letterhead: Letterhead | None = None,
    step: Callable[[], None] = lambda: None,
) -> Report:
    """The whole report; ``step`` is called after each section (for progress and cancelling)."""
    letterhead = letterhead or Letterhead()
    f = gather(session, period, today)
    step()
    blocks: list[Block] = []
    for section in SECTIONS:
        blocks += section(f)
        step()
    blocks.append(Para(CLOSING))
    attachments = [Attachment(title, make(f)) for title, make in ATTACHMENTS]
    step()
    office = f.profile.bureau_name or f"{f.area}卫生健康局"
    return Report(
        office=office,
        doc_number=letterhead.doc_number or f.profile.doc_number_for(period.year),
        signer=f.profile.head_of_unit or "",
        title_lines=title_lines(office, period),
        addressee=letterhead.addressee or f.profile.report_addressee or f"{f.area}人民政府",
        blocks=blocks,
        attachments=attachments,
        signed=letterhead.signed or today,
        period=period,
        area=f.area,
    )
