"""Every list in the window, as a clerk who lives in Excel expects it: rows selected with Shift, Ctrl and Ctrl+A,
Ctrl+C copying them as a table Excel and WPS paste, and a filter on each column (its values with their counts,
a search, select all or none), opened from the column's header or with Alt+↓."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.tablemodel import BLANK, ListModel

SHOWN_AT_MOST = 2000  # values listed in a filter at once; the search finds the rest


class ValuesModel(QAbstractListModel):
    """A column's values with their counts and a tick each; only those matching the search are listed."""

    def __init__(self, values: list[tuple[str, int]], allowed: frozenset[str] | None) -> None:
        super().__init__()
        self.values = values
        self.ticked = [allowed is None or text in allowed for text, _n in values]
        self.shown = list(range(len(values)))[:SHOWN_AT_MOST]
        self.matching = list(range(len(values)))

    def search(self, text: str) -> None:
        self.beginResetModel()
        text = text.strip()
        self.matching = [i for i, (t, _n) in enumerate(self.values) if text in (t or BLANK)]
        self.shown = self.matching[:SHOWN_AT_MOST]
        self.endResetModel()

    def tick_all(self, ticked: bool) -> None:
        """Tick or untick every value the search finds, listed or not (as Excel's 全选 of search results)."""
        for i in self.matching:
            self.ticked[i] = ticked
        self.dataChanged.emit(self.index(0), self.index(max(0, len(self.shown) - 1)))

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.shown)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        k = self.shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            text, n = self.values[k]
            return f"{text or BLANK}（{n:,}）"
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if self.ticked[k] else Qt.CheckState.Unchecked
        return None

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        self.ticked[self.shown[index.row()]] = Qt.CheckState(value) == Qt.CheckState.Checked
        self.dataChanged.emit(index, index)
        return True

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable

    def allowed(self) -> frozenset[str] | None:
        """The ticked values; None when every value is ticked (no filter)."""
        if all(self.ticked):
            return None
        return frozenset(text for (text, _n), on in zip(self.values, self.ticked, strict=True) if on)


class ColumnFilter(QDialog):
    """Excel's filter drop-down for one column of a list."""

    def __init__(self, model: ListModel, column: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self.column = model, column
        label = model.columns[column].label
        self.setWindowTitle(f"筛选：{label}")
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setObjectName("filterSearch")
        self.search.setPlaceholderText("搜索")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.values = ValuesModel(model.value_counts(column), model.filters.get(column))
        self.list = QListView()
        self.list.setObjectName("filterValues")
        self.list.setModel(self.values)
        self.list.setUniformItemSizes(True)
        layout.addWidget(self.list)
        self.more = QLabel()
        layout.addWidget(self.more)
        row = QHBoxLayout()
        for text, name, ticked in (("全选", "filterAll", True), ("全不选", "filterNone", False)):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(lambda _c=False, t=ticked: self.values.tick_all(t))
            row.addWidget(button)
        clear = QPushButton("清除筛选")
        clear.setObjectName("filterClear")
        clear.setEnabled(column in model.filters)
        clear.clicked.connect(self.clear)
        row.addWidget(clear)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self.searched)
        self.searched("")
        self.resize(300, 420)

    def searched(self, text: str) -> None:
        self.values.search(text)
        hidden = len(self.values.matching) - len(self.values.shown)
        self.more.setText(f"另有 {hidden:,} 个值未列出，请输入文字查找" if hidden > 0 else "")
        self.more.setVisible(hidden > 0)

    def apply(self) -> None:
        allowed = self.values.allowed()
        if allowed is not None and not allowed:
            self.more.setText("请至少勾选一个值")
            self.more.setVisible(True)
            return
        self.model.set_filter(self.column, allowed)
        self.accept()

    def clear(self) -> None:
        self.model.set_filter(self.column, None)
        self.accept()


class CellEditor(QStyledItemDelegate):
    """A coded field's cell edited by picking among its labels; the others typed as text."""

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt's names)
        field = index.model().columns[index.column()].field
        if field is not None and field.kind == "code":
            combo = QComboBox(parent)
            combo.addItems(list(field.codes.values()))
            combo.activated.connect(lambda _i: self._picked(combo))  # a label picked is the value given
            return combo
        return super().createEditor(parent, option, index)

    def _picked(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor, index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor, model, index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class ListView(QTableView):
    """A QTableView over a ListModel with Excel's selection, copying, column filters and F2 in a cell."""

    def __init__(self, model: ListModel) -> None:
        super().__init__()
        self.setModel(model)
        self.setItemDelegate(CellEditor(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)

    def list_model(self) -> ListModel:
        return self.model()

    def selected_view_rows(self) -> list[int]:
        """The selected rows, top to bottom, from the selection's ranges (Ctrl+A over 25,000 rows is one)."""
        spans = sorted((r.top(), r.bottom()) for r in self.selectionModel().selection())
        rows: list[int] = []
        for top, bottom in spans:  # ranges of rows, sorted and merged: no sort over every row
            start = max(top, rows[-1] + 1) if rows else top
            rows.extend(range(start, bottom + 1))
        return rows

    def copy_selection(self) -> int:
        """Put the selected rows on the clipboard as a table; returns how many."""
        rows = self.selected_view_rows()
        if not rows and self.currentIndex().isValid():
            rows = [self.currentIndex().row()]
        if rows:
            QGuiApplication.clipboard().setText(self.list_model().as_text(rows))
        return len(rows)

    def open_filter(self, column: int) -> None:
        dialog = ColumnFilter(self.list_model(), column, self)
        window = self.window()
        ask = getattr(window, "ask", None)
        ask(dialog) if ask else dialog.exec()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            page = self.parentWidget()
            while page is not None and not hasattr(page, "paste_rows"):
                page = page.parentWidget()
            if page is not None:
                page.paste_rows(QGuiApplication.clipboard().text())
            return
        if event.key() == Qt.Key.Key_Down and event.modifiers() == Qt.KeyboardModifier.AltModifier:
            self.open_filter(max(0, self.currentIndex().column()))
            return
        super().keyPressEvent(event)

    def _header_menu(self, at: QPoint) -> None:
        column = self.horizontalHeader().logicalIndexAt(at)
        if column < 0:
            return
        model = self.list_model()
        menu = QMenu(self)
        menu.addAction(f"筛选“{model.columns[column].label}”…", lambda: self.open_filter(column))
        clear = menu.addAction("清除本列筛选", lambda: model.set_filter(column, None))
        clear.setEnabled(column in model.filters)
        clear_all = menu.addAction("清除全部筛选", model.clear_filters)
        clear_all.setEnabled(bool(model.filters))
        menu.exec(self.horizontalHeader().mapToGlobal(at))


def shown_table(model: ListModel) -> tuple[list[tuple[str, str]], list[list[object]]]:
    """The list as shown, for a workbook: (label, kind) of each column and each shown row's cells; numbers and
    dates stay numbers and dates, the rest is the text on screen (a masked number masked)."""
    kinds = []
    for column in model.columns:
        sample = next((v for v in (column.value(model.rows[i]) for i in model.visible) if v is not None), None)
        if isinstance(sample, dt.date):
            kinds.append("date")
        elif column.numeric and isinstance(sample, int) and not isinstance(sample, bool):
            kinds.append("int")
        elif column.numeric and isinstance(sample, float):
            kinds.append("float")
        else:
            kinds.append("text")
    texts = [model.texts(c) for c in range(len(model.columns))]
    rows = []
    for i in model.visible:
        row = model.rows[i]
        rows.append(
            [
                texts[c][i] if kind == "text" else column.value(row)
                for c, (column, kind) in enumerate(zip(model.columns, kinds, strict=True))
            ]
        )
    columns = [(column.label, kind) for column, kind in zip(model.columns, kinds, strict=True)]
    return columns, rows


def shown_html(model: ListModel, title: str, note: str) -> str:
    """The list as shown, as a printable table (Ctrl+P)."""
    columns = range(len(model.columns))
    texts = [model.texts(c) for c in columns]
    right = [model.columns[c].numeric for c in columns]
    head = "".join(f"<th>{escape(model.columns[c].label)}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td{' align=right' if right[c] else ''}>{escape(texts[c][i])}</td>" for c in columns)
        + "</tr>"
        for i in model.visible
    )
    return (
        f"<h3 align=center>{escape(title)}</h3><p>{escape(note)}</p>"
        "<table border=1 cellspacing=0 cellpadding=2 width=100% style='border-collapse:collapse;font-size:9pt'>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )
