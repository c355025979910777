"""建设项目: the table, the form, dated progress reports, and a timeline of planned against actual."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from db.codes import PROJECT_STAGE
from desktop.lists import ProjectRow, project_rows
from desktop.records.editing import add_project_update
from desktop.records.types import PROJECT
from desktop.ui.pages.base import (
    Page,
    add_buttons,
    date_edit,
    export_button,
    heading,
    make_table,
    run_dated_update,
    search_box,
    selected_row,
)
from desktop.ui.record_dialogs import edit_record_dialog, new_record_dialog
from desktop.ui.tablemodel import AMBER, RED, Column, ListModel


def _flag(r: ProjectRow) -> str:
    return "逾期" if r.overdue else "滞后" if r.behind else ""


class Timeline(QWidget):
    """Planned span (grey) and physical progress (blue) of each project on one time axis; a red line is the
    check date."""

    ROW = 22
    LEFT = 260

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ProjectRow] = []
        self.as_of = dt.date.today()

    def set_rows(self, rows: list[ProjectRow], as_of: dt.date) -> None:
        self.rows, self.as_of = rows, as_of
        self.setMinimumHeight(self.ROW * (len(rows) + 2))
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        if not self.rows:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        start = min(r.planned_start for r in self.rows)
        end = max([r.planned_completion for r in self.rows] + [self.as_of])
        span = max(1, (end - start).days)
        width = max(100, self.width() - self.LEFT - 20)

        def x(day: dt.date) -> float:
            return self.LEFT + width * (day - start).days / span

        for year in range(start.year, end.year + 2):
            day = dt.date(year, 1, 1)
            if start <= day <= end:
                p.setPen(QPen(QColor("#cccccc")))
                p.drawLine(int(x(day)), 0, int(x(day)), self.height())
                p.drawText(int(x(day)) + 3, 12, str(year))
        for i, r in enumerate(self.rows):
            y = self.ROW * (i + 1)
            p.setPen(QColor("#c62828") if r.overdue else QColor("#ef6c00") if r.behind else QColor("#222222"))
            p.drawText(QRectF(4, y, self.LEFT - 8, self.ROW), Qt.AlignmentFlag.AlignVCenter, r.name[:22])
            planned = QRectF(x(r.planned_start), y + 4, x(r.planned_completion) - x(r.planned_start), self.ROW - 8)
            p.fillRect(planned, QColor("#d9dee3"))
            done = QRectF(planned.x(), y + 8, planned.width() * r.progress / 100, self.ROW - 16)
            p.fillRect(done, QColor("#1565c0"))
        p.setPen(QPen(QColor("#c62828"), 1.5))
        p.drawLine(int(x(self.as_of)), 16, int(x(self.as_of)), self.height())
        p.end()


def columns() -> list[Column]:
    """The list's columns (tests/ui/test_page_columns.py reads them with no window)."""
    return [
        Column.of(PROJECT.field("name"), width=260),
        Column.of(PROJECT.field("facility_id"), lambda r: r.facility, width=150),
        Column.of(PROJECT.field("kind"), lambda r: r.kind, width=70),
        Column.of(PROJECT.field("planned_start"), width=95),
        Column.of(PROJECT.field("planned_completion"), width=95),
        Column.of(PROJECT.field("stage"), lambda r: r.stage, width=70),
        Column.of(PROJECT.field("progress"), width=90),
        Column("总投资（万元）", lambda r: r.planned_investment, numeric=True, width=95),
        Column.of(PROJECT.field("investment_completed"), width=105),
        Column("预警", _flag),
    ]


class ProjectsPage(Page):
    reads = frozenset({"facilities", "norm_rules", "norm_versions", "project_funding", "project_updates", "projects"})
    import_kind = "projects"
    record_type = PROJECT

    def __init__(self, win) -> None:
        super().__init__(win)
        layout = QVBoxLayout(self)
        self.header = heading("建设项目")
        layout.addWidget(self.header)
        bar = QHBoxLayout()
        self.summary = QLabel()
        bar.addWidget(self.summary)
        bar.addWidget(search_box(self, "项目名称或建设单位", self.apply_filter), 1)
        self.facility_name: str | None = None
        bar.addWidget(export_button(self))
        add_buttons(
            bar,
            (
                ("新增项目", self.add, "addProject", "edit"),
                ("编辑", self.edit_selected, "editProject"),
                ("填报进度", self.add_update, "addProjectUpdate", "edit"),
            ),
        )
        layout.addLayout(bar)
        self.model = ListModel(
            columns(),
            colour=lambda r: RED if r.overdue else AMBER if r.behind else None,
        )
        self.model.modelReset.connect(self._summarise)  # a column's filter changes the summary too
        # Stage, progress and money come from the dated progress reports (填报进度), not a cell.
        self.allow_editing_in_list(self.model, frozenset({"name", "kind", "planned_start", "planned_completion"}))
        self.view = make_table(self.model)
        self.view.setObjectName("projectTable")
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        self.timeline = Timeline()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.timeline)
        split.addWidget(scroll)
        split.setSizes([400, 300])
        layout.addWidget(split, 1)

    def refresh(self) -> None:
        period = self.win.period
        with self.win.db.reading() as session:
            rows = project_rows(session, period, today=self.win.today)
        self.header.setText(f"建设项目 · {period.label}")
        self.facility_name = None
        self.model.set_rows(rows)
        self.timeline.set_rows(rows, period.as_of(self.win.today))
        self.apply_filter()

    def apply_filter(self) -> None:
        name = self.facility_name
        keep = [i for i, r in enumerate(self.model.rows) if name is None or r.facility == name]
        self.model.set_visible(self.model.matching(keep, self.search.text()))

    def _summarise(self) -> None:
        rows = [self.model.rows[i] for i in self.model.visible]
        self.summary.setText(
            (f"{self.facility_name}：" if self.facility_name else "")
            + f"共 {len(rows)} 个项目；逾期 {sum(r.overdue for r in rows)} 个，进度滞后 "
            f"{sum(r.behind for r in rows)} 个（红：逾期；橙：滞后）"
        )

    def filter_facility(self, name: str | None) -> None:
        """Show only the projects of one facility (from the facilities page)."""
        self.ensure_fresh()
        self.facility_name = name
        self.apply_filter()

    def open_record(self, record_id: int) -> None:
        self.ensure_fresh()
        r = self.model.view_row_of(record_id)
        if r is not None:
            self.view.selectRow(r)

    def add(self) -> None:
        new_record_dialog(self.win, PROJECT, {"stage": "preparation", "kind": "extension"})

    def edit_selected(self) -> None:
        row = selected_row(self.view)
        if row is not None:
            edit_record_dialog(self.win, PROJECT, row.id)

    def add_update(self) -> None:
        row = selected_row(self.view)
        if row is None:
            QMessageBox.information(self, "填报进度", "请先在表中选择一个项目。")
            return
        day = date_edit(self.win.period.as_of(self.win.today))
        stage = QComboBox()
        for code, label in PROJECT_STAGE.items():
            stage.addItem(label, code)
        stage.setCurrentIndex(max(0, stage.findText(row.stage)))
        progress = QDoubleSpinBox()
        progress.setRange(0, 100)
        progress.setSuffix(" %")
        progress.setValue(row.progress)
        invested = QDoubleSpinBox()
        invested.setRange(0, 1e7)
        invested.setSuffix(" 万元")
        invested.setValue(row.investment_completed)
        note = QLineEdit()
        run_dated_update(
            self,
            f"填报进度：{row.name}",
            [("日期", day), ("建设阶段", stage), ("形象进度", progress), ("完成投资", invested), ("说明", note)],
            lambda session: add_project_update(
                session,
                row.id,
                on=day.date().toPython(),
                stage=stage.currentData(),
                progress=progress.value(),
                investment_completed=invested.value(),
                note=note.text(),
                user=self.win.user,
            ),
        )
