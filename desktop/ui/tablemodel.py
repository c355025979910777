"""One table model for every list in the window: rows in memory, columns described once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.records.fields import Field
from desktop.snapshot import paused_gc

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

# Fields a list edits in its own cells (F2): one value typed or picked; the rest take the record's form.
GRID_KINDS = ("text", "int", "float", "code", "date", "credit_code")
BLANK = "（空白）"  # how an empty cell is named in a column's filter
FILTERED_MARK = " ▼"  # after the label of a column that is filtered

# Traffic-light colours used across pages (light, so black text stays readable when printed).
RED = QColor("#f8d7da")
AMBER = QColor("#fff3cd")
GREEN = QColor("#d4edda")
GREY = QColor("#e9ecef")


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Any], Any]
    numeric: bool = False
    width: int | None = None
    tooltip: Callable[[Any], str | None] | None = None
    field: Field | None = None  # the record's field this column shows, whose label (and unit) it bears

    @classmethod
    def of(cls, field: Field, value: Callable[[Any], Any] | None = None, **options: Any) -> Column:
        """A column showing a field, under the field's own label and unit from the record's description. Without
        ``value`` it shows the row's attribute of the field's name as the field displays it (a code by its
        Chinese label); numbers and dates stay themselves, so they sort as such."""
        if value is None:
            name = field.name
            if field.kind in ("code", "bool"):
                value = lambda row: field.display(getattr(row, name))  # noqa: E731
            else:
                value = lambda row: getattr(row, name)  # noqa: E731
        numeric = field.kind in ("int", "float")
        return cls(field.header, value, **{"numeric": numeric, **options, "field": field})

    def text(self, row: Any) -> str:
        v = self.value(row)
        if v is None:
            return ""
        if isinstance(v, float):
            return f"{v:,.2f}".rstrip("0").rstrip(".")
        if isinstance(v, int) and not isinstance(v, bool):
            return f"{v:,}" if self.numeric else str(v)
        return str(v)


def _cell(text: str) -> str:
    """A cell's text on one line without tabs, as a pasted row of Excel's expects it."""
    return text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


class ListModel(QAbstractTableModel):
    """Rows are plain objects; the view shows ``visible`` (indexes into ``rows``) in ``order``.

    The page narrows the rows (its search box, its filter combos) to ``base``; each column's filter, as Excel's
    AutoFilter, narrows that further to ``visible``. Filtering and sorting rearrange the index list only, so a
    keystroke over tens of thousands of rows does not rebuild any row.
    """

    def __init__(
        self, columns: Sequence[Column], colour: Callable[[Any], QColor | None] | None = None, parent=None
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.colour = colour
        self.rows: list[Any] = []
        self.visible: list[int] = []
        self.base: list[int] = []  # what the page's own search and filters keep
        self.filters: dict[int, frozenset[str]] = {}  # column -> the texts its filter shows
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._keys: dict[int, list] = {}  # column -> sort key of every row, made on first sort by it
        self._texts: dict[int, list[str]] = {}  # column -> every row's text, made on first filter or copy
        # Set by a page whose records may be edited in the list: (row, field, text typed) -> refusal or None.
        self.edit_cell: Callable[[Any, Field, str], str | None] | None = None
        self.grid_fields: frozenset[str] | None = None  # None: every simple field

    # --- content ------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Any], visible: Sequence[int] | None = None) -> None:
        """New rows, all shown or only ``visible`` (indexes into them): one reset, one sort."""
        self.beginResetModel()
        self.rows = list(rows)
        self._keys.clear()
        self._texts.clear()
        self.base = list(range(len(self.rows)) if visible is None else visible)
        self.visible = self._filtered(self.base)
        self._apply_sort()
        self.endResetModel()

    def set_visible(self, indexes: Sequence[int]) -> None:
        self.beginResetModel()
        self.base = list(indexes)
        self.visible = self._filtered(self.base)
        self._apply_sort()
        self.endResetModel()

    # --- column filters -----------------------------------------------------------

    def texts(self, column: int) -> list[str]:
        """Every row's text in a column, as the view shows it (a masked number masked)."""
        texts = self._texts.get(column)
        if texts is None:
            with paused_gc():  # tens of thousands of new strings, none of them cyclic garbage
                texts = self._texts[column] = [_cell(t) for t in map(self.columns[column].text, self.rows)]
        return texts

    def _filtered(self, indexes: Sequence[int], *, leave_out: int | None = None) -> list[int]:
        kept = list(indexes)
        for column, allowed in self.filters.items():
            if column != leave_out:
                texts = self.texts(column)
                kept = [i for i in kept if texts[i] in allowed]
        return kept

    def matching(self, indexes: Sequence[int], text: str) -> list[int]:
        """The rows among ``indexes`` with ``text`` in any column, as shown (the page's search box)."""
        text = text.strip().casefold()
        if not text:
            return list(indexes)
        columns = [self.texts(c) for c in range(len(self.columns))]
        return [i for i in indexes if any(text in t[i].casefold() for t in columns)]

    def value_counts(self, column: int) -> list[tuple[str, int]]:
        """The column's values among the rows the other filters leave, with how many rows hold each, in the
        column's order (numbers as numbers, blanks last), as Excel's filter lists them."""
        texts = self.texts(column)
        counts = Counter(texts[i] for i in self._filtered(self.base, leave_out=column))
        getter = self.columns[column].value
        first: dict[str, Any] = {}
        for i in self.base:
            if texts[i] not in first:
                first[texts[i]] = getter(self.rows[i])
        try:
            order = sorted(counts, key=lambda t: (t == "", first.get(t) is None, first.get(t) or 0))
        except TypeError:
            order = sorted(counts, key=lambda t: (t == "", t))
        return [(t, counts[t]) for t in order]

    def set_filter(self, column: int, allowed: Iterable[str] | None) -> None:
        """Show only rows whose text in ``column`` is among ``allowed``; None: no filter on the column."""
        self.beginResetModel()
        if allowed is None:
            self.filters.pop(column, None)
        else:
            self.filters[column] = frozenset(allowed)
        self.visible = self._filtered(self.base)
        self._apply_sort()
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, column, column)

    def clear_filters(self) -> None:
        columns = list(self.filters)
        self.filters.clear()
        self.set_visible(self.base)
        for column in columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, column, column)

    # --- copying --------------------------------------------------------------------

    def as_text(self, view_rows: Iterable[int]) -> str:
        """The rows as tab-separated lines under a line of the column labels: what Excel and WPS paste as a
        table. Each cell as the view shows it."""
        texts = [self.texts(c) for c in range(len(self.columns))]
        lines = ["\t".join(_cell(c.label) for c in self.columns)]
        lines += ["\t".join(t[self.visible[r]] for t in texts) for r in view_rows]
        return "\r\n".join(lines) + "\r\n"

    def row_at(self, view_row: int) -> Any:
        return self.rows[self.visible[view_row]]

    def view_row_of(self, record_id: int) -> int | None:
        for i, k in enumerate(self.visible):
            if getattr(self.rows[k], "id", None) == record_id:
                return i
        return None

    # --- Qt -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.visible)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].label + (FILTERED_MARK if section in self.filters else "")
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if section in self.filters:
                return f"已按此列筛选（{len(self.filters[section])} 个值）；右键点列标题可更改或清除筛选"
            return "点击排序；右键点列标题（或选中此列的单元格后按 Alt+↓）可筛选"
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[self.visible[index.row()]]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and self.colour:
            c = self.colour(row)
            return QBrush(c) if c is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(row)
        if role == ID_ROLE:
            return getattr(row, "id", None)
        if role == ROW_ROLE:
            return row
        return None

    def editable(self, column: int) -> bool:
        f = self.columns[column].field
        return (
            self.edit_cell is not None
            and f is not None
            and f.kind in GRID_KINDS
            and not f.derived
            and not f.sensitive
            and not f.multiline
            and (self.grid_fields is None or f.name in self.grid_fields)
        )

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.editable(index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802 (Qt's name)
        """A cell typed in (F2): the page writes it through the record's checks; a refusal leaves it as it was."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable(index.column()):
            return False
        column = self.columns[index.column()]
        row = self.rows[self.visible[index.row()]]
        if str(value) == column.text(row):
            return False
        return self.edit_cell(row, column.field, str(value)) is None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        if column < 0:  # no sort column (a view enabling sorting asks this): the rows in the order given
            self._sort = None
            self.visible.sort()
        else:
            self._sort = (column, order)
            self._apply_sort()
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        if self._sort is None:
            return
        column, order = self._sort
        reverse = order == Qt.SortOrder.DescendingOrder
        keys = self._keys.get(column)
        if keys is None:  # once per column and set of rows, so a keystroke's re-sort calls no getter
            getter = self.columns[column].value
            keys = self._keys[column] = [(v is None, 0 if v is None else v) for v in map(getter, self.rows)]
        try:
            self.visible.sort(key=keys.__getitem__, reverse=reverse)
        except TypeError:  # mixed types in a column: fall back to text order
            keys = self._keys[column] = [(empty, "" if empty else str(v)) for empty, v in keys]
            self.visible.sort(key=keys.__getitem__, reverse=reverse)
