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

from db.errors import Cancelled, UserError
from db.files import written_whole
from desktop.checks.findings import cn_date
from desktop.excel.importer import ImportReport, SheetLayout, run_import, write_problem_workbook
from desktop.excel.mapping import ColumnMapping
from desktop.excel.templates import TEMPLATES
from desktop.periods import Period
from desktop.ui import file_dialogs
from desktop.ui.column_mapping import ColumnMappingStep
from desktop.ui.errors import message_for, show_error
from desktop.ui.name_proposals import NameProposalsDialog, proposed_names
from desktop.ui.pages.base import make_table
from desktop.ui.tablemodel import AMBER, GREEN, RED, Column, ListModel
from desktop.ui.tasks import run_task
from desktop.validators import shorten

ACTIONS = {"new": "新增", "changed": "修改", "unchanged": "未变"}
MAPPING_FILES = "列对应文件 (*.json)"


def header_problems(report: ImportReport, layout: SheetLayout) -> list[str]:
    """What the check could not place at the sheet's header: a required column missing or in doubt."""
    return [p.message for p in report.problems if p.sheet == layout.sheet and p.row == layout.table.header_row]


def layout_to_confirm(report: ImportReport) -> SheetLayout | None:
    """The sheet whose columns the clerk should see placed: a sheet of her own (not our template's columns), or
    one whose header the check could not place."""
    if not report.layouts:
        return None
    layout = report.layouts[0]
    return layout if header_problems(report, layout) or not layout.in_template_columns else None


PASTED = "粘贴的表格"  # what pasted rows are called where a file's name would be


class ImportWizard(QDialog):
    def __init__(self, win, kind: str = "staff") -> None:  # noqa: PLR0915
        super().__init__(win)
        self.win = win
        self.report: ImportReport | None = None
        # The clerk's column mapping the last check read with (None: as the headers say, or as remembered); the
        # import reads with the same, so what is written is what was previewed.
        self.mapping: ColumnMapping | None = None
        self.mapping_edited = False  # choices changed in the 列对应 step since that check
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
        self.kind.currentIndexChanged.connect(self.forget_mapping)
        row.addWidget(self.kind)
        self._pasted: Path | None = None  # rows pasted from Excel or WPS, in a temporary file (paste)
        self.file_label = QLabel("文件")
        row.addWidget(self.file_label)
        self.file = QLineEdit()
        self.file.setObjectName("importFile")
        self.file.textChanged.connect(self.forget_mapping)
        row.addWidget(self.file, 1)
        self.browse = QPushButton("选择文件…")
        self.browse.clicked.connect(self.choose_file)
        row.addWidget(self.browse)
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
        self._reports: set[int] = set()  # the preview rows that are progress reports (ImportReport.update_plans)
        self.preview = ListModel(
            [
                Column("工作表", lambda r: r.sheet, width=90),
                Column("行", lambda r: r.row, numeric=True, width=50),
                Column("结果", lambda r: ACTIONS[r.action] + ("进展" if id(r) in self._reports else ""), width=70),
                Column("记录", lambda r: r.title, width=220),
                Column("修改的字段", self._what_changes),
            ],
            colour=lambda r: {"new": GREEN, "changed": AMBER}.get(r.action),
        )
        self.mapping_step = ColumnMappingStep()
        self.mapping_step.changed.connect(self.mapping_changed)
        self.mapping_step.recheck.clicked.connect(self.recheck)
        self.mapping_step.save.clicked.connect(self.save_mapping)
        self.mapping_step.load.clicked.connect(self.load_mapping)
        self.tabs.addTab(self.mapping_step, "列对应")
        self.problem_view = make_table(self.problems)
        self.problem_view.setObjectName("importProblems")
        self.tabs.addTab(self.problem_view, "问题")
        self.preview_view = make_table(self.preview)
        self.tabs.addTab(self.preview_view, "预览")
        self.readings = ListModel(
            [
                Column("工作表", lambda r: r.sheet, width=90),
                Column("列", lambda r: r.column, width=40),
                Column("字段", lambda r: r.header, width=110),
                Column("原样 → 读作", lambda r: r.shown, width=320),
                Column("单元格数", lambda r: r.cells, numeric=True, width=70),
            ]
        )
        self.readings_view = make_table(self.readings)
        self.readings_view.setObjectName("importReadings")
        self.tabs.addTab(self.readings_view, "取值对照")
        self.notes_view = make_table(self.notes)
        self.notes_view.setObjectName("importNotes")
        self.tabs.addTab(self.notes_view, "清理清单")
        self.tabs.setTabVisible(self.tabs.indexOf(self.mapping_step), False)
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
        self.confirm_names = QPushButton("确认名称…")
        self.confirm_names.setObjectName("importConfirmNames")
        self.confirm_names.setToolTip("为写法与登记名称不一致的机构、区划名称选择所指的登记名称")
        self.confirm_names.clicked.connect(self.choose_names)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.save_problems)
        buttons.addWidget(self.confirm_names)
        buttons.addStretch(1)
        for b in (self.import_all, self.import_good, close):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self._enable()

    def _what_changes(self, plan) -> str:
        """A row's changes; a new progress report (a task ledger's 推进情况, our template's 进度 sheet), what it
        says."""
        if self.report is None:
            return ""
        if id(plan) not in self._reports:
            return self.report.describe_changes(plan)
        if plan.action == "changed":
            return self.report.describe_changes(plan, progress_report=True)
        rtype = TEMPLATES[self.report.kind].updates.rtype
        owner = rtype.fields[0].name
        return "；".join(
            f"{f.label}：{shorten(f.display(plan.values[f.name]))}"
            for f in rtype.fields
            if f.name != owner and plan.values.get(f.name) not in (None, "")
        )

    def _enable(self) -> None:
        r = self.report
        has_rows = bool(r and any(p.action != "unchanged" for p in r.plans + r.update_plans))
        checked = bool(r) and not self.mapping_edited  # the preview is of the columns as they are now chosen
        self.import_all.setEnabled(checked and not r.problems and has_rows)
        self.import_good.setEnabled(checked and bool(r.problems) and has_rows)
        self.save_problems.setEnabled(bool(r and (r.problems or r.notes)))
        self.confirm_names.setVisible(bool(r and proposed_names(r)))
        shown = bool(r and r.layouts)
        for b in (self.mapping_step.recheck, self.mapping_step.save):
            b.setEnabled(shown)

    def forget_mapping(self) -> None:
        """Another file or kind: its columns are placed afresh (or as remembered for its header)."""
        self.mapping = None

    def choose_file(self) -> None:
        path, _ = file_dialogs.open_file_name(
            self, "选择要导入的文件", "", "表格文件 (*.xlsx *.xlsm *.xls *.et *.ett *.ods *.csv *.txt);;所有文件 (*)"
        )
        if path:
            self.file.setText(path)
            self.check()

    def paste(self, path: Path) -> None:
        """Check rows pasted from Excel or WPS, which the caller wrote to ``path`` (a temporary file it removes
        after): the clerk sees 粘贴的表格 where a file's name would be, never the temporary file's, and what she
        saves from here (a problem list, a mapping) is proposed in her documents, not beside it."""
        self._pasted = path
        self.setWindowTitle("粘贴导入")
        self.file_label.setText("来源")
        self.file.setText(PASTED)
        self.file.setReadOnly(True)
        self.browse.hide()
        self.check()

    def progress_day(self):
        """The day a ledger's progress column reports on: the day of the import (the window's today). What a ledger
        says is where its tasks stand now; dated at the end of the window's period, December's text would have
        rewritten September's reports."""
        return self.win.today

    def source(self) -> str:
        """The file the import reads: the one chosen, or the rows pasted."""
        return str(self._pasted) if self._pasted is not None else self.file.text().strip()

    def _saved_beside(self, suffix: str) -> str:
        """A file proposed beside the one read (its name and ``suffix``); for pasted rows, in the documents."""
        if self._pasted is not None:
            return str(file_dialogs.documents_folder() / f"{PASTED}{suffix}")
        source = Path(self.source())
        return str(source.with_name(source.stem + suffix)) if source.name else suffix.lstrip("_")

    def check(self) -> None:
        kind, path, db = self.kind.currentData(), self.source(), self.win.db
        if not path:
            self.summary.setText("请先选择文件。")
            return

        mapping = self.mapping

        as_of = self.progress_day()

        def job(progress, cancelled):
            return run_import(
                db, kind, path, user=self.win.user, dry_run=True, mapping=mapping, progress=progress, as_of=as_of
            )

        run_task(self, "正在检查文件…", job, self.show_report, failure=None, on_error=self.show_error)

    def show_error(self, exc: BaseException) -> None:
        self.report = None
        self.mapping_edited = False
        self.tabs.setTabVisible(self.tabs.indexOf(self.mapping_step), False)
        self.problems.set_rows([])
        self.notes.set_rows([])
        self.readings.set_rows([])
        self.tabs.setTabVisible(self.tabs.indexOf(self.readings_view), False)
        self.preview.set_rows([])
        text = str(exc) if isinstance(exc, Cancelled) else message_for(exc)
        self.summary.setText(f"<span style='color:#b00020'>{html.escape(text)}</span>")
        self._enable()

    def show_report(self, report: ImportReport) -> None:  # noqa: C901
        self.report = report
        sheets = {name: i for i, name in enumerate(dict.fromkeys(p.sheet for p in report.problems))}
        # Top to bottom, left to right, as the clerk goes through her file (the checks find them in other orders).
        self.problems.set_rows(sorted(report.problems, key=lambda p: (sheets[p.sheet], p.row, len(p.column), p.column)))
        self.notes.set_rows(report.notes)
        self.readings.set_rows(report.readings)
        self.tabs.setTabVisible(self.tabs.indexOf(self.readings_view), bool(report.readings))
        self._reports = {id(p) for p in report.update_plans}
        self.preview.set_rows([p for p in report.plans + report.update_plans if p.action != "unchanged"])
        layout = layout_to_confirm(report)
        doubts = header_problems(report, layout) if layout is not None else []
        self.tabs.setTabVisible(self.tabs.indexOf(self.mapping_step), layout is not None)
        text = f"{PASTED if self._pasted is not None else Path(report.file).name}：{report.summary()}"
        if layout is not None:
            rtype = TEMPLATES[report.kind].rtype
            given = self.mapping is not None
            self.mapping_step.show_layout(layout, rtype, given=given, doubts=doubts, readings=report.readings)
            if layout.remembered:
                text += "。已按上次确认的列对应读取"
            if layout.given:
                text += "。全部行填写：" + "；".join(f"{label}＝{shown}" for label, shown in layout.given.items())
        elif report.ignored_columns:  # (the 列对应 step shows them, with what each could be)
            text += f"。未导入的列：{'、'.join(report.ignored_columns)}"
        if report.skipped_sheets:
            text += f"。未找到表头、未导入的工作表：{'、'.join(report.skipped_sheets)}"
        if report.hidden_sheets:
            text += f"。隐藏的工作表未导入：{'、'.join(report.hidden_sheets)}"
        for layout in report.layouts:
            if layout.table.left_out:
                text += f"。工作表“{layout.sheet}”未作为记录读取：{layout.left_out()}"
        if len(report.layouts) > 1:
            text += f"。共读取 {len(report.layouts)} 个工作表：{'、'.join(layout.sheet for layout in report.layouts)}"
        stopped = bool(doubts)
        if stopped:
            text += "。请在“列对应”中确认各列对应的字段，必填项没有对应列时给全部行填写一个值，再重新检查。"
        elif report.problems:
            text += "。有问题时默认不写入任何数据；可改好后重新检查，或只导入没有问题的行。"
        self.summary.setText(text)
        self.mapping_edited = False  # after the step is filled, which is no edit of the clerk's
        if stopped:
            self.tabs.setCurrentWidget(self.mapping_step)
        else:
            self.tabs.setCurrentWidget(self.problem_view if report.problems else self.preview_view)
        self._enable()

    def mapping_changed(self) -> None:
        if not self.mapping_edited and self.report is not None:
            self.mapping_edited = True
            self._enable()

    def choose_names(self) -> None:
        """The clerk says which registered name each name written its own way stands for; checked again with it."""
        if self.report is None:
            return
        dialog = NameProposalsDialog(self, self.report)
        if not self.win.ask(dialog) or not (chosen := dialog.chosen()):
            return
        kind = self.kind.currentData()
        shown = self.tabs.isTabVisible(self.tabs.indexOf(self.mapping_step))
        mapping = self.mapping_step.mapping(kind) if shown else (self.mapping or ColumnMapping(kind))
        for name, written, meant in chosen:
            mapping.confirm(name, written, meant)
        self.mapping = mapping
        self.check()

    def recheck(self) -> None:
        """Check the file again, read with the columns and values chosen in the 列对应 step."""
        self.mapping = self.mapping_step.mapping(self.kind.currentData())
        self.check()

    def save_mapping(self) -> None:
        kind = self.kind.currentData()
        mapping = self.mapping_step.mapping(kind)
        path, _ = file_dialogs.save_file_name(self, "保存列对应", self._saved_beside("_列对应.json"), MAPPING_FILES)
        if not path:
            return
        try:
            with written_whole(path) as partial:
                partial.write_text(mapping.to_json(TEMPLATES[kind].rtype), encoding="utf-8")
        except UserError as exc:
            show_error(self, "保存列对应", exc)
            return
        self.win.statusBar().showMessage(f"列对应已保存到：{path}", 8000)

    def load_mapping(self) -> None:
        """A mapping saved before (here or with the command line's --save-mapping): the file is checked with it."""
        path, _ = file_dialogs.open_file_name(self, "载入列对应", "", MAPPING_FILES)
        if not path:
            return
        kind = self.kind.currentData()
        spec = TEMPLATES[kind]
        try:
            mapping = ColumnMapping.load(path)
            if mapping.kind != kind:
                other = TEMPLATES.get(mapping.kind)
                raise UserError(f"这是{other.label if other else mapping.kind}的列对应，不能用于导入{spec.label}。")
            mapping.resolve(spec.rtype)
        except UserError as exc:
            show_error(self, "载入列对应", exc)
            return
        self.mapping = mapping
        self.check()

    def save_problem_file(self) -> None:
        if not self.report:
            return
        default = self._saved_beside("_问题标注.xlsx")
        path, _ = file_dialogs.save_file_name(self, "保存问题清单", default, "Excel 工作簿 (*.xlsx)")
        if path:
            write_problem_workbook(self.report, path)
            self.win.statusBar().showMessage(f"问题已标注在：{path}", 8000)

    def confirm(self, *, good_rows_only: bool) -> None:
        kind, path, db = self.kind.currentData(), self.source(), self.win.db

        mapping = self.mapping

        as_of = self.progress_day()

        def job(progress, cancelled):
            return run_import(
                db, kind, path, user=self.win.user, good_rows_only=good_rows_only, mapping=mapping, progress=progress,
                as_of=as_of,
            )  # fmt: skip

        def done(report: ImportReport) -> None:
            self.win.records_changed(report.changed)
            text = f"已写入 {report.written} 条记录。{report.summary()}"
            day = report.reported_on
            if day is not None and day > self.win.period.end:  # the window shows a quarter that ended before it
                text += (
                    f"\n\n进展记为{cn_date(day)}，属于{Period.quarter_of(day).label}；窗口当前查看的是"
                    f"{self.win.period.label}，在上方切换报告期即可在列表中看到。"
                )
            QMessageBox.information(self, "导入完成", text)
            self.accept()

        run_task(self, "正在导入…", job, done, failure=None, on_error=self.show_error)
