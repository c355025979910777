"""Every list as a clerk who lives in Excel expects it: extended selection, Ctrl+C as a table, a filter on each
column, a search box on every record page with Ctrl+F, and export and print of exactly what is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QPushButton
from sqlalchemy import func, select

from db.models import Submission
from desktop.ui import file_dialogs
from desktop.ui.list_view import ColumnFilter
from desktop.ui.tablemodel import FILTERED_MARK

from .conftest import answer


def _activate(window, qtbot) -> None:
    """A window's shortcuts reach it once it is the active window (offscreen too, but not at once)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)


def _column(model, label: str) -> int:
    return next(i for i, c in enumerate(model.columns) if c.label.startswith(label))


def test_ctrl_a_then_ctrl_c_copies_every_shown_row_as_a_table_with_its_header(window, qtbot):
    page = window.show_page("staff")
    view = page.view
    page.search.setText("王")
    shown = page.model.rowCount()
    assert 0 < shown < len(page.model.rows)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(view.selected_view_rows()) == shown
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert len(lines) == shown + 1
    assert lines[0].split("\t")[:3] == ["姓名", "身份证号码", "性别"]
    first = lines[1].split("\t")
    assert len(first) == len(page.model.columns) and "王" in lines[1]
    assert "*" in first[1]  # the ID number masked, as on screen


def test_shift_and_ctrl_clicks_extend_the_selection_and_one_record_actions_take_the_current_row(window, qtbot):
    page = window.show_page("facilities")
    view = page.view

    def click(row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        rect = view.visualRect(page.model.index(row, 0))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())

    click(1)
    click(4, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_view_rows() == [1, 2, 3, 4]
    click(7, Qt.KeyboardModifier.ControlModifier)
    assert view.selected_view_rows() == [1, 2, 3, 4, 7]
    from desktop.ui.pages.base import selected_row

    assert selected_row(view) is page.model.row_at(7)  # 编辑 opens the row last clicked


def test_a_column_filter_lists_values_with_counts_and_shows_only_the_ticked(window, qtbot, monkeypatch):
    page = window.show_page("staff")
    model, view = page.model, page.view
    column = _column(model, "人员类别")
    counts = dict(model.value_counts(column))
    assert counts["乡村医生"] > 0 and sum(counts.values()) == len(model.visible)

    def choose(dialog: ColumnFilter) -> int:
        assert isinstance(dialog, ColumnFilter)
        listed = [dialog.values.data(dialog.values.index(i)) for i in range(dialog.values.rowCount())]
        assert f"乡村医生（{counts['乡村医生']:,}）" in listed
        qtbot.mouseClick(dialog.findChild(QPushButton, "filterNone"), Qt.MouseButton.LeftButton)
        dialog.search.setText("乡村")
        assert dialog.values.rowCount() == 1
        qtbot.mouseClick(dialog.findChild(QPushButton, "filterAll"), Qt.MouseButton.LeftButton)
        dialog.apply()
        return 1

    monkeypatch.setattr(window, "ask", choose)
    view.setCurrentIndex(model.index(0, column))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert model.rowCount() == counts["乡村医生"]
    assert {model.row_at(r).category for r in range(model.rowCount())} == {"village_doctor"}
    assert model.headerData(column, Qt.Orientation.Horizontal).endswith(FILTERED_MARK)
    assert page.count.text().startswith(f"共 {counts['乡村医生']:,} 人")
    page.search.setText("李")  # the page's search narrows within the filter
    assert 0 < model.rowCount() < counts["乡村医生"]
    page.search.setText("")
    model.set_filter(column, None)
    assert model.rowCount() == len(model.base) and not model.headerData(column, Qt.Orientation.Horizontal).endswith(
        FILTERED_MARK
    )


def test_every_record_page_has_a_search_box_and_ctrl_f_goes_to_it(window, qtbot):
    _activate(window, qtbot)
    for key in ("facilities", "staff", "beds", "projects", "tasks", "findings", "history"):
        page = window.show_page(key)
        box = page.findChild(QLineEdit, f"{key}Search")
        assert box is not None, key
        qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert window.current_page() is page and box.hasFocus(), key
    page = window.show_page("facilities")
    before = page.model.rowCount()
    page.search.setText("卫生院")
    assert 0 < page.model.rowCount() < before
    assert all("卫生院" in page.model.row_at(r).name for r in range(page.model.rowCount()))
    assert page.count.text() == f"共 {page.model.rowCount()} 个机构"


def test_a_pages_export_writes_exactly_the_rows_shown_and_is_not_a_submission(window, tmp_path, monkeypatch):
    from desktop.ui import file_dialogs

    page = window.show_page("staff")
    page.search.setText("王")
    shown = page.model.rowCount()
    target = tmp_path / "人员.xlsx"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: (str(target), ""))
    told = []
    monkeypatch.setattr(window, "ask", lambda box: told.append(box.informativeText()) or answer(box, "关闭"))
    with window.db.session() as session:
        submissions = session.scalar(select(func.count()).select_from(Submission))
    page.findChild(QPushButton, "export_staff").click()
    ws = load_workbook(target).worksheets[0]
    rows = [r for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], int)]
    assert len(rows) == shown and ws.title.startswith("人员")
    assert told and f"共 {shown:,} 条（全部 {len(page.model.rows):,} 条）" in told[0]
    with window.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == submissions


def test_ctrl_p_previews_the_list_as_shown_and_a_page_without_a_list_says_so(window, qtbot, monkeypatch, tmp_path):
    import re

    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from tests.integration.office import pdf_text

    page = window.show_page("findings")
    page.search.setText("乡村医生")
    seen = []
    monkeypatch.setattr(window, "ask", lambda dialog: seen.append(dialog) or 0)
    _activate(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    (preview,) = seen
    assert isinstance(preview, QPrintPreviewDialog) and "问题清单" in preview.windowTitle()
    printer = QPrinter()  # what the preview's 打印 sends to the printer, to a PDF here
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "list.pdf"))
    preview.paintRequested.emit(printer)
    text = re.sub(r"\s+", "", pdf_text(tmp_path / "list.pdf"))
    shown = page.model.rowCount()
    assert "问题清单（2026年第三季度）" in text and f"共{shown:,}条（全部{len(page.model.rows):,}条）" in text
    assert text.count("乡村医生") >= shown
    window.show_page("dashboard")
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(seen) == 1 and "没有可打印的列表" in window.statusBar().currentMessage()


def test_ctrl_v_of_rows_goes_through_the_imports_checks_and_preview_then_updates(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from desktop.ui.import_wizard import ImportWizard

    page = window.show_page("staff")
    view, model = page.view, page.model
    view.selectRow(0)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    header, row = QGuiApplication.clipboard().text().splitlines()
    person = model.row_at(0)
    cells = row.split("\t")
    title = header.split("\t").index("专业技术职称")
    assert cells[title] != "正高级"
    cells[title] = "正高级"  # as a clerk changes it in Excel, then copies the row back
    QGuiApplication.clipboard().setText(f"{header}\n" + "\t".join(cells) + "\n")
    seen = []

    def look(wizard):
        seen.append(wizard)
        assert isinstance(wizard, ImportWizard) and wizard.windowTitle() == "粘贴导入"
        # The clerk sees what she pasted, not the temporary file it was written to, and a problem list she saves
        # is proposed in her documents, not in that folder (removed when the wizard closes).
        shown = [wizard.file.text(), wizard.summary.text()]
        assert shown[0] == "粘贴的表格" and shown[1].startswith("粘贴的表格：")
        assert not any("countyhealth-paste" in t or ".txt" in t for t in shown)
        assert Path(wizard._saved_beside("_问题标注.xlsx")).parent == file_dialogs.documents_folder()
        report = wizard.report
        assert not report.problems, [p.message for p in report.problems]
        assert report.count("changed") == 1 and report.count("new") == 0  # matched by the masked number
        wizard.confirm(good_rows_only=False)
        return 1

    monkeypatch.setattr(window, "ask", look)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert seen
    with window.db.session() as s:
        from db.models import StaffMember

        assert s.get(StaffMember, person.id).title == "senior"


# Qt warns once, as pytest-qt closes the window after the test, that the combo box editor (committed and closed
# by Enter) committed again: nothing is written then. Not yet traced; the note of 2026-12-04 says so.
@pytest.mark.qt_log_ignore("commitData called with an editor that does not belong to this view")
def test_f2_edits_a_simple_field_in_its_cell_with_the_forms_checks_and_undo(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QComboBox, QMessageBox

    from db.models import StaffMember

    page = window.show_page("staff")
    view, model = page.view, page.model
    person = model.row_at(0)
    column = _column(model, "专业技术职称")
    assert not model.editable(_column(model, "身份证号码"))  # a masked number is the form's, never the grid's
    view.setCurrentIndex(model.index(0, column))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    (combo,) = [w for w in view.viewport().findChildren(QComboBox) if w.isVisible()]
    target = "正高级" if combo.currentText() != "正高级" else "中级"
    combo.setCurrentText(target)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.wait(20)  # the delegate commits on Enter through a queued call, as in the window

    def title() -> str:
        with window.db.session() as s:
            return s.get(StaffMember, person.id).title

    codes = {"正高级": "senior", "中级": "intermediate"}
    assert title() == codes[target]
    assert window.undo_stack.undoText().endswith("的专业技术职称")
    window.undo_stack.undo()
    assert title() == person.title

    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    row = page.model.view_row_of(person.id)
    name = _column(page.model, "姓名")
    assert page.model.setData(page.model.index(row, name), "") is False  # a name left empty is refused
    assert warned and "不能为空" in warned[0]
    with window.db.session() as s:
        assert s.get(StaffMember, person.id).name == person.name


def test_f2_on_facilities_and_projects_edits_only_what_needs_no_form(window):
    import datetime as dt

    from db.models import Facility, Project

    page = window.show_page("facilities")
    model = page.model
    assert model.editable(_column(model, "机构名称"))
    assert not model.editable(_column(model, "实有床位")) and not model.editable(_column(model, "运营状态"))
    row = model.view_row_of(model.row_at(0).id)
    facility = model.row_at(row)
    assert model.setData(model.index(row, _column(model, "机构名称")), facility.name + "（新址）")
    with window.db.session() as s:
        assert s.get(Facility, facility.id).name == facility.name + "（新址）"

    page = window.show_page("projects")
    model = page.model
    assert not model.editable(_column(model, "形象进度"))
    project = model.row_at(0)
    column = _column(model, "计划完工")
    assert model.setData(model.index(0, column), "2027-06-30")
    with window.db.session() as s:
        assert s.get(Project, project.id).planned_completion == dt.date(2027, 6, 30)
