"""帮助 › 使用说明: the short manual shipped with the app (resources/manual/manual.md), read in the window or saved
as a PDF to print."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QTextBrowser, QVBoxLayout

from desktop.ui import file_dialogs
from desktop.ui.errors import show_error

MANUAL = "manual/manual.md"


def manual_text() -> str:
    return files("resources").joinpath(MANUAL).read_text(encoding="utf-8")


def manual_document(point_size: float = 11) -> QTextDocument:
    document = QTextDocument()
    document.setDefaultFont(QFont(QFont().family(), point_size))
    document.setMarkdown(manual_text())
    return document


def save_manual_pdf(path: str | Path) -> None:
    """The manual on A4 pages, as the window shows it. OSError if the file cannot be written (QPdfWriter itself
    would fail without a word)."""
    Path(path).write_bytes(b"")
    writer = QPdfWriter(str(path))
    writer.setTitle("县域卫生健康台账 使用说明")
    writer.setCreator("县域卫生健康台账")
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(20, 20, 20, 20))
    )
    writer.setResolution(300)
    manual_document().print_(writer)  # a document with no page size of its own is laid out on the writer's pages


class ManualDialog(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("使用说明")
        self.resize(760, 640)
        layout = QVBoxLayout(self)
        self.view = QTextBrowser()
        self.view.setObjectName("manual")
        self.view.setDocument(manual_document())
        self.view.setOpenExternalLinks(False)
        layout.addWidget(self.view)
        buttons = QDialogButtonBox()
        save = QPushButton("另存为 PDF…")
        save.clicked.connect(self.save_pdf)
        buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def save_pdf(self, *, path: str | None = None) -> None:
        if path is None:
            path, _ = file_dialogs.save_file_name(self, "保存使用说明", "使用说明.pdf", "PDF 文件 (*.pdf)")
            if not path:
                return
        try:
            save_manual_pdf(path)
        except OSError as exc:
            show_error(self, "保存失败", exc)
