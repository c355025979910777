"""Undoable edits: each applies a change through the core's save, in its own transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from db import Database
from desktop.operations import Saved, save_record
from desktop.records.editing import ConflictError, RecordError
from desktop.records.types import RecordType

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


class EditCommand(QUndoCommand):
    """A change of some fields of one record. The change is made before the command is pushed
    (so a refused save never reaches the stack); redo after an undo makes it again.

    Undo and redo name the version they leave the record at: if another clerk has saved the record since,
    they change nothing, say so through ``refused``, and leave the stack (an undo must not overwrite a
    colleague's later work)."""

    def __init__(
        self,
        db: Database,
        rtype: RecordType,
        record_id: int,
        changed: dict[str, tuple[Any, Any]],
        *,
        user: str,
        after: Callable[[frozenset[str]], None],
        text: str,
        version: int | None = None,
        refused: Callable[[str], None] = lambda _message: None,
        effective_on: dt.date | None = None,
    ) -> None:
        super().__init__(text)
        self.db, self.rtype, self.record_id, self.user, self.after = db, rtype, record_id, user, after
        self.version, self.refused = version, refused
        self.effective_on = effective_on  # undone and redone from the day the change held from
        self.before = {name: old for name, (old, _new) in changed.items()}
        self.after_values = {name: new for name, (_old, new) in changed.items()}
        self._applied = True

    def _apply(self, values: dict[str, Any], reason: str) -> None:
        try:
            done = save_record(
                self.db, self.rtype, self.record_id, values, user=self.user, reason=reason,
                expected_version=self.version, effective_on=self.effective_on,
            )  # fmt: skip
        except ConflictError as exc:
            self.setObsolete(True)
            self.refused(f"无法{reason}“{self.text()}”：此后{exc.who}又修改了这条记录。为免覆盖对方的修改，未作改动。")
            return
        except RecordError as exc:  # the record is gone (a training deleted since)
            self.setObsolete(True)
            self.refused(f"无法{reason}“{self.text()}”：{exc}")
            return
        if self.version is not None:
            self.version = done.value.version
        self.after(done.changed)

    def redo(self) -> None:
        if self._applied:  # the first redo, from push(): already done
            self._applied = False
            return
        self._apply(self.after_values, "重做")

    def undo(self) -> None:
        self._apply(self.before, "撤销")


def push_edit(
    win: MainWindow,
    rtype: RecordType,
    record_id: int,
    saved: Saved,
    *,
    title: object,
    effective_on: dt.date | None = None,
) -> None:
    """A save made (a form's, a cell's) put on the window's undo stack as "修改<title>的<fields>", if it changed
    anything (a part's change too: equipment, service area, planned investment, by field name)."""
    if not saved.changed:
        return
    from PySide6.QtWidgets import QMessageBox

    labels = "、".join(rtype.field(n).label for n in saved.changed)
    win.undo_stack.push(
        EditCommand(
            win.db, rtype, record_id, saved.changed, user=win.user, after=win.records_changed,
            text=f"修改{title}的{labels}", version=saved.version,
            refused=lambda message: QMessageBox.warning(win, "未作改动", message), effective_on=effective_on,
        )
    )  # fmt: skip
