"""The import wizard: choose a file, see what would change and every problem, then confirm."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
)

from db.errors import Cancelled
from desktop.excel.importer import ImportReport, run_import, write_problem_workbook
from desktop.excel.templates import TEMPLATES
from desktop.ui import file_dialogs
from desktop.ui.errors import message_for
from desktop.ui.pages.base import make_table
from desktop.ui.tablemodel import AMBER, GREEN, RED, Column, ListModel
from desktop.ui.tasks import run_task

ACTIONS = {"new": "新增", "changed": "修改", "unchanged": "未变"}


class ImportWizard(QDialog):
    def __init__(self, win, kind: str = "staff") -> None:
        super().__init__(win)
        self.win = win
        self.report: ImportReport | None = None
        self.setWindowTitle("导入 Excel")
        self.resize(1000, 640)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("类型"))
        self.kind = QComboBox()
        self.kind.setObjectName("importKind")
        for key, spec in TEMPLATES.items():
            self.kind.addItem(spec.label, key)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        row.addWidget(self.kind)
        row.addWidget(QLabel("文件"))
        self.file = QLineEdit()
        self.file.setObjectName("importFile")
        row.addWidget(self.file, 1)
        browse = QPushButton("选择文件…")
        browse.clicked.connect(self.choose_file)
        row.addWidget(browse)
        self.check_button = QPushButton("检查")
        self.check_button.setObjectName("importCheck")
        self.check_button.clicked.connect(self.check)
        row.addWidget(self.check_button)
        layout.addLayout(row)
        self.summary = QLabel("选择填好的模板文件后点“检查”：先检查每个单元格，确认后才写入。")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.tabs = QTabWidget()
        self.problems = ListModel(
            [
                Column("工作表", lambda p: p.sheet, width=70),
                Column("行", lambda p: p.row, numeric=True, width=50),
                Column("列", lambda p: p.column, width=40),
                Column("列名", lambda p: p.header, width=110),
                Column("单元格内容", lambda p: self.report.shown_value(p) if self.report else "", width=160),
                Column("问题", lambda p: p.message),
            ],
            colour=lambda p: RED,
        )
        self.notes = ListModel(
            [
                Column("工作表", lambda p: p.sheet, width=70),
                Column("行", lambda p: p.row, numeric=True, width=50),
                Column("列", lambda p: p.column, width=40),
                Column("列名", lambda p: p.header, width=110),
                Column("已删除的字符", lambda p: p.message),
            ],
            colour=lambda p: AMBER,
        )
        self.preview = ListModel(
            [
                Column("行", lambda r: r.row, numeric=True, width=50),
                Column("结果", lambda r: ACTIONS[r.action], width=50),
                Column("记录", lambda r: r.title, width=220),
                Column("修改的字段", lambda r: self.report.describe_changes(r) if self.report else ""),
            ],
            colour=lambda r: {"new": GREEN, "changed": AMBER}.get(r.action),
        )
        self.problem_view = make_table(self.problems)
        self.problem_view.setObjectName("importProblems")
        self.tabs.addTab(self.problem_view, "问题")
        self.tabs.addTab(make_table(self.preview), "预览")
        self.notes_view = make_table(self.notes)
        self.notes_view.setObjectName("importNotes")
        self.tabs.addTab(self.notes_view, "清理清单")
        layout.addWidget(self.tabs, 1)
        buttons = QHBoxLayout()
        self.save_problems = QPushButton("保存问题清单…")
        self.save_problems.clicked.connect(self.save_problem_file)
        self.import_all = QPushButton("全部导入")
        self.import_all.setObjectName("importAll")
        self.import_all.clicked.connect(lambda: self.confirm(good_rows_only=False))
        self.import_good = QPushButton("只导入没有问题的行")
        self.import_good.setObjectName("importGood")
        self.import_good.clicked.connect(lambda: self.confirm(good_rows_only=True))
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.save_problems)
        buttons.addStretch(1)
        for b in (self.import_all, self.import_good, close):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self._enable()

    def _enable(self) -> None:
        r = self.report
        has_rows = bool(r and any(p.action != "unchanged" for p in r.plans))
        self.import_all.setEnabled(bool(r) and not r.problems and has_rows)
        self.import_good.setEnabled(bool(r) and bool(r.problems) and has_rows)
        self.save_problems.setEnabled(bool(r and (r.problems or r.notes)))

    def choose_file(self) -> None:
        path, _ = file_dialogs.open_file_name(
            self, "选择要导入的文件", "", "表格文件 (*.xlsx *.xlsm *.xls *.et *.ett *.ods *.csv *.txt);;所有文件 (*)"
        )
        if path:
            self.file.setText(path)
            self.check()

    def check(self) -> None:
        kind, path, db = self.kind.currentData(), self.file.text().strip(), self.win.db
        if not path:
            self.summary.setText("请先选择文件。")
            return

        def job(progress, cancelled):
            return run_import(db, kind, path, user=self.win.user, dry_run=True, progress=progress)

        run_task(self, "正在检查文件…", job, self.show_report, failure=None, on_error=self.show_error)

    def show_error(self, exc: BaseException) -> None:
        self.report = None
        self.problems.set_rows([])
        self.notes.set_rows([])
        self.preview.set_rows([])
        text = str(exc) if isinstance(exc, Cancelled) else message_for(exc)
        self.summary.setText(f"<span style='color:#b00020'>{html.escape(text)}</span>")
        self._enable()

    def show_report(self, report: ImportReport) -> None:
        self.report = report
        self.problems.set_rows(report.problems)
        self.notes.set_rows(report.notes)
        self.preview.set_rows([p for p in report.plans if p.action != "unchanged"])
        text = f"{Path(report.file).name}：{report.summary()}"
        if report.ignored_columns:
            text += f"。未识别的列（已忽略）：{'、'.join(report.ignored_columns)}"
        if report.problems:
            text += "。有问题时默认不写入任何数据；可改好后重新检查，或只导入没有问题的行。"
        self.summary.setText(text)
        self.tabs.setCurrentIndex(0 if report.problems else 1)
        self._enable()

    def save_problem_file(self) -> None:
        if not self.report:
            return
        default = str(Path(self.report.file).with_name(Path(self.report.file).stem + "_问题标注.xlsx"))
        path, _ = file_dialogs.save_file_name(self, "保存问题清单", default, "Excel 工作簿 (*.xlsx)")
        if path:
            write_problem_workbook(self.report, path)
            self.win.statusBar().showMessage(f"问题已标注在：{path}", 8000)

    def confirm(self, *, good_rows_only: bool) -> None:
        kind, path, db = self.kind.currentData(), self.file.text().strip(), self.win.db

        def job(progress, cancelled):
            return run_import(db, kind, path, user=self.win.user, good_rows_only=good_rows_only, progress=progress)

        def done(report: ImportReport) -> None:
            self.win.data_changed()
            QMessageBox.information(self, "导入完成", f"已写入 {report.written} 条记录。{report.summary()}")
            self.accept()

        run_task(self, "正在导入…", job, done, failure=None, on_error=self.show_error)
