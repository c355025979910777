"""工作台: the county at a glance for the reporting period."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from db.codes import SEVERITY
from desktop.checks import READS as CHECKED
from desktop.checks.beds import bed_rows
from desktop.checks.findings import cn_date
from desktop.figures import Figures, headline_figures
from desktop.indicators import RESOURCE_INDICATORS, indicator_table
from desktop.norms import norms_in_force
from desktop.overview import overview
from desktop.periods import Period
from desktop.snapshot import Snapshot
from desktop.ui.pages.base import Page, heading
from desktop.ui.tasks import run_quietly


@dataclass(frozen=True)
class Details:
    """What the dashboard shows below its counts, read in one session off the main thread."""

    period: Period
    indicators: list
    beds: list
    county_of: dict[int, str]
    earlier: dict[str, Figures]  # the same figures a quarter and a year before, by the words that say so


def gather_details(db, period: Period, today) -> Details:
    as_of = period.as_of(today)
    with db.reading() as session:
        rows = indicator_table(session, period.year, today=today, as_of=as_of)
        snapshot = Snapshot(session, as_of)
        beds = bed_rows(snapshot, period.year, norms_in_force(session, as_of)["bed_band"])
        county_of = {b.facility_id: snapshot.where_facility(b.facility_id).county or "" for b in beds}
        earlier = {
            label: headline_figures(session, p, today=today, subsidies=False, findings=False)
            for label, p in (("较上季", period.previous_quarter()), ("较去年同期", period.year_before()))
        }
    return Details(period, rows, beds, county_of, earlier)


SEVERITY_STYLE = {"high": "#c62828", "medium": "#ef6c00", "low": "#1565c0"}


class Card(QFrame):
    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setObjectName("countCard")
        layout = QVBoxLayout(self)
        self.value = QLabel("—")
        self.value.setObjectName("cardValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label = QLabel(caption)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.change = QLabel()  # against the previous quarter and the same quarter a year before
        self.change.setObjectName("cardChange")
        self.change.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.change.setStyleSheet("color: #555555;")
        layout.addWidget(self.value)
        layout.addWidget(label)
        layout.addWidget(self.change)


class DashboardPage(Page):
    reads = frozenset({"county_profile", "divisions", "facilities", "key_tasks", "projects", "staff"}) | CHECKED

    def __init__(self, win) -> None:
        super().__init__(win)
        layout = QVBoxLayout(self)
        self.header = heading("")
        layout.addWidget(self.header)
        grid = QGridLayout()
        self.cards = {
            k: Card(c)
            for k, c in (
                ("facilities", "医疗卫生机构（个）"),
                ("staff_on_post", "在岗人员（人）"),
                ("open_beds", "实有床位（张）"),
                ("projects", "建设项目（个）"),
                ("key_tasks", "重点任务（项）"),
            )
        }
        for i, card in enumerate(self.cards.values()):
            grid.addWidget(card, 0, i)
        layout.addLayout(grid)

        row = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel("<b>问题清单</b>（点击查看）"))
        self.severity_buttons = {}
        buttons = QHBoxLayout()
        for sev, label in SEVERITY.items():
            b = QPushButton(f"{label} —")
            b.setObjectName(f"severity_{sev}")
            b.setStyleSheet(f"QPushButton {{ color: {SEVERITY_STYLE[sev]}; font-weight: bold; padding: 6px 14px; }}")
            b.clicked.connect(lambda _c=False, s=sev: self.win.show_findings(severity=s))
            buttons.addWidget(b)
            self.severity_buttons[sev] = b
        left.addLayout(buttons)
        self.towns_label = QLabel()
        self.towns_label.setObjectName("townsRanked")
        self.towns_label.setWordWrap(True)
        left.addWidget(self.towns_label)
        self.projects_label = QPushButton()
        self.projects_label.setFlat(True)
        self.projects_label.clicked.connect(lambda: self.win.show_page("projects"))
        self.tasks_label = QPushButton()
        self.tasks_label.setFlat(True)
        self.tasks_label.clicked.connect(lambda: self.win.show_page("tasks"))
        for w in (self.projects_label, self.tasks_label):
            w.setStyleSheet("text-align: left; padding: 4px;")
            left.addWidget(w)
        left.addWidget(QLabel("<b>卫生资源主要指标</b>（红：未达目标；绿：已达目标）"))
        self.indicators = QLabel()
        self.indicators.setTextFormat(Qt.TextFormat.RichText)
        left.addWidget(self.indicators)
        left.addStretch(1)
        row.addLayout(left, 1)
        right = QVBoxLayout()
        self.chart_title = QLabel("<b>乡镇卫生院床位配置</b>")
        right.addWidget(self.chart_title)
        self.chart = QSvgWidget()
        self.chart.setMinimumSize(480, 300)
        right.addWidget(self.chart, 1)
        row.addLayout(right, 1)
        layout.addLayout(row, 1)

    def refresh(self) -> None:
        """The counts at once; the indicators, the chart and the findings gathered off the main thread once the
        window has painted, so that the window is usable without waiting for them."""
        period = self.win.period
        with self.win.db.reading() as session:
            o = overview(session)
            figures = headline_figures(session, period, today=self.win.today, subsidies=False, findings=False)
        self.header.setText(f"{o.bureau_name or o.area_name or ''} · {period.label}（截至{cn_date(figures.as_of)}）")
        values = {
            "facilities": figures.facilities,
            "staff_on_post": figures.staff_on_post,
            "open_beds": figures.open_beds,
            "projects": o.projects,
            "key_tasks": o.key_tasks,
        }
        for key, card in self.cards.items():
            card.value.setText(f"{values[key]:,}")
            card.change.setText("")
        self.figures = figures
        self.win.when_painted(self.fill_details)

    def fill_details(self) -> None:
        db, period, today = self.win.db, self.win.period, self.win.today
        run_quietly(
            self, lambda _progress, _cancelled: gather_details(db, period, today), self._show_details,
            failure="工作台数据读取失败",
        )  # fmt: skip

    def _show_details(self, details: Details) -> None:
        from desktop.charts import bed_band_chart, to_svg, verdicts_by_county_chart  # reportlab: once shown

        if details.period != self.win.period:  # the clerk chose another period meanwhile: its own fill follows
            return
        self._show_changes(details.earlier)
        cells = []
        for r in details.indicators:
            if r.code not in RESOURCE_INDICATORS:
                continue
            colour = {"met": "#2e7d32", "not_met": "#c62828"}.get(r.verdict, "#777777")
            value = "无法计算" if r.value is None else f"{r.value:.2f} {r.unit}"
            year = f"{r.target_year}年" if r.target_year else ""
            target = (
                ""
                if r.target_value is None
                else f"{year}目标 {'≥' if r.direction == 'at_least' else '≤'}{r.target_value:g}"
            )
            cells.append(
                f"<tr><td><span style='color:{colour}'>●</span> {r.name}</td>"
                f"<td align='right'>&nbsp;{value}</td><td>&nbsp;{target}</td></tr>"
            )
        self.indicators.setText("<table>" + "".join(cells) + "</table>")
        by_county: dict[str, dict[str, int]] = {}
        for b in details.beds:
            if b.lower is not None:
                county = details.county_of[b.facility_id]
                by_county.setdefault(county, {}).setdefault(b.verdict, 0)
                by_county[county][b.verdict] += 1
        if len(by_county) > 1:  # a city: a bar per county, not a strip of 170 centres (the 床位核查 page has each)
            self.chart_title.setText("<b>乡镇卫生院床位配置（按县统计）</b>")
            self.chart.load(to_svg(verdicts_by_county_chart(by_county)))
        else:
            self.chart_title.setText("<b>乡镇卫生院床位配置</b>")
            self.chart.load(to_svg(bed_band_chart(details.beds)))
        # drawn to its own proportions: stretched to the panel, a short chart's text came out squashed
        self.chart.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self.win.with_findings(self.show_findings, quietly=True)

    def show_findings(self, run) -> None:
        by_sev = {s: 0 for s in SEVERITY}
        for f in run.findings:
            by_sev[f.severity] += 1
        for sev, button in self.severity_buttons.items():
            button.setText(f"{SEVERITY[sev]} {by_sev[sev]} 条")
        rules = run.by_rule()
        n = {r: len(rules.get(r, ())) for r in ("project_overdue", "project_behind", "task_overdue", "task_stale")}
        self.projects_label.setText(f"建设项目：逾期 {n['project_overdue']} 个，进度滞后 {n['project_behind']} 个 ›")
        self.tasks_label.setText(f"重点任务：逾期 {n['task_overdue']} 项，本期未更新 {n['task_stale']} 项 ›")
        places: dict[str, int] = {}
        counties = {f.where.county for f in run.findings if f.where.county}
        for f in run.findings:
            if f.where.township:
                place = f"{f.where.county}{f.where.township}" if len(counties) > 1 else f.where.township
                places[place] = places.get(place, 0) + 1
        ranked = sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        self.towns_label.setText(
            "问题最多的乡镇（街道）：" + "、".join(f"{name} {n} 条" for name, n in ranked) if ranked else ""
        )
        self.win.dashboard_filled.emit()

    def _show_changes(self, earlier: dict) -> None:
        """Each figure against the previous quarter and the same quarter a year before: +12, −3, 持平."""
        now = self.figures

        def said(a: int, b: int) -> str:
            return "持平" if a == b else f"{a - b:+,}".replace("-", "−")

        for key in ("facilities", "staff_on_post", "open_beds"):
            parts = [f"{label} {said(getattr(now, key), getattr(then, key))}" for label, then in earlier.items()]
            self.cards[key].change.setText("，".join(parts))
