"""重点任务: the ledger with lead and cooperating units, deadlines, status and updates; strike-off with a note."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
)

from db.codes import TASK_STATUS
from desktop.lists import task_rows
from desktop.records.editing import add_task_update, strike_off_task
from desktop.records.types import TASK, task_heading
from desktop.ui.operations import run_action
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
from desktop.ui.tablemodel import AMBER, GREY, RED, Column, ListModel


def columns() -> list[Column]:
    """The list's columns (tests/ui/test_page_columns.py reads them with no window)."""
    return [
        Column.of(TASK.field("number"), width=60),
        Column.of(TASK.field("title"), width=240),
        Column.of(TASK.field("lead_unit"), width=130),
        Column.of(TASK.field("responsible_person"), width=90),
        Column("配合单位", lambda r: r.cooperating, width=150, tooltip=lambda r: r.cooperating),
        Column.of(TASK.field("deadline"), width=85),
        Column.of(TASK.field("status"), lambda r: r.status_label, width=70),
        Column("最近更新", lambda r: r.last_update, width=85),
        Column("预警", lambda r: "逾期" if r.overdue else "本期未更新" if r.stale else "", width=70),
        # What the latest report said: a ledger's 推进情况 imported is read here, not only its date.
        Column("最新进展", lambda r: r.last_note, width=180, tooltip=lambda r: r.last_note),
    ]


class TasksPage(Page):
    reads = frozenset({"key_tasks", "norm_rules", "norm_versions", "task_cooperating_units", "task_updates"})
    import_kind = "tasks"
    record_type = TASK

    def __init__(self, win) -> None:
        super().__init__(win)
        layout = QVBoxLayout(self)
        self.header = heading("重点任务推进台账")
        layout.addWidget(self.header)
        bar = QHBoxLayout()
        self.ledger = QComboBox()
        self.ledger.setObjectName("ledgerFilter")
        self.ledger.currentIndexChanged.connect(self.apply_filter)
        bar.addWidget(self.ledger, 1)
        bar.addWidget(search_box(self, "任务、牵头或配合单位", self.apply_filter), 1)
        self.summary = QLabel()
        bar.addWidget(self.summary)
        bar.addStretch(1)
        bar.addWidget(export_button(self))
        add_buttons(
            bar,
            (
                ("新增任务", self.add, "addTask", "edit"),
                ("编辑", self.edit_selected, "editTask"),
                ("更新进展", self.add_update, "addTaskUpdate", "edit"),
                ("销号", self.strike_off, "strikeOff", "edit"),
            ),
        )
        layout.addLayout(bar)
        self.model = ListModel(
            columns(),
            colour=lambda r: RED if r.overdue else AMBER if r.stale else GREY if r.status == "struck_off" else None,
        )
        self.model.modelReset.connect(self._summarise)  # a column's filter changes the summary too
        self.allow_editing_in_list(self.model)
        self.view = make_table(self.model)
        self.view.setObjectName("taskTable")
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        layout.addWidget(self.view, 1)

    def refresh(self) -> None:
        period = self.win.period
        with self.win.db.reading() as session:
            rows = task_rows(session, period, today=self.win.today)
        self.header.setText(f"重点任务推进台账 · {period.label}")
        current = self.ledger.currentData()
        self.ledger.blockSignals(True)
        self.ledger.clear()
        self.ledger.addItem("全部台账", None)
        for name in dict.fromkeys(r.ledger for r in rows):
            self.ledger.addItem(name, name)
        self.ledger.setCurrentIndex(max(0, self.ledger.findData(current)))
        self.ledger.blockSignals(False)
        self.model.set_rows(rows)
        self.apply_filter()

    def apply_filter(self) -> None:
        ledger = self.ledger.currentData()
        keep = [i for i, r in enumerate(self.model.rows) if ledger is None or r.ledger == ledger]
        self.model.set_visible(self.model.matching(keep, self.search.text()))
        self._summarise()

    def _summarise(self) -> None:
        rows = [self.model.rows[i] for i in self.model.visible]
        self.summary.setText(
            f"{len(rows)} 项；逾期 {sum(r.overdue for r in rows)} 项，本期未更新 {sum(r.stale for r in rows)} 项"
        )

    def open_record(self, record_id: int) -> None:
        self.ensure_fresh()
        self.ledger.setCurrentIndex(0)
        r = self.model.view_row_of(record_id)
        if r is not None:
            self.view.selectRow(r)

    def add(self, *, exec_: bool = True):
        """A task of the ledger shown (the ledger named in its form), not started."""
        ledger = self.ledger.currentData()
        defaults = {"status": "not_started", **({"ledger": ledger} if ledger else {})}
        return new_record_dialog(self.win, TASK, defaults, exec_=exec_)

    def edit_selected(self) -> None:
        row = selected_row(self.view)
        if row is not None:
            edit_record_dialog(self.win, TASK, row.id)

    def strike_off(self) -> None:
        row = selected_row(self.view)
        if row is None:
            QMessageBox.information(self, "销号", "请先在表中选择一项任务。")
            return
        dialog = StrikeOffDialog(row, self)
        if self.win.ask(dialog) != QDialog.DialogCode.Accepted:
            return
        note, user, day = dialog.note.toPlainText(), self.win.user, dialog.day.date().toPython()
        run_action(
            self.win, lambda s: strike_off_task(s, row.id, note, user=user, on=day), failure="不能销号", parent=self
        )

    def add_update(self) -> None:
        row = selected_row(self.view)
        if row is None:
            QMessageBox.information(self, "更新进展", "请先在表中选择一项任务。")
            return
        day = date_edit(self.win.period.as_of(self.win.today))
        status = QComboBox()
        for code in ("not_started", "in_progress", "done"):
            status.addItem(TASK_STATUS[code], code)
        status.setCurrentIndex(max(0, status.findData(row.status)))
        note = QPlainTextEdit()
        evidence = QLineEdit()
        run_dated_update(
            self,
            f"更新进展：{task_heading(row.number, row.title)}",
            [("日期", day), ("状态", status), ("进展情况＊", note), ("佐证材料", evidence)],
            lambda session: add_task_update(
                session,
                row.id,
                on=day.date().toPython(),
                status=status.currentData(),
                note=note.toPlainText(),
                evidence=evidence.text(),
                user=self.win.user,
            ),
        )


class StrikeOffDialog(QDialog):
    """Strike a task off: only with a note; the OK button says why it is not yet possible."""

    def __init__(self, row, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"销号：{task_heading(row.number, row.title)}")
        form = QFormLayout(self)
        self.day = date_edit()
        self.day.setDate(parent.win.period.as_of(parent.win.today) if parent else None)
        self.note = QPlainTextEdit()
        self.note.setObjectName("strikeOffNote")
        self.note.setPlaceholderText("写明完成情况或销号依据（必填）")
        self.error = QLabel()
        self.error.setObjectName("strikeOffError")
        self.error.setStyleSheet("color: #b00020;")
        form.addRow("销号日期", self.day)
        form.addRow("销号说明＊", self.note)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def try_accept(self) -> None:
        if not self.note.toPlainText().strip():
            self.error.setText("销号必须写明销号说明（完成情况或依据）")
            return
        self.accept()
