"""报表: the submission sheets to export, templates for the townships, imports, and the subsidy roster."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from desktop.excel.export import ExportResult, export_workbook
from desktop.excel.sheets import SHEETS
from desktop.excel.templates import TEMPLATES, fill_template, write_template
from desktop.profile import load_profile
from desktop.report.build import build_report
from desktop.report.content import Letterhead
from desktop.subsidies import subsidy_roster
from desktop.ui import file_dialogs
from desktop.ui.import_wizard import ImportWizard
from desktop.ui.operations import run_action
from desktop.ui.pages.base import Page, heading, make_table, requires
from desktop.ui.tablemodel import Column, ListModel
from desktop.ui.tasks import run_task


def print_file(path: Path) -> str:
    """Print through the system (Windows' print verb, the lp command elsewhere); where it cannot, the file opened
    in its viewer to be printed from there. Returns what was done, as the clerk is told it."""
    if sys.platform.startswith("win"):
        try:
            os.startfile(str(path), "print")  # type: ignore[attr-defined]  # noqa: S606
            return "已发送到默认打印机。"
        except OSError:  # no program registered to print a PDF
            return _open_to_print(path, "本机没有设置打印 PDF 的程序")
    if shutil.which("lp") is None:
        return _open_to_print(path, "本机没有打印命令")
    try:
        sent = subprocess.run(["lp", str(path)], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return _open_to_print(path, "打印命令没有响应")
    if sent.returncode != 0:  # most often no default printer is set up
        return _open_to_print(path, "本机没有可用的默认打印机")
    return "已发送到默认打印机。"


def _open_to_print(path: Path, why: str) -> str:
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return f"{why}，已用 PDF 阅读器打开报告：请在阅读器中选择“打印”。"
    return f"{why}，也没有能打开 PDF 的阅读器。请到下面的文件夹找到报告，复制到能打印的电脑上打印：\n{path.parent}"


class ReportsPage(Page):
    reads = frozenset(
        {"county_profile", "division_populations", "divisions", "facilities", "norm_rules", "norm_versions", "staff"}
    )

    def __init__(self, win) -> None:  # noqa: PLR0915
        super().__init__(win)
        layout = QVBoxLayout(self)
        self.header = heading("报表")
        layout.addWidget(self.header)

        export = QGroupBox("上报报表（Excel）")
        grid = QGridLayout(export)
        self.sheet_boxes: dict[str, QCheckBox] = {}
        for i, (key, (label, _build)) in enumerate(SHEETS.items()):
            box = QCheckBox(label)
            box.setObjectName(f"sheet_{key}")
            box.setChecked(True)
            grid.addWidget(box, i // 4, i % 4)
            self.sheet_boxes[key] = box
        self.unmask = QCheckBox("显示完整身份证号码和电话号码（仅在确需时勾选，将记入修改记录）")
        self.unmask.setObjectName("unmaskIds")
        self.unmask.setToolTip("用于导出的报表和“填入现有记录”的模板；默认身份证号码只显示前6位和后4位")
        requires(self.unmask, "unmask")
        grid.addWidget(self.unmask, 2, 0, 1, 2)
        self.all_staff = QCheckBox("花名册含已离职、退休、调出人员")
        self.all_staff.setObjectName("allStaff")
        self.all_staff.setToolTip("默认花名册只列报告期末在岗人员；勾选后同时列出其他人员并注明在岗状态和离岗日期")
        grid.addWidget(self.all_staff, 2, 2)
        export_button = QPushButton("导出所选报表…")
        export_button.setObjectName("exportSheets")
        export_button.clicked.connect(lambda: self.export())
        grid.addWidget(export_button, 2, 3)
        layout.addWidget(export)

        pdf = QGroupBox("季度工作报告")
        report_grid = QGridLayout(pdf)
        report_grid.addWidget(
            QLabel(
                "按公文格式排版：版头、标题、主送机关、总体情况、资源指标、床位核查、人员、建设项目、重点任务、"
                "问题统计、落款，问题清单和核查规范作为附件。PDF 可直接打印；Word 文件可修改后再签发。"
            ),
            0,
            0,
            1,
            4,
        )
        report_grid.addWidget(QLabel("发文字号"), 1, 0)
        self.doc_number = QLineEdit()
        self.doc_number.setObjectName("reportDocNumber")
        self.doc_number.setPlaceholderText("如 清卫健〔2026〕15号；机关代字在 设置 › 县域信息 中填写")
        report_grid.addWidget(self.doc_number, 1, 1)
        report_grid.addWidget(QLabel("主送机关"), 1, 2)
        self.addressee = QLineEdit()
        self.addressee.setObjectName("reportAddressee")
        report_grid.addWidget(self.addressee, 1, 3)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        report_button = QPushButton("生成季度报告（PDF）…")
        report_button.setObjectName("makeReport")
        report_button.clicked.connect(lambda: self.make_report())
        buttons.addWidget(report_button)
        word_button = QPushButton("生成可修改的 Word 文件…")
        word_button.setObjectName("makeReportWord")
        word_button.clicked.connect(lambda: self.make_report(kind="docx"))
        buttons.addWidget(word_button)
        report_grid.addLayout(buttons, 2, 0, 1, 4)
        self._letterhead_given: tuple[str, str] = ("", "")
        layout.addWidget(pdf)

        exchange = QGroupBox("乡镇填报模板与导入")
        row = QHBoxLayout(exchange)
        row.addWidget(QLabel("类型"))
        self.template_kind = QComboBox()
        self.template_kind.setObjectName("templateKind")
        for key, spec in TEMPLATES.items():
            self.template_kind.addItem(spec.label, key)
        row.addWidget(self.template_kind)
        self.with_records = QCheckBox("填入现有记录")
        row.addWidget(self.with_records)
        template_button = QPushButton("生成模板…")
        template_button.setObjectName("makeTemplate")
        template_button.clicked.connect(self.make_template)
        row.addWidget(template_button)
        row.addStretch(1)
        import_button = QPushButton("导入填好的模板…")
        import_button.setObjectName("importFile")
        requires(import_button, "edit")
        import_button.clicked.connect(self.open_import)
        row.addWidget(import_button)
        layout.addWidget(exchange)

        self.subsidy_title = QLabel()
        self.subsidy_title.setWordWrap(True)
        layout.addWidget(self.subsidy_title)
        self.model = ListModel(
            [
                Column("乡镇", lambda x: x.township, width=90),
                Column("单位", lambda x: x.facility, width=200),
                Column("姓名", lambda x: x.name, width=70),
                Column("人员类别", lambda x: x.category, width=90),
                Column("月补贴（元）", lambda x: x.monthly_yuan, numeric=True, width=90),
                Column("补贴项目", lambda x: x.rule_name, width=260),
                Column("依据", lambda x: x.basis, tooltip=lambda x: x.source),
            ]
        )
        self.view = make_table(self.model)
        self.view.setObjectName("subsidyTable")
        layout.addWidget(self.view, 1)

    def refresh(self) -> None:
        period = self.win.period
        with self.win.db.reading() as session:
            roster = subsidy_roster(session, period, today=self.win.today)
            profile = load_profile(session)
        self.header.setText(f"报表 · {period.label}")
        self._fill_letterhead(profile, period)
        self.subsidy_title.setText(f"<b>生活补贴名册</b>：{roster.summary()}")
        self.model.set_rows(roster.lines)

    # --- export -------------------------------------------------------------------

    def default_name(self, what: str) -> str:
        area = self.win.windowTitle().split(" — ")[1] if " — " in self.win.windowTitle() else ""
        return str(file_dialogs.documents_folder() / f"{area}{self.win.period}_{what}.xlsx")

    def export(self, *, keys: list[str] | None = None, path: str | None = None) -> None:
        """Export the checked sheets (or the given ones, from a record page's own export button)."""
        keys = keys or [k for k, box in self.sheet_boxes.items() if box.isChecked()]
        if not keys:
            QMessageBox.information(self, "导出报表", "请至少勾选一张报表。")
            return
        if path is None:
            what = SHEETS[keys[0]][0] if len(keys) == 1 else "上报报表"
            path, _ = file_dialogs.save_file_name(self, "导出报表", self.default_name(what), "Excel 工作簿 (*.xlsx)")
            if not path:
                return
        db, period, unmask, user, today = (
            self.win.db,
            self.win.period,
            self.unmask.isChecked(),
            self.win.user,
            self.win.today,
        )
        all_staff = self.all_staff.isChecked()
        self.unmask.setChecked(False)  # whole numbers are asked for one file at a time

        def job(progress, cancelled):
            return export_workbook(
                db,
                keys,
                period,
                path,
                user=user,
                unmask_ids=unmask,
                all_staff=all_staff,
                today=today,
                progress=progress,
                cancelled=cancelled,
            )

        run_task(self, "正在导出报表…", job, self.exported, failure="导出失败")

    def exported(self, result: ExportResult) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "导出完成", f"已导出到：\n{result.path}", parent=self)
        box.setInformativeText("已记入上报记录：何时、由谁导出了哪些报表。")  # its checksum is kept there, not shown
        open_file = box.addButton("打开文件", QMessageBox.ButtonRole.AcceptRole)
        open_folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
        box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
        self.win.ask(box)
        if box.clickedButton() is open_file:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path)))
        elif box.clickedButton() is open_folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path.parent)))

    # --- the quarterly report -----------------------------------------------------

    def _fill_letterhead(self, profile, period) -> None:
        """The profile's 发文字号 and 主送机关 for this period, unless the clerk has written her own."""
        number = profile.doc_number_for(period.year)
        addressee = profile.report_addressee or f"{profile.area_name or '本县'}人民政府"
        given_number, given_addressee = self._letterhead_given
        if self.doc_number.text() in ("", given_number):
            self.doc_number.setText(number)
        if self.addressee.text() in ("", given_addressee):
            self.addressee.setText(addressee)
        self._letterhead_given = (number, addressee)

    def make_report(self, *, path: str | None = None, kind: str = "pdf") -> None:
        if path is None:
            default = self.default_name("季度工作报告").removesuffix(".xlsx") + f".{kind}"
            filters = "PDF 文件 (*.pdf)" if kind == "pdf" else "Word 文档 (*.docx)"
            path, _ = file_dialogs.save_file_name(self, "生成季度报告", default, filters)
            if not path:
                return
        db, period, today = self.win.db, self.win.period, self.win.today
        letterhead = Letterhead(doc_number=self.doc_number.text().strip(), addressee=self.addressee.text().strip())

        def job(progress, cancelled):
            return build_report(
                db, period, path, today=today, letterhead=letterhead, progress=progress, cancelled=cancelled
            )

        run_task(self, "正在生成季度报告…", job, self.report_done, failure="生成报告失败")

    def report_done(self, result) -> None:
        if result.pages:
            text = f"已生成 {result.pages} 页的{result.period.label}工作报告：\n{result.path}"
        else:
            text = f"已生成{result.period.label}工作报告的 Word 文件，可修改后再签发：\n{result.path}"
        box = QMessageBox(QMessageBox.Icon.Information, "报告已生成", text, parent=self)
        if result.font.warning:
            box.setInformativeText(result.font.warning)
        open_file = box.addButton("打开", QMessageBox.ButtonRole.AcceptRole)
        print_it = box.addButton("打印", QMessageBox.ButtonRole.ActionRole) if result.pages else None
        box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
        self.win.ask(box)
        if box.clickedButton() is open_file:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path)))
        elif print_it is not None and box.clickedButton() is print_it:
            said = print_file(result.path)
            self.win.ask(QMessageBox(QMessageBox.Icon.Information, "打印", said, parent=self))

    # --- templates and import -----------------------------------------------------

    def make_template(self, *, path: str | None = None) -> None:
        kind = self.template_kind.currentData()
        if path is None:
            path, _ = file_dialogs.save_file_name(
                self, "生成导入模板", self.default_name(f"{TEMPLATES[kind].label}导入模板"), "Excel 工作簿 (*.xlsx)"
            )
            if not path:
                return
        with_records, unmask = self.with_records.isChecked(), self.unmask.isChecked()

        def write(session) -> None:  # an unmasked file is recorded (who took whose whole numbers away)
            if with_records:
                fill_template(session, kind, path, unmask=unmask)
            else:
                write_template(session, kind, path)

        if run_action(self.win, write, failure="生成模板失败", parent=self) is None:
            return
        self.unmask.setChecked(False)
        self.win.statusBar().showMessage(f"模板已生成：{path}", 8000)

    def open_import(self) -> ImportWizard:
        wizard = ImportWizard(self.win, self.template_kind.currentData())
        self.win.ask(wizard)
        return wizard
