"""规划指标: baseline, target and the year's value; computed ones filled in, the rest entered here."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QMessageBox, QSpinBox, QVBoxLayout

from db.codes import INDICATOR_ATTRIBUTE
from desktop.indicators import indicator_table, set_indicator_value
from desktop.plans import plan_in_force, targets_note
from desktop.records.types import INDICATOR, PLAN
from desktop.ui.operations import run_action
from desktop.ui.pages.base import Page, add_buttons, export_button, heading, make_table, selected_row
from desktop.ui.record_dialogs import edit_record_dialog, new_record_dialog
from desktop.ui.tablemodel import GREEN, RED, Column, ListModel


def _n(v: float | None) -> str:
    return "" if v is None else f"{v:.2f}".rstrip("0").rstrip(".")


def columns() -> list[Column]:
    """The list's columns (tests/ui/test_page_columns.py reads them with no window)."""
    return [
        Column("领域", lambda r: r.domain, width=100),
        Column("指标", lambda r: r.name, width=280),
        Column("单位", lambda r: r.unit, width=60),
        Column("基期值", lambda r: _n(r.baseline_value), numeric=True, width=70),
        Column(
            "目标值",
            lambda r: ("≥" if r.direction == "at_least" else "≤") + _n(r.target_value),
            numeric=True,
            width=70,
        ),
        Column(
            "当年值",
            lambda r: _n(r.value) if r.value is not None else (r.reason or ""),
            numeric=True,
            width=150,
        ),
        Column("来源", lambda r: "计算" if r.computed else "填报", width=50),
        Column("判定", lambda r: {"met": "达标", "not_met": "未达标"}.get(r.verdict, ""), width=60),
        Column("属性", lambda r: INDICATOR_ATTRIBUTE[r.attribute]),
    ]


class IndicatorsPage(Page):
    reads = frozenset(
        {
            "county_profile",
            "division_populations",
            "divisions",
            "facilities",
            "indicator_values",
            "indicators",
            "plans",
            "staff",
        }
    )

    def __init__(self, win) -> None:
        super().__init__(win)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(heading("规划指标监测"))
        bar.addStretch(1)
        bar.addWidget(export_button(self))
        add_buttons(
            bar,
            (
                ("新建规划", self.add_plan, "addPlan", "edit"),
                ("新增指标", self.add_indicator, "addIndicator", "edit"),
                ("编辑指标", self.edit_selected, "editIndicator", "edit"),
            ),
        )
        bar.addWidget(QLabel("年度"))
        self.year = QSpinBox()
        self.year.setObjectName("indicatorYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(win.period.year)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        bar.addWidget(self.year)
        layout.addLayout(bar)
        self.plan_note = QLabel()
        self.plan_note.setObjectName("planNote")
        self.plan_note.setWordWrap(True)
        layout.addWidget(self.plan_note)
        layout.addWidget(QLabel("“计算”的指标由本地记录自动得出；“填报”的指标双击即可录入当年数值。"))
        self.model = ListModel(
            columns(),
            colour=lambda r: {"met": GREEN, "not_met": RED}.get(r.verdict),
        )
        self.view = make_table(self.model, sortable=False)
        self.view.setObjectName("indicatorTable")
        self.view.doubleClicked.connect(self.edit_value)  # a year's value; the indicator itself by 编辑指标
        layout.addWidget(self.view, 1)

    def refresh(self) -> None:
        year = self.year.value()
        with self.win.db.reading() as session:
            self.model.set_rows(indicator_table(session, year, today=self.win.today))
            plan = plan_in_force(session, year)
        self.plan_note.setText(targets_note(plan, year))

    def add_plan(self, *, exec_: bool = True):
        """A new plan (十五五), then its indicators: once saved, the page shows the plan's first year."""
        year = self.year.value()
        form = new_record_dialog(self.win, PLAN, {"start_year": year, "end_year": year + 4}, exec_=False)
        form.accepted.connect(lambda: self._show_plan(form.created))
        if exec_:
            form.exec()
        return form

    def _show_plan(self, created: list[int]) -> None:
        if created:
            with self.win.db.reading() as session:
                self.year.setValue(session.get(PLAN.model, created[0]).start_year)

    def add_indicator(self, *, exec_: bool = True):
        """A new indicator, of the plan judging the year shown unless that plan is only carried on."""
        with self.win.db.reading() as session:
            plan = plan_in_force(session, self.year.value())
        defaults = {"direction": "at_least", "attribute": "expected"}
        if plan is not None and not plan.carried:
            defaults["plan_id"] = plan.id
        return new_record_dialog(self.win, INDICATOR, defaults, exec_=exec_)

    def edit_selected(self, *, exec_: bool = True):
        row = selected_row(self.view)
        if row is None:
            QMessageBox.information(self, "编辑指标", "请先在表中选择一个指标。")
            return None
        return edit_record_dialog(self.win, INDICATOR, row.id, exec_=exec_)

    def edit_value(self, index) -> None:
        row = self.model.row_at(index.row())
        if row.computed:
            QMessageBox.information(self, "自动计算", f"“{row.name}”由记录自动计算，不能手工填报。")
            return
        if not self.win.allowed("edit"):
            return
        value, ok = QInputDialog.getDouble(
            self, "填报指标", f"{row.name}（{row.unit}）{self.year.value()}年：", row.value or 0.0, -1e9, 1e9, 2
        )
        if not ok:
            return
        year, user = self.year.value(), self.win.user
        run_action(
            self.win,
            lambda s: set_indicator_value(s, row.code, year, value, user=user),
            failure="未能填报",
            parent=self,
        )
