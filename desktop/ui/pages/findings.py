"""问题清单: every finding of the period, filterable; a double-click opens the record concerned."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout

from db.codes import SEVERITY
from desktop.checks import READS as CHECKED
from desktop.ui.pages.base import (
    COUNTY,
    Page,
    count_label,
    export_button,
    heading,
    make_table,
    search_box,
    show_county_column,
)
from desktop.ui.tablemodel import AMBER, RED, Column, ListModel

COLOURS = {"high": RED, "medium": AMBER, "low": None}
KIND_PAGE = {"facility": "facilities", "person": "staff", "project": "projects", "task": "tasks"}


def columns() -> list[Column]:
    """The list's columns (tests/ui/test_page_columns.py reads them with no window)."""
    return [
        Column("严重程度", lambda f: f.severity_label, width=70),
        Column("规则", lambda f: f.rule_name, width=220),
        Column(COUNTY, lambda f: f.where.county or "", width=90),
        Column("乡镇", lambda f: f.where.township or "", width=90),
        Column("位置", lambda f: f.where.name, width=200),
        Column("说明", lambda f: f.message, tooltip=lambda f: f"{f.message}\n依据：{f.source}"),
    ]


class FindingsPage(Page):
    reads = CHECKED

    def __init__(self, win) -> None:
        super().__init__(win)
        layout = QVBoxLayout(self)
        self.header = heading("问题清单")
        layout.addWidget(self.header)
        bar = QHBoxLayout()
        self.rule = QComboBox()
        self.rule.setObjectName("ruleFilter")
        self.severity = QComboBox()
        self.severity.setObjectName("severityFilter")
        self.township = QComboBox()
        self.township.setObjectName("townshipFilter")
        for label, combo in (("规则", self.rule), ("严重程度", self.severity), ("乡镇", self.township)):
            bar.addWidget(QLabel(label))
            bar.addWidget(combo)
            combo.currentIndexChanged.connect(self.apply_filter)
        bar.addWidget(search_box(self, "问题说明、机构或人员", self.apply_filter), 1)
        bar.addWidget(export_button(self))
        layout.addLayout(bar)
        self.model = ListModel(
            columns(),
            colour=lambda f: COLOURS[f.severity],
        )
        self.count = count_label(self.model, lambda n: f"共 {n} 条")
        bar.addWidget(self.count)
        self.view = make_table(self.model)
        self.view.setObjectName("findingsTable")
        self.view.doubleClicked.connect(self.open_selected)
        layout.addWidget(self.view, 1)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.view.clicked.connect(lambda i: self.source.setText("依据：" + self.model.row_at(i.row()).source))
        layout.addWidget(self.source)
        self.findings = []

    def refresh(self) -> None:
        self.header.setText(f"问题清单 · {self.win.period.label}")
        self.win.with_findings(self.show)

    def show(self, run) -> None:
        self.findings = run.findings
        self._fill(self.rule, [(r, fs[0].rule_name) for r, fs in sorted(run.by_rule().items())])
        self._fill(self.severity, list(SEVERITY.items()))
        # A city's townships by county: its several 城关街道 are told apart.
        towns = sorted({(f.where.county or "", f.where.township) for f in run.findings if f.where.township})
        several = len({county for county, _t in towns}) > 1
        self._fill(self.township, [(t, f"{t[0]} · {t[1]}" if several else t[1]) for t in towns])
        self.model.set_rows(self.findings)
        show_county_column(self.view)
        self.apply_filter()

    @staticmethod
    def _fill(combo: QComboBox, items) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("全部", None)
        for value, label in items:
            combo.addItem(label, value)
        i = combo.findData(current)
        combo.setCurrentIndex(max(i, 0))
        combo.blockSignals(False)

    def set_filter(self, *, severity: str | None = None, rule: str | None = None) -> None:
        for combo, value in ((self.severity, severity), (self.rule, rule)):
            i = combo.findData(value)
            combo.setCurrentIndex(max(i, 0))
        self.apply_filter()

    def apply_filter(self) -> None:
        rule, sev, town = self.rule.currentData(), self.severity.currentData(), self.township.currentData()
        keep = [
            i
            for i, f in enumerate(self.model.rows)
            if (rule is None or f.rule_id == rule)
            and (sev is None or f.severity == sev)
            and (town is None or ((f.where.county or ""), f.where.township) == town)
        ]
        self.model.set_visible(self.model.matching(keep, self.search.text()))

    def open_selected(self, index) -> None:
        f = self.model.row_at(index.row())
        page = KIND_PAGE.get(f.where.kind)
        if page:
            self.win.open_record(page, f.where.id)
