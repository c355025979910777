"""What the window does with a database that fails its check on open: say so, offer the latest good backup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from db import DamagedDatabaseError
from db.backups import restore
from db.errors import UserError
from desktop.ui.errors import show_error


def restore_dialog(parent: QWidget | None, exc: DamagedDatabaseError) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("数据库已损坏")
    box.setText(str(exc))
    latest = exc.latest_backup
    if latest is not None:
        box.setInformativeText(f"{latest.preview}\n\n恢复前，损坏的文件会另存一份，不会丢失。")
        box.addButton("从此备份恢复", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("不恢复", QMessageBox.ButtonRole.RejectRole)
    else:
        box.addButton(QMessageBox.StandardButton.Close)
    return box


def offer_restore(
    parent: QWidget | None, path: str | Path, exc: DamagedDatabaseError, ask: Callable[[QMessageBox], object]
) -> bool:
    """Show the damage and, if the user agrees, restore the latest good backup. True when restored."""
    box = restore_dialog(parent, exc)
    ask(box)
    clicked = box.clickedButton()
    if exc.latest_backup is None or clicked is None or box.buttonRole(clicked) != QMessageBox.ButtonRole.AcceptRole:
        return False
    try:
        restore(exc.latest_backup.path, path)
    except UserError as err:
        show_error(parent, "恢复失败", err)
        return False
    return True
