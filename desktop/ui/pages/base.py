"""What every page shares: its place in the window, refreshing when data changed, a table helper."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from db.errors import UserError
from desktop.operations import Done, perform
from desktop.records.editing import RecordError
from desktop.ui.list_output import export_button  # noqa: F401 (each record page's, beside its list)
from desktop.ui.operations import changed

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop.ui.main_window import MainWindow


T = TypeVar("T")


class Page(QWidget):
    key = ""
    title = ""
    import_kind: str | None = None  # the import its list's Ctrl+V goes through (desktop.excel.templates)
    record_type = None  # the RecordType its list's cells are edited as (F2), where it allows that

    def allow_editing_in_list(self, model, only: frozenset[str] | None = None) -> None:
        """The list's simple fields edited in their cells (F2), through the record's checks and the undo stack;
        ``only`` these where the others need the form (a bed count's day, a closing's reason)."""
        model.edit_cell = self.edit_cell
        model.grid_fields = only

    def edit_cell(self, row, field, text: str) -> str | None:
        from PySide6.QtWidgets import QMessageBox

        from db import AccessDenied
        from desktop.operations import save_record
        from desktop.ui.commands import push_edit

        rtype, win = self.record_type, self.win
        if not win.can("edit"):
            win.statusBar().showMessage("当前账号无权修改", 5000)
            return "无权修改"
        try:
            done = save_record(win.db, rtype, row.id, {field.name: text}, user=win.user)
        except RecordError as exc:
            message = "；".join(exc.errors.values())
            QMessageBox.warning(self, "未能修改", message)
            return message
        except AccessDenied as exc:
            QMessageBox.warning(self, "未能修改", str(exc))
            return str(exc)
        title = getattr(row, "name", None) or getattr(row, "title", "")
        push_edit(win, rtype, row.id, done.value, title=title)
        changed(win, done)
        return None

    def __init__(self, win: MainWindow) -> None:
        super().__init__()
        self.win = win
        self.setObjectName(f"page_{self.key}")
        self.stale = True

    # The tables the page shows (None: any), so an action that wrote none of them leaves it as it is. The history
    # rows an as-of figure reads (``changes``) need not be named: each is written with the row it describes.
    # tests/ui/test_page_reads.py holds each page to what its refresh really reads.
    reads: frozenset[str] | None = None

    def shows(self, changed: frozenset[str]) -> bool:
        """Whether an action that wrote ``changed`` may change what the page shows."""
        from db.access import ANY_TABLE

        return self.reads is None or ANY_TABLE in changed or bool(changed & self.reads)

    def refresh(self) -> None:
        """Re-read what the page shows; called when it is shown after data it shows changed."""

    def ensure_fresh(self) -> None:
        if self.stale:
            self.stale = False
            with self.win.db.reading():  # every part of the page read in one transaction (Database.reading)
                self.refresh()

    def open_record(self, record_id: int) -> None:
        """Show one record of this page's kind (from the findings, the dashboard, another page)."""

    def can_leave(self, doing: str = "离开本页") -> bool:
        """Whether the window may show another page or database (a page with unsaved work asks first)."""
        return True

    def forget_unsaved(self) -> None:
        """Drop unsaved work: the database it was typed for is no longer the window's."""

    def paste_rows(self, text: str) -> None:
        """Ctrl+V of rows copied from Excel or WPS (or this list): the import's checks and preview, as a file of
        them would have, then added or updated on the clerk's 导入. Nothing is written without that."""
        if not text.strip():
            return
        if self.import_kind is None:
            self.win.statusBar().showMessage("本页的列表不能粘贴导入", 5000)
            return
        import shutil
        import tempfile
        from pathlib import Path

        from desktop.ui.import_wizard import ImportWizard

        folder = Path(tempfile.mkdtemp(prefix="countyhealth-paste-"))  # the user's own, 0700
        try:
            path = folder / "粘贴的表格.txt"
            path.write_text(text, encoding="utf-8")
            wizard = ImportWizard(self.win, self.import_kind)
            wizard.paste(path)
            self.win.ask(wizard)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def focus_search(self) -> bool:
        """Ctrl+F: put the cursor in the page's search box; False when the page has none."""
        box = getattr(self, "search", None)
        if not isinstance(box, QLineEdit):
            return False
        box.setFocus()
        box.selectAll()
        return True


def search_box(page: Page, what: str, changed: Callable[[], None]) -> QLineEdit:
    """The page's search box (Ctrl+F): ``what`` it searches, ``changed`` called on each keystroke."""
    box = QLineEdit()
    box.setObjectName(f"{page.key}Search")
    box.setPlaceholderText(f"搜索{what}（Ctrl+F）")
    box.setClearButtonEnabled(True)
    box.textChanged.connect(lambda _t: changed())
    page.search = box
    return box


COUNTY = "县（市、区）"  # the column a list of a city's records names each row's county in


def show_county_column(view: QTableView) -> None:
    """The county column only where the rows span counties (a city's database); one county's lists go without."""
    model = view.model()
    column = next((i for i, c in enumerate(model.columns) if c.label == COUNTY), None)
    if column is not None:
        view.setColumnHidden(column, len(set(model.texts(column))) <= 1)


def count_label(model, text: Callable[[int], str]) -> QLabel:
    """A label saying how many rows the list shows, kept true as its search and column filters change."""
    label = QLabel()
    model.modelReset.connect(lambda: label.setText(text(len(model.visible))))
    return label


def requires(widget: QWidget, permission: str) -> QWidget:
    """Mark a widget as needing a permission ("edit", "manage"); MainWindow.apply_role enables it or not."""
    widget.setProperty("requires", permission)
    return widget


def add_buttons(layout, buttons) -> None:
    """A row of action buttons: (label, slot, objectName or None[, the permission it needs]) each."""
    for text, slot, name, *permission in buttons:
        button = QPushButton(text)
        if name:
            button.setObjectName(name)
        if permission:
            requires(button, permission[0])
        button.clicked.connect(lambda _checked=False, slot=slot: slot())
        layout.addWidget(button)


def date_edit(value=None) -> QDateEdit:
    """A date field as forms show them: a calendar to pick from, written 2026-09-30."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if value is not None:
        edit.setDate(value)
    return edit


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageHeading")
    return label


def make_table(model, *, sortable: bool = True, stretch_last: bool = True) -> QTableView:
    """A list as Excel's: several rows selected, copied, each column filtered (desktop.ui.list_view)."""
    from desktop.ui.list_view import ListView

    view = ListView(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)  # F2; a double-click opens the form
    view.setAlternatingRowColors(True)
    # No sort column until the user clicks one: the rows keep the order the page gives them.
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(sortable)
    view.verticalHeader().setDefaultSectionSize(24)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_last)
    for i, column in enumerate(model.columns):
        if column.width:
            view.setColumnWidth(i, column.width)
    return view


def selected_row(view: QTableView):
    """The row an action on one record acts on: the current one if it is selected, else the first selected."""
    model = view.selectionModel()
    if model is None or not model.hasSelection():
        return None
    current = view.currentIndex()
    if current.isValid() and model.isRowSelected(current.row()):
        return view.model().row_at(current.row())
    return view.model().row_at(model.selectedRows()[0].row())


def write_from_dialog(
    page: Page,
    title: str,
    fields: list[tuple[str, QWidget]],
    write: Callable[[Session], T],
    *,
    button: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Ok,
) -> Done[T] | None:
    """A small dialog (a dated progress report, a division renamed); ``write`` runs in its own transaction when
    it is accepted. The core's refusal is shown in the dialog, which stays open with what was typed; the window
    re-reads what was written. None when the clerk cancelled."""
    dialog = QDialog(page)
    dialog.setWindowTitle(title)
    dialog.setMinimumWidth(420)
    form = QFormLayout(dialog)
    for label, widget in fields:
        form.addRow(label, widget)
    error = QLabel()
    error.setObjectName("dialogError")
    error.setWordWrap(True)
    error.setStyleSheet("color: #b00020;")
    form.addRow(error)
    buttons = QDialogButtonBox(button | QDialogButtonBox.StandardButton.Cancel)
    if button == QDialogButtonBox.StandardButton.Ok:
        buttons.button(button).setText("确定")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    done: list[Done[T]] = []

    def save() -> None:
        try:
            done.append(perform(page.win.db, write))
        except UserError as exc:
            error.setText(str(exc))
            return
        dialog.accept()

    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    page.win.ask(dialog)
    return changed(page.win, done[0]) if done else None


def run_dated_update(
    page: Page, title: str, fields: list[tuple[str, QWidget]], write: Callable[[Session], object]
) -> None:
    """One dated progress report (a project's, a task's), saved with 保存."""
    write_from_dialog(page, title, fields, write, button=QDialogButtonBox.StandardButton.Save)
