"""The records of one person or facility shown in its form, each added, edited and deleted there: a person's
trainings and loans, a health centre's special funds by year."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from desktop.records.editing import delete_record
from desktop.records.types import RecordType
from desktop.ui.operations import run_action
from desktop.ui.pages.base import make_table, selected_row
from desktop.ui.record_dialogs import edit_record_dialog, new_record_dialog
from desktop.ui.tablemodel import Column, ListModel

if TYPE_CHECKING:
    from desktop.ui.forms import RecordForm
    from desktop.ui.main_window import MainWindow


class ChildRecords(QWidget):
    """A table of records that belong to one owner (``fixed``: the owner's field and id, given to every form and
    not shown there), with 新增…, 编辑… and 删除 below it. ``load(session)`` reads the rows (each with an ``id``);
    ``describe(row)`` names one in the question before it is deleted; ``counted(n)`` hears the count after each
    read (a tab's title)."""

    def __init__(
        self,
        win: MainWindow,
        rtype: RecordType,
        fixed: dict[str, Any],
        columns: Sequence[Column],
        load: Callable[[Session], list],
        *,
        describe: Callable[[Any], str],
        defaults: dict[str, Any] | None = None,
        counted: Callable[[int], None] = lambda _n: None,
    ) -> None:
        super().__init__()
        self.win, self.rtype, self.fixed, self.load = win, rtype, fixed, load
        self.describe, self.defaults, self.counted = describe, defaults or {}, counted
        self.setObjectName(f"records_{rtype.key}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.model = ListModel(list(columns))
        self.view = make_table(self.model, sortable=False)
        self.view.setObjectName(f"table_{rtype.key}")
        self.view.doubleClicked.connect(lambda _i: self.edit())
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        may_edit = win.can("edit")
        for text, slot, name, needs_edit in (
            ("新增…", self.add, "add", True),
            ("编辑…" if may_edit else "查看…", self.edit, "edit", False),
            ("删除", self.delete, "delete", True),
        ):
            button = QPushButton(text)
            button.setObjectName(f"{name}_{rtype.key}")
            button.setEnabled(may_edit or not needs_edit)
            button.clicked.connect(lambda _c=False, slot=slot: slot())
            row.addWidget(button)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        with self.win.db.reading() as session:
            rows = self.load(session)
        self.model.set_rows(rows)
        self.counted(len(rows))

    def add(self, *, exec_: bool = True) -> RecordForm:
        form = new_record_dialog(
            self.win, self.rtype, self.defaults, fixed=self.fixed, parent=self.window(), exec_=False
        )
        form.accepted.connect(self.refresh)
        if exec_:
            form.exec()
        return form

    def edit(self, *, exec_: bool = True) -> RecordForm | None:
        row = selected_row(self.view)
        if row is None:
            return None
        form = edit_record_dialog(self.win, self.rtype, row.id, fixed=self.fixed, parent=self.window(), exec_=False)
        form.accepted.connect(self.refresh)
        if exec_:
            form.exec()
        return form

    def delete(self) -> None:
        row = selected_row(self.view)
        if row is None:
            return
        asked = QMessageBox.question(
            self,
            f"删除{self.rtype.label}",
            f"确定删除这条{self.rtype.label}吗？\n{self.describe(row)}\n\n删除后可在修改记录中查到原来的内容。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if asked != QMessageBox.StandardButton.Yes:
            return
        rtype, user = self.rtype, self.win.user
        run_action(self.win, lambda s: delete_record(s, rtype, row.id, user=user), failure="无法删除", parent=self)
        self.refresh()
