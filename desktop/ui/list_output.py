"""A page's list written out exactly as shown: to a workbook (the page's 导出 Excel…) or to the printer (Ctrl+P,
with a preview). The rows are those the page's search and the columns' filters leave, in the order shown."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QPageLayout, QPageSize, QTextDocument
from PySide6.QtWidgets import QMessageBox, QPushButton

from desktop.ui import file_dialogs
from desktop.ui.list_view import ListView, shown_html, shown_table
from desktop.ui.tasks import run_task

if TYPE_CHECKING:
    from desktop.ui.pages.base import Page

ASK_BEFORE_PRINTING = 3000  # rows; more is a long print a clerk should confirm


def shown_list(page: Page) -> ListView | None:
    view = getattr(page, "view", None)
    return view if isinstance(view, ListView) else None


def _title(page: Page) -> str:
    return f"{page.title}（{page.win.period.label}）"


def _note(page: Page) -> str:
    model = shown_list(page).list_model()
    shown, whole = len(model.visible), len(model.rows)
    if shown == whole:
        return f"共 {shown:,} 条。"
    return f"按窗口中的搜索和筛选列出：共 {shown:,} 条（全部 {whole:,} 条）。"


def export_button(page: Page) -> QPushButton:
    """A record page's 导出 Excel…: its list as shown (the submission sheets are on the 报表 page)."""
    button = QPushButton("导出 Excel…")
    button.setObjectName(f"export_{page.key}")
    button.setToolTip("把本页列表按当前的搜索和筛选导出为 Excel 工作簿；上报报表请在“报表”页导出")
    button.clicked.connect(lambda: export_shown(page))
    return button


def export_shown(page: Page, *, path: str | None = None) -> None:
    model = shown_list(page).list_model()
    if path is None:
        default = page.win.pages["reports"].default_name(page.title)
        path, _ = file_dialogs.save_file_name(page, "导出 Excel", default, "Excel 工作簿 (*.xlsx)")
        if not path:
            return
    columns, rows = shown_table(model)
    db, title, note, period, today = page.win.db, _title(page), _note(page), page.win.period, page.win.today

    def job(progress, cancelled):
        from desktop.excel.export import export_list  # openpyxl: when a list is first exported, not at start

        return export_list(db, title, columns, rows, path, period=period, note=note, today=today)

    run_task(page, "正在导出…", job, lambda written: _exported(page, written), failure="导出失败")


def _exported(page: Page, path: Path) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, "导出完成", f"已导出到：\n{path}", parent=page)
    box.setInformativeText(_note(page))
    open_file = box.addButton("打开文件", QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    page.win.ask(box)
    if box.clickedButton() is open_file:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    elif box.clickedButton() is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))


def print_shown(page: Page) -> bool:
    """Ctrl+P: the list as shown, in a print preview from which it is printed; False when the page has none."""
    view = shown_list(page)
    if view is None:
        return False
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog  # only when printing

    model = view.list_model()
    if len(model.visible) > ASK_BEFORE_PRINTING:
        ask = QMessageBox(
            QMessageBox.Icon.Question,
            "打印",
            f"将打印 {len(model.visible):,} 行，约 {len(model.visible) // 40 + 1:,} 页。是否继续？"
            "\n（可先用搜索框或列标题的筛选缩小范围）",
            parent=page,
        )
        go = ask.addButton("继续", QMessageBox.ButtonRole.AcceptRole)
        ask.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        page.win.ask(ask)
        if ask.clickedButton() is not go:
            return True
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape, printer.pageLayout().margins()
        )
    )
    preview = QPrintPreviewDialog(printer, page)
    preview.printer_ = printer  # the dialog keeps what it prints with, and its document (a child), alive
    document = QTextDocument(preview)
    document.setHtml(shown_html(model, _title(page), _note(page)))
    preview.setWindowTitle(f"打印预览：{_title(page)}")
    preview.paintRequested.connect(document.print_)
    page.win.ask(preview)
    return True
