"""The Reports page: export with progress and "open", templates, and the import wizard."""

from __future__ import annotations

from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from db.models import Facility
from desktop.excel.templates import DATA_SHEET, FIRST_DATA_ROW
from desktop.ui.import_wizard import ImportWizard

from .conftest import answer


def test_export_the_checked_sheets_then_offer_to_open(window, tmp_path, monkeypatch):
    page = window.show_page("reports")
    assert page.model.rowCount() > 0 and page.subsidy_title.text().startswith("<b>生活补贴名册</b>")
    for key, box in page.sheet_boxes.items():
        box.setChecked(key in ("facilities", "beds"))
    opened = []
    monkeypatch.setattr(
        "desktop.ui.pages.reports.QDesktopServices.openUrl", lambda url: opened.append(url.toLocalFile())
    )
    asked = []
    monkeypatch.setattr(window, "ask", lambda box: asked.append(box.text()) or answer(box, "打开所在文件夹"))
    path = tmp_path / "out" / "报表.xlsx"
    page.export(path=str(path))
    assert load_workbook(path).sheetnames == ["基层医疗卫生机构基本情况表", "床位配置核查表"]
    assert asked and asked[0].startswith("已导出到：")
    assert opened == [str(path.parent)]


def test_a_template_with_records_then_the_wizard_imports_one_change(window, demo_db, tmp_path, monkeypatch):
    page = window.show_page("reports")
    page.template_kind.setCurrentIndex(page.template_kind.findData("facilities"))
    page.with_records.setChecked(True)
    path = tmp_path / "facilities.xlsx"
    page.make_template(path=str(path))
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    headers = [c.value for c in ws[1]]
    ws.cell(row=FIRST_DATA_ROW, column=headers.index("实有床位（张）") + 1).value = 999
    ws.cell(row=FIRST_DATA_ROW + 1, column=headers.index("实有床位（张）") + 1).value = "很多"
    wb.save(path)

    wizard = ImportWizard(window, "facilities")
    wizard.file.setText(str(path))
    wizard.check()
    assert wizard.problems.rowCount() == 1 and "应为数字" in wizard.problems.row_at(0).message
    assert wizard.preview.rowCount() == 1 and wizard.preview.row_at(0).changes["open_beds"][1] == 999
    assert not wizard.import_all.isEnabled() and wizard.import_good.isEnabled()
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    wizard.confirm(good_rows_only=True)
    with demo_db.session() as s:
        assert (
            s.scalar(select(Facility.open_beds).where(Facility.name == ws.cell(row=FIRST_DATA_ROW, column=1).value))
            == 999
        )


def test_the_wizard_explains_a_file_it_refuses(window, tmp_path):
    bad = tmp_path / "old.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    wizard = ImportWizard(window, "staff")
    wizard.file.setText(str(bad))
    wizard.check()
    assert "“old.xls”已损坏，无法读取" in wizard.summary.text()  # an .xls is read now: this one is broken
    assert not wizard.import_all.isEnabled() and not wizard.import_good.isEnabled()


def test_the_quarterly_report_from_the_reports_page(window, tmp_path, monkeypatch):
    page = window.show_page("reports")
    opened = []
    monkeypatch.setattr(
        "desktop.ui.pages.reports.QDesktopServices.openUrl", lambda url: opened.append(url.toLocalFile())
    )
    monkeypatch.setattr(window, "ask", lambda box: answer(box, "打开"))
    path = tmp_path / "报告.pdf"
    page.make_report(path=str(path))
    assert path.read_bytes().startswith(b"%PDF") and opened == [str(path)]


def test_the_report_page_fills_the_letterhead_from_the_profile_and_makes_a_word_file_with_what_was_typed(
    window, tmp_path, monkeypatch
):
    from docx import Document
    from PySide6.QtWidgets import QPushButton

    from desktop.ui import file_dialogs

    page = window.show_page("reports")
    assert page.doc_number.text() == "清卫健〔2026〕　　号" and page.addressee.text() == "清溪县人民政府"
    page.doc_number.setText("清卫健〔2026〕21号")
    page.addressee.setText("县委、县人民政府")
    window.show_page("staff")
    window.show_page("reports")
    assert page.doc_number.text() == "清卫健〔2026〕21号"  # what she typed is not overwritten on the way back
    path = tmp_path / "报告.docx"
    asked, buttons = [], []

    def ask(box):
        asked.append(box.text())
        buttons.extend(b.text() for b in box.buttons())
        return answer(box, "关闭")

    monkeypatch.setattr(window, "ask", ask)
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: (str(path), ""))
    page.findChild(QPushButton, "makeReportWord").click()
    assert asked and "Word 文件" in asked[0] and "打印" not in buttons
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert "县委、县人民政府：" in texts
    assert any("清卫健〔2026〕21号" in t for t in texts)


def _report_printed(window, tmp_path, monkeypatch, lp):
    """Make a report (its build replaced: the printing is under test) and press 打印 in the box that follows."""
    from types import SimpleNamespace

    page = window.show_page("reports")
    pdf = tmp_path / "报告.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    font = SimpleNamespace(warning="")
    monkeypatch.setattr(
        "desktop.ui.pages.reports.build_report",
        lambda *a, **k: SimpleNamespace(path=pdf, pages=3, font=font, period=window.period),
    )
    monkeypatch.setattr("desktop.ui.pages.reports.sys.platform", "linux")
    monkeypatch.setattr("desktop.ui.pages.reports.shutil.which", lambda name: "/usr/bin/lp" if lp else None)
    if lp:
        monkeypatch.setattr(
            "desktop.ui.pages.reports.subprocess.run",
            lambda *a, **k: SimpleNamespace(returncode=lp, stdout=b"", stderr=b"lp: Error - no default destination"),
        )
    opened = []
    monkeypatch.setattr(
        "desktop.ui.pages.reports.QDesktopServices.openUrl", lambda url: opened.append(url.toLocalFile()) or True
    )
    told = []

    def ask(box):
        told.append(box.text())
        if len(told) == 1:  # the report is made: print it
            answer(box, "打印")
        return 0

    monkeypatch.setattr(window, "ask", ask)
    page.make_report(path=str(pdf))
    return told, opened, pdf


def test_printing_without_a_print_command_opens_the_viewer_and_says_so(window, tmp_path, monkeypatch):
    told, opened, pdf = _report_printed(window, tmp_path, monkeypatch, lp=None)
    assert opened == [str(pdf)]
    assert told[1] == "本机没有打印命令，已用 PDF 阅读器打开报告：请在阅读器中选择“打印”。"


def test_printing_with_no_printer_set_up_says_so(window, tmp_path, monkeypatch):
    told, opened, pdf = _report_printed(window, tmp_path, monkeypatch, lp=1)
    assert opened == [str(pdf)]
    assert told[1].startswith("本机没有可用的默认打印机，已用 PDF 阅读器打开报告")


def test_the_import_wizard_lists_problems_top_to_bottom_as_the_file_reads(window, tmp_path):
    from desktop.excel.templates import write_template
    from tests.factories import fill_staff_rows

    with window.db.session() as s:
        path = write_template(s, "staff", tmp_path / "人员.xlsx")
    wb = load_workbook(path)
    ws = wb["数据"]
    fill_staff_rows(ws, 5, "马田镇卫生院")
    headers = [c.value for c in ws[1]]
    ws.cell(row=FIRST_DATA_ROW + 3, column=headers.index("人员类别*") + 1, value="外星人")
    ws.cell(row=FIRST_DATA_ROW + 1, column=headers.index("身份证号码*") + 1, value="12345")
    same = ws.cell(row=FIRST_DATA_ROW + 4, column=headers.index("身份证号码*") + 1).value
    ws.cell(row=FIRST_DATA_ROW, column=headers.index("身份证号码*") + 1, value=same)  # a number twice in the file
    ws.cell(row=FIRST_DATA_ROW + 2, column=headers.index("姓名*") + 1, value=None)
    wb.save(path)
    wizard = ImportWizard(window, "staff")
    wizard.file.setText(str(path))
    wizard.check()
    listed = [(p.row, p.column) for p in (wizard.problems.row_at(i) for i in range(wizard.problems.rowCount()))]
    assert len({r for r, _c in listed}) >= 3 and listed == sorted(listed, key=lambda rc: (rc[0], len(rc[1]), rc[1]))
