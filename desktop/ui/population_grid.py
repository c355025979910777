"""A year's population as a grid: one row per village or community, edited in place or pasted from Excel.

Edits are kept by division and field, not by row, so choosing another township in the tree keeps what was typed
until it is saved (or the year changes). A typed value is checked at once by the field's own description; the
core checks them all again when they are saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTableView

from desktop.division_editing import POPULATION_FIELDS
from desktop.records.types import POPULATION
from desktop.ui.tablemodel import AMBER, GREY, RED
from desktop.validators import InvalidValue


@dataclass(frozen=True)
class GridRow:
    division_id: int
    township: str
    name: str
    withdrawn: bool = False


class PopulationModel(QAbstractTableModel):
    FIRST_FIELD = 2  # columns before it: 乡镇（街道）, 村（社区）
    FIELDS = POPULATION_FIELDS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[GridRow] = []
        self.stored: dict[int, dict[str, int | None]] = {}
        self.edits: dict[tuple[int, str], str] = {}
        self.errors: dict[tuple[int, str], str] = {}
        self.editable = True
        self.labels = ["乡镇（街道）", "村（社区）"] + [POPULATION.field(f).header for f in self.FIELDS]

    # --- content ------------------------------------------------------------------

    def set_rows(self, rows: list[GridRow], stored: dict[int, dict[str, int | None]]) -> None:
        self.beginResetModel()
        self.rows, self.stored = rows, stored
        self.endResetModel()

    def discard(self) -> None:
        self.beginResetModel()
        self.edits.clear()
        self.errors.clear()
        self.endResetModel()

    @property
    def dirty(self) -> bool:
        return bool(self.edits)

    def changes(self) -> dict[int, dict[str, str]]:
        out: dict[int, dict[str, str]] = {}
        for (division_id, name), text in self.edits.items():
            out.setdefault(division_id, {})[name] = text
        return out

    def set_errors(self, cells: dict[tuple[int, str], str]) -> None:
        self.errors = dict(cells)
        self._changed_all()

    def _field_of(self, column: int) -> str | None:
        i = column - self.FIRST_FIELD
        return self.FIELDS[i] if 0 <= i < len(self.FIELDS) else None

    def _stored_text(self, division_id: int, name: str) -> str:
        value = self.stored.get(division_id, {}).get(name)
        return "" if value is None else str(value)

    def set_cell(self, row: int, column: int, text: str) -> bool:
        """Type ``text`` into a cell; False for a cell that takes none."""
        name = self._field_of(column)
        if name is None or not (0 <= row < len(self.rows)) or not self.editable:
            return False
        division_id = self.rows[row].division_id
        key = (division_id, name)
        text = text.strip()
        stored = self._stored_text(division_id, name)
        if text == stored or text.replace(",", "").replace("，", "") == stored:
            self.edits.pop(key, None)
        else:
            self.edits[key] = text
        self.errors.pop(key, None)
        try:
            POPULATION.field(name).parse(text or None)
        except InvalidValue as exc:
            if text or name == "resident" and key in self.edits:
                self.errors[key] = str(exc)
        index = self.index(row, column)
        self.dataChanged.emit(index, index)
        return True

    def paste(self, row: int, column: int, text: str) -> int:
        """A block copied from Excel (tab between cells, a line per row), from this cell on; returns the cells set."""
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # Excel ends the copy with a line break
        if len(lines) > 1 and not any(_is_number(cell) for cell in lines[0].split("\t")):
            lines.pop(0)  # the header row copied with the figures (常住人口, 65岁及以上人口 ...)
        done = 0
        for i, line in enumerate(lines):
            for j, cell in enumerate(line.split("\t")):
                done += self.set_cell(row + i, column + j, cell)
        return done

    def fill_blanks(self, values: dict[int, dict[str, int | None]]) -> int:
        """Prefill each empty cell of the shown rows from ``values`` (last year's); returns the cells filled."""
        done = 0
        for r, row in enumerate(self.rows):
            for c, name in enumerate(self.FIELDS, self.FIRST_FIELD):
                value = values.get(row.division_id, {}).get(name)
                key = (row.division_id, name)
                if value is None or key in self.edits or self._stored_text(row.division_id, name):
                    continue
                done += self.set_cell(r, c, str(value))
        return done

    def _changed_all(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.labels) - 1))

    # --- Qt -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.labels)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.labels[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and self._field_of(index.column()) is not None:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: C901
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        name = self._field_of(index.column())
        if name is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return row.township if index.column() == 0 else row.name + ("（已撤销）" if row.withdrawn else "")
            if role == Qt.ItemDataRole.BackgroundRole and row.withdrawn:
                return QBrush(GREY)
            return None
        key = (row.division_id, name)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if key in self.edits:
                return self._typed(name, self.edits[key]) if role == Qt.ItemDataRole.DisplayRole else self.edits[key]
            value = self.stored.get(row.division_id, {}).get(name)
            if value is None:
                return ""
            return f"{value:,}" if role == Qt.ItemDataRole.DisplayRole else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if key in self.errors:
                return QBrush(RED)
            if key in self.edits:
                return QBrush(AMBER)
            return None
        if role == Qt.ItemDataRole.FontRole and key in self.edits:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if key in self.errors:
                return self.errors[key]
            if key in self.edits:
                return "已修改，尚未保存"
        return None

    @staticmethod
    def _typed(name: str, text: str) -> str:
        """A typed number as the stored ones are shown (1,430); anything else as typed, for the clerk to fix."""
        try:
            value = POPULATION.field(name).parse(text or None)
        except InvalidValue:
            return text
        return "" if value is None else f"{value:,}"

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole):  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        return self.set_cell(index.row(), index.column(), "" if value is None else str(value))


class PopulationView(QTableView):
    """The grid: Ctrl+V pastes a block copied from Excel at the current cell, Delete empties the selected cells."""

    def __init__(self, model: PopulationModel) -> None:
        super().__init__()
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.verticalHeader().setDefaultSectionSize(24)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # Each column as wide as its header (65岁及以上人口（人）) and the names it holds (桃花江镇杨家坳社区).
        metrics = self.fontMetrics()
        for column, least in enumerate((80, 140, 80, 80, 80, 80, 80)):
            shown = model.headerData(column, Qt.Orientation.Horizontal)
            self.setColumnWidth(column, max(least, metrics.horizontalAdvance(shown) + 16))

    def paste_text(self, text: str) -> int:
        index = self.currentIndex()
        if not index.isValid():
            index = self.model().index(0, PopulationModel.FIRST_FIELD)
        return self.model().paste(index.row(), max(index.column(), PopulationModel.FIRST_FIELD), text)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_text(QApplication.clipboard().text())
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != self.State.EditingState:
            for index in self.selectedIndexes():
                self.model().set_cell(index.row(), index.column(), "")
            event.accept()
            return
        super().keyPressEvent(event)


def _is_number(text: str) -> bool:
    try:
        float(text.strip().replace(",", "").replace("，", ""))
    except ValueError:
        return False
    return True
