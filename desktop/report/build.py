"""The quarterly report as a PDF a bureau's leader reads and signs (reportlab platypus).

A4 portrait with margins after GB/T 9704 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), headings
numbered 一、（一）1., the county and period in the running header, "第 X 页 共 Y 页" in the footer,
tables that split across pages with their header rows repeated, Chinese wrapped by reportlab's CJK rules.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib import textsplit as reportlab_textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus import paragraph as reportlab_paragraph
from sqlalchemy import select

from db import Database
from db.codes import STAFF_CATEGORY, TITLE
from db.errors import Cancelled
from db.files import written_whole
from db.models import ProjectUpdate, StaffMember
from desktop.charts import bed_band_chart
from desktop.checks.beds import VERDICTS, band_rule, bed_rows, stood_in_note
from desktop.checks.findings import cn_date
from desktop.checks.runner import run_checks
from desktop.checks.village_doctors import training_year
from desktop.figures import headline_figures, staff_on_post
from desktop.indicators import indicator_table
from desktop.lists import project_rows, task_rows
from desktop.norm_parameters import parameters_text
from desktop.norms import ensure_defaults, norms_in_force
from desktop.overview import overview
from desktop.periods import Period
from desktop.plans import plan_in_force, targets_note
from desktop.profile import load_profile
from desktop.records.types import task_heading
from desktop.report.fonts import FontSet, find_fonts
from desktop.snapshot import Snapshot, age_on
from desktop.subsidies import roster_summary
from desktop.validators import clean_text

# reportlab's line breaking keeps Japanese closing punctuation off the start of a line but not the Chinese
# full-width comma, semicolon, colon, marks and closing quotes: without these a line could begin with "，".
# Both modules keep their own copy of the list.
CHINESE_CANNOT_START = "，；：！？》」』”’〉】"
for _module in (reportlab_textsplit, reportlab_paragraph):
    if not set(CHINESE_CANNOT_START) <= set(_module.ALL_CANNOT_START):
        _module.ALL_CANNOT_START += CHINESE_CANNOT_START

NUMERALS = "一二三四五六七八九十"
GRID = colors.HexColor("#808080")
HEAD_BG = colors.HexColor("#eeeeee")


@dataclass(frozen=True)
class ReportResult:
    path: Path
    pages: int
    font: FontSet


class Styles:
    def __init__(self, fonts: FontSet) -> None:
        body, head = fonts.body, fonts.heading
        self.cover_title = ParagraphStyle(
            "cover", fontName=head, fontSize=22, leading=34, alignment=TA_CENTER, wordWrap="CJK"
        )
        self.cover_line = ParagraphStyle("coverline", fontName=body, fontSize=16, leading=28, alignment=TA_CENTER)
        self.h1 = ParagraphStyle(
            "h1", fontName=head, fontSize=16, leading=28, spaceBefore=10, spaceAfter=4, wordWrap="CJK", keepWithNext=1
        )
        self.h2 = ParagraphStyle(
            "h2", fontName=head, fontSize=14, leading=24, spaceBefore=6, spaceAfter=2, wordWrap="CJK", keepWithNext=1
        )
        self.body = ParagraphStyle(
            "body", fontName=body, fontSize=12, leading=21, firstLineIndent=24, wordWrap="CJK", alignment=TA_LEFT
        )
        self.cell = ParagraphStyle("cell", fontName=body, fontSize=8.5, leading=11, wordWrap="CJK")
        self.cell_head = ParagraphStyle("cellhead", parent=self.cell, fontName=head, alignment=TA_CENTER)
        self.note = ParagraphStyle(
            "note", fontName=body, fontSize=9, leading=13, wordWrap="CJK", textColor=colors.HexColor("#444444")
        )


def _esc(text: object) -> str:
    # Stored text from before the text rules (or from another county) may hold control characters, which a
    # PDF shows as boxes or which reorder a line (a direction override): the same cleaning as every workbook.
    text = clean_text(str(text), multiline=True)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def _num(v: float | None, digits: int = 2) -> str:
    if v is None:
        return "—"
    text = f"{v:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def numbered_canvas(header: str, fonts: FontSet):
    """A canvas that holds every page until the end, so each footer can say how many pages there are."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if self._pageNumber > 1:  # the cover has no header or page number
                    self.setFont(fonts.body, 9)
                    self.setFillColor(colors.HexColor("#555555"))
                    self.drawString(28 * mm, A4[1] - 25 * mm, header)
                    self.setStrokeColor(colors.HexColor("#999999"))
                    self.line(28 * mm, A4[1] - 27 * mm, A4[0] - 26 * mm, A4[1] - 27 * mm)
                    self.setFont(fonts.body, 10.5)
                    self.drawCentredString(A4[0] / 2, 20 * mm, f"第 {self._pageNumber - 1} 页 共 {total - 1} 页")
                super().showPage()
            super().save()

    return NumberedCanvas


def _table(
    rows: list[list[object]],
    widths: list[float],
    st: Styles,
    *,
    numeric: set[int] = frozenset(),
    colour_rows: dict[int, colors.Color] | None = None,
) -> Table:
    """A table whose header row repeats on every page it splits across; cells wrap Chinese text."""
    data = []
    for r, row in enumerate(rows):
        style = st.cell_head if r == 0 else st.cell
        cells = []
        for c, value in enumerate(row):
            if hasattr(value, "drawOn"):  # a flowable (a progress bar)
                cells.append(value)
            else:
                align = ' align="right"' if c in numeric and r > 0 else ""
                cells.append(Paragraph(f"<para{align}>{_esc(value)}</para>", style))
        data.append(cells)
    t = Table(data, colWidths=widths, repeatRows=1)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for r, colour in (colour_rows or {}).items():
        commands.append(("BACKGROUND", (0, r), (-1, r), colour))
    t.setStyle(TableStyle(commands))
    return t


def _bar(progress: float, font: str, width: float = 24 * mm):
    from reportlab.graphics.shapes import Drawing, Rect, String

    d = Drawing(width, 8)
    d.add(Rect(0, 1, width, 6, fillColor=colors.HexColor("#e0e0e0"), strokeColor=None))
    d.add(
        Rect(
            0, 1, width * max(0.0, min(progress, 100)) / 100, 6, fillColor=colors.HexColor("#1565c0"), strokeColor=None
        )
    )
    d.add(String(width + 2, 1.5, f"{progress:.0f}%", fontName=font, fontSize=6.5))
    return d


def build_report(
    db: Database,
    period: Period,
    out: str | os.PathLike[str],
    *,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    fonts: FontSet | None = None,
) -> ReportResult:
    today = today or dt.date.today()
    fonts = fonts or find_fonts()
    st = Styles(fonts)
    out = Path(out)
    steps = 9
    story: list = []

    def step(i: int) -> None:
        if cancelled and cancelled():
            raise Cancelled()
        if progress:
            progress(i, steps)

    with db.session() as session:
        ensure_defaults(session)
        profile = load_profile(session)
        area = profile.area_name or "本县"
        as_of = period.as_of(today)
        o = overview(session)
        run = run_checks(session, period, today=today)
        figures = headline_figures(session, period, today=today, findings=run)
        norms = norms_in_force(session, as_of)
        indicators = indicator_table(session, period.year, today=today, as_of=as_of)
        snapshot = Snapshot(session, as_of)
        beds = bed_rows(snapshot, period.year, norms["bed_band"])
        projects = project_rows(session, period, today=today)
        tasks = task_rows(session, period, today=today)
        step(1)

        # --- cover ---------------------------------------------------------------------
        title = f"{area}基层卫生健康工作季度报告（{period.label}）"
        story += [
            Spacer(1, 60 * mm),
            Paragraph(_esc(title), st.cover_title),
            Spacer(1, 40 * mm),
            Paragraph(_esc(profile.bureau_name or ""), st.cover_line),
            Paragraph(f"{today.year}年{today.month}月{today.day}日", st.cover_line),
        ]
        if fonts.warning:
            story += [Spacer(1, 20 * mm), Paragraph(_esc(fonts.warning), st.note)]
        story.append(PageBreak())

        def h1(n: int, text: str) -> None:
            story.append(Paragraph(f"{NUMERALS[n - 1]}、{_esc(text)}", st.h1))

        def h2(n: int, text: str) -> None:
            story.append(Paragraph(f"（{NUMERALS[n - 1]}）{_esc(text)}", st.h2))

        def para(text: str) -> None:
            story.append(Paragraph(_esc(text), st.body))

        # --- 一、总体情况 --------------------------------------------------------------------
        by_sev = figures.findings_by_severity
        unmet = [r for r in indicators if r.computed and r.verdict == "not_met"]
        plan = plan_in_force(session, period.year)
        h1(1, "总体情况")
        para(
            f"截至{cn_date(as_of)}，全{area[-1]}共有医疗卫生机构{figures.facilities:,}个（其中运营"
            f"{figures.operating:,}个），在岗卫生人员{figures.staff_on_post:,}人，实有床位{figures.open_beds:,}张，"
            f"在建及已建成建设项目{o.projects}个，重点任务{o.key_tasks}项。"
        )
        para(
            f"按{cn_date(as_of)}生效的核查规范逐项核查，共发现问题{figures.findings:,}条，其中严重{by_sev['high']}条、"
            f"一般{by_sev['medium']}条、提示{by_sev['low']}条。由台账计算的卫生资源指标中，"
            + (f"{len(unmet)}项未达到{plan.label}的目标值。" if plan else "没有可判定的规划目标（尚未录入规划）。")
        )
        if as_of < today:
            para(
                "说明：本报告按报告期末的情况编写：核查规范按当日生效的版本，人员按当日在岗情况，建设项目和重点任务按当日"
                "以前最近一次填报的进展，机构的床位、状态、设备和服务范围按当日情况。"
            )
        rules = run.by_rule()
        main = [fs[0] for rid, fs in rules.items() if fs[0].severity == "high"][:6]
        if main:
            h2(1, "主要问题")
            for k, f in enumerate(main, 1):
                more = f"（同类问题共 {len(rules[f.rule_id])} 条）" if len(rules[f.rule_id]) > 1 else ""
                para(f"{k}. {f.message}{more}")
        step(2)

        # --- 二、卫生资源 --------------------------------------------------------------------
        h1(2, "卫生资源主要指标")
        para(
            "下表中“由台账计算”的指标按本季度末在岗人员和实有床位、当年常住人口计算，其余为填报数。"
            + targets_note(plan, period.year)
        )
        verdict = {"met": "达标", "not_met": "未达标", None: "—"}
        rows = [["指标", "单位", "基期值", "目标值", f"{period.year}年值", "来源", "判定"]]
        colour_rows = {}
        for r in indicators:
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
                colour_rows[len(rows) - 1] = colors.HexColor("#fde2e2")
        story.append(
            _table(
                rows,
                [62 * mm, 14 * mm, 15 * mm, 15 * mm, 22 * mm, 12 * mm, 15 * mm],
                st,
                numeric={2, 3, 4},
                colour_rows=colour_rows,
            )
        )
        step(3)

        # --- 三、床位 ------------------------------------------------------------------------
        h1(3, "乡镇卫生院床位配置核查")
        para(f"按{_esc(band_rule(norms['bed_band']))}测算（{_esc(norms['bed_band'].source)}）。")
        rows = [["机构", "服务范围乡村人口", "实有床位（含养老）", "床位区间", "结论"]]
        colour_rows = {}
        for b in beds:
            people = (
                "—" if b.population is None else _num(b.population, 0) + ("（常住）" if b.resident_stood_in else "")
            )
            rows.append([b.name, people, b.beds, b.band or "—", VERDICTS[b.verdict]])
            if b.verdict in ("under", "over"):
                colour_rows[len(rows) - 1] = colors.HexColor("#fde2e2" if b.verdict == "under" else "#fff0d6")
        story.append(
            _table(rows, [55 * mm, 30 * mm, 30 * mm, 25 * mm, 25 * mm], st, numeric={1, 2}, colour_rows=colour_rows)
        )
        if note := stood_in_note(beds):
            para(_esc(note))
        story.append(Spacer(1, 4 * mm))
        drawn = [b for b in beds if b.lower is not None]
        for start in range(0, len(drawn), 36):  # a page holds about 36 centres
            story.append(bed_band_chart(drawn[start : start + 36], width=150 * mm, font=fonts.body))
        step(4)

        # --- 四、卫生人员 --------------------------------------------------------------------
        h1(4, "卫生人员")
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
        h2(1, "按人员类别和职称")
        titles = list(TITLE)
        table = Counter((s.category, s.title) for s in staff)
        rows = [["人员类别", *[TITLE[t] for t in titles], "合计"]]
        for cat, label in STAFF_CATEGORY.items():
            counts = [table[(cat, t)] for t in titles]
            if sum(counts):
                rows.append([label, *counts, sum(counts)])
        rows.append(["合计", *[sum(table[(c, t)] for c in STAFF_CATEGORY) for t in titles], len(staff)])
        story.append(
            _table(rows, [28 * mm] + [18 * mm] * len(titles) + [16 * mm], st, numeric=set(range(1, len(titles) + 2)))
        )
        village = [s for s in staff if s.category == "village_doctor"]  # the table's 乡村医生, wherever they work
        bands = Counter()
        for s in village:
            age = age_on(s.birth_date, as_of)
            bands["40岁以下" if age < 40 else "40-49岁" if age < 50 else "50-59岁" if age < 60 else "60岁及以上"] += 1
        h2(2, "乡村医生年龄结构")
        text = (
            f"在岗乡村医生{figures.village_doctors:,}人，其中40岁以下{bands['40岁以下']}人、40～49岁{bands['40-49岁']}人、"
            f"50～59岁{bands['50-59岁']}人、60岁及以上{bands['60岁及以上']}人。"
        )
        if "vd_age" in run.norms:  # the exit age is the norm's, and the people past it are the check's findings
            limit = run.norms["vd_age"].params["max_age"]
            past = [s for s in village if age_on(s.birth_date, as_of) >= limit]
            rehired = sum(1 for s in past if s.employment_form == "rehired")
            text += (
                f"年满{limit}周岁仍在岗的乡村医生{len(past)}人，已办理返聘{rehired}人、"
                f"未办理返聘{len(past) - rehired}人；"
                f"村卫生室年满{limit}周岁仍在岗且未办理返聘、应离岗退出的人员（含执业（助理）医师）共"
                f"{len(rules.get('vd_age', []))}人，见问题清单。"
            )
        para(text)
        year = training_year(as_of)
        trained_short = len(rules.get("vd_training", []))
        para(
            f"{year}年度乡村医生免费培训（每年不少于2次、累计不少于2周）未达标{trained_short}人；"
            f"近5年没有1个月以上脱产进修的{len(rules.get('vd_full_time_study', []))}人。"
        )
        if figures.subsidies is not None:
            para(f"生活补贴：{roster_summary(figures.subsidies)}。")
        step(5)

        # --- 五、建设项目 --------------------------------------------------------------------
        h1(5, "建设项目")
        previous = Period(period.year - 1, 4) if period.quarter == 1 else Period(period.year, (period.quarter or 4) - 1)
        before = {}
        for pid, day, prog in session.execute(
            select(ProjectUpdate.project_id, ProjectUpdate.date, ProjectUpdate.progress)
        ):
            if day <= previous.end and (pid not in before or day > before[pid][0]):
                before[pid] = (day, prog)
        overdue = sum(r.overdue for r in projects)
        behind = sum(r.behind for r in projects)
        para(
            f"共 {len(projects)} 个项目，计划总投资 {_num(sum(r.planned_investment for r in projects), 1)} 万元，"
            f"累计完成投资 {_num(sum(r.investment_completed for r in projects), 1)} 万元；逾期未完工 {overdue} 个，"
            f"进度滞后 {behind} 个（表中以颜色标出）。“本季度进展”为形象进度较上季度末的增加。"
        )
        rows = [["项目", "阶段", "形象进度", "完成/计划投资（万元）", "本季度进展", "预警"]]
        colour_rows = {}
        for r in projects:
            delta = r.progress - before[r.id][1] if r.id in before else None
            rows.append(
                [
                    r.name,
                    r.stage,
                    _bar(r.progress, fonts.body),
                    f"{_num(r.investment_completed, 1)} / {_num(r.planned_investment, 1)}",
                    "—" if delta is None else f"+{delta:.0f}个百分点",
                    "逾期" if r.overdue else "滞后" if r.behind else "",
                ]
            )
            if r.overdue or r.behind:
                colour_rows[len(rows) - 1] = colors.HexColor("#fde2e2" if r.overdue else "#fff0d6")
        story.append(
            _table(
                rows, [52 * mm, 15 * mm, 32 * mm, 30 * mm, 22 * mm, 12 * mm], st, numeric={3}, colour_rows=colour_rows
            )
        )
        step(6)

        # --- 六、重点任务 --------------------------------------------------------------------
        h1(6, "重点任务")
        status = Counter(t.status_label for t in tasks)
        para("、".join(f"{k} {v} 项" for k, v in status.items()) + "。逾期和本季度未更新进展的任务如下。")
        rows = [["任务", "牵头单位", "完成时限", "状态", "情况"]]
        for t in tasks:
            if t.overdue or t.stale:
                rows.append(
                    [
                        task_heading(t.number, t.title),
                        t.lead_unit,
                        t.deadline or "—",
                        t.status_label,
                        "逾期" if t.overdue else "本季度未更新",
                    ]
                )
        if len(rows) > 1:
            story.append(_table(rows, [68 * mm, 36 * mm, 22 * mm, 16 * mm, 22 * mm], st))
        step(7)

        # --- 七、问题清单 --------------------------------------------------------------------
        h1(7, "问题清单")
        para("按核查规则分组列出；每组注明依据。")
        for k, (rule, findings) in enumerate(sorted(rules.items(), key=lambda kv: kv[1][0].sort_key()), 1):
            first = findings[0]
            story.append(
                Paragraph(f"{k}. {_esc(first.rule_name)}（{first.severity_label}，{len(findings)} 条）", st.h2)
            )
            rule_source = norms[rule].source if rule in norms else first.source
            story.append(Paragraph(f"依据：{_esc(rule_source)}", st.note))
            for f in findings:  # a finding about a document of its own (a task's) cites it
                story.append(Paragraph(f"· {_esc(f.cited(rule_source))}", st.note))
        step(8)

        # --- 附录 ---------------------------------------------------------------------------
        story.append(PageBreak())
        story.append(Paragraph("附录：核查规范", st.h1))
        rows = [["规则", "版本", "参数", "依据"]]
        for n in norms.values():
            params = parameters_text(n.rule_id, n.params)
            rows.append(
                [n.name + ("" if n.enabled else "（停用）"), f"第{n.version}版\n{n.effective_from}起", params, n.source]
            )
        story.append(_table(rows, [40 * mm, 25 * mm, 35 * mm, 56 * mm], st))

    header = f"{area} · 基层卫生健康工作季度报告 · {period.label}"
    with written_whole(out) as partial:
        doc = _document(partial, title, profile.bureau_name or "", period, fonts)
        doc.build(story, canvasmaker=numbered_canvas(header, fonts))
    step(9)
    return ReportResult(out, doc.page, fonts)


def _document(path: Path, title: str, author: str, period: Period, fonts: FontSet) -> BaseDocTemplate:
    doc = BaseDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=37 * mm,
        bottomMargin=35 * mm,
        title=title,
        author=author,
        subject=f"{period.label}；字体：{fonts.family}",
        keywords=f"font={fonts.family}",
        creator="县域卫生健康台账（CountyHealth Desk）",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    return doc
