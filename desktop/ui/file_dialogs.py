"""The app's file choosers: one place, so that none of them ever opens the files it lists.

Qt's file dialog (and GTK's, which a Linux desktop's platform theme would bring into the process) tells a
file's icon and type by reading its first bytes. Reading the open database that way closes a descriptor of
it in this process, and on Linux and other POSIX systems closing *any* descriptor drops every POSIX lock the
process holds on the file: SQLite's own locks among them (SQLite's "How To Corrupt An SQLite Database File",
2.2). So on those systems the dialog is Qt's own, with an icon provider that goes by the name alone; traced
with ``strace -e trace=openat``, it lists the folder without opening a file in it. Windows locks belong to
the handle, so its native dialog is kept there.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QFileInfo, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget


def documents_folder() -> Path:
    """Where a file the app proposes to save goes when nothing else says where: the user's documents."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())


class NameOnlyIconProvider(QFileIconProvider):
    """A file's icon and type from its name (folder or file, and its suffix), never from its content."""

    def icon(self, what):  # noqa: ANN001 (Qt's overloads: an IconType or a QFileInfo)
        if isinstance(what, QFileInfo):
            kind = QFileIconProvider.IconType.Folder if what.isDir() else QFileIconProvider.IconType.File
            return super().icon(kind)
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "文件夹"
        suffix = info.suffix()
        return f"{suffix.upper()} 文件" if suffix else "文件"


_PROVIDER: list[NameOnlyIconProvider] = []  # one for the app's lifetime: a dialog does not own its provider


def _dialog(parent: QWidget | None, title: str, start: str, filters: str, mode: QFileDialog.AcceptMode) -> QFileDialog:
    dialog = QFileDialog(parent, title, start, filters)
    dialog.setAcceptMode(mode)
    if os.name != "nt":
        if not _PROVIDER:
            _PROVIDER.append(NameOnlyIconProvider())
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setIconProvider(_PROVIDER[0])
        # Qt's Chinese catalogue leaves these two in English ("Look in:", "Files of type:").
        dialog.setLabelText(QFileDialog.DialogLabel.LookIn, "查找范围：")
        dialog.setLabelText(QFileDialog.DialogLabel.FileType, "文件类型：")
    return dialog


def _run(dialog: QFileDialog) -> tuple[str, str]:
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return "", ""
        return dialog.selectedFiles()[0], dialog.selectedNameFilter()
    finally:
        dialog.deleteLater()


def open_file_name(parent: QWidget | None, title: str, start: str = "", filters: str = "") -> tuple[str, str]:
    """As QFileDialog.getOpenFileName: (the chosen path or "", the chosen filter)."""
    dialog = _dialog(parent, title, start, filters, QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return _run(dialog)


def save_file_name(parent: QWidget | None, title: str, start: str = "", filters: str = "") -> tuple[str, str]:
    """As QFileDialog.getSaveFileName: asks before replacing a file, and adds the filter's suffix if none."""
    dialog = _dialog(parent, title, start, filters, QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    suffix = _first_suffix(filters)
    if suffix:
        dialog.setDefaultSuffix(suffix)
    return _run(dialog)


def _first_suffix(filters: str) -> str:
    """ "Excel 工作簿 (*.xlsx)" -> "xlsx"."""
    start = filters.find("(*.")
    if start < 0:
        return ""
    return filters[start + 3 :].split(")")[0].split()[0]
