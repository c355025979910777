"""Ctrl+Z after a save undoes the save: a text field in the window takes Ctrl+Z (and Ctrl+Y) only while it has
edits of its own to undo (or redo); otherwise the keys go to the window's undo of the last change."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget


class FieldUndoFirst(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(watched, QLineEdit):
            return False
        if event.matches(QKeySequence.StandardKey.Undo):
            own = watched.isUndoAvailable()
        elif event.matches(QKeySequence.StandardKey.Redo) or (
            event.key() == Qt.Key.Key_Y and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        ):
            own = watched.isRedoAvailable()
        else:
            return False
        if own:
            return False
        event.ignore()  # not the field's: the window's shortcut takes the key
        return True

    def watch(self, parent: QWidget) -> None:
        """The text fields under ``parent`` (a page built after the window) follow the rule too."""
        for field in parent.findChildren(QLineEdit):
            field.installEventFilter(self)


def install(window: QWidget) -> FieldUndoFirst:
    keys = FieldUndoFirst(window)
    keys.watch(window)
    return keys
