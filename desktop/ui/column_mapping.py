"""The import wizard's 列对应 step: a bureau's own sheet, column by column, and what the import reads each as.

The clerk sees each header of her sheet with a few of its values and the field it is read as (a proposal the
import would not use on its own is marked for her to confirm), gives a value for every row where a required
field has no column, and rechecks. Her choices become a ``ColumnMapping`` (columns by header text, constants
by field name), the same the command line's ``--mapping`` file holds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.excel.importer import Reading, SheetLayout
from desktop.excel.mapping import CERTAIN, IGNORE, NOT_IMPORTED, ColumnMapping
from desktop.excel.tables import Column as SheetColumn
from desktop.records.fields import Field
from desktop.records.types import RecordType
from desktop.ui.tablemodel import AMBER, GREY
from desktop.validators import mask_id_number, mask_phone, shorten

FIELD_ROLE = Qt.ItemDataRole.UserRole + 10  # the chosen field's name ("" for 不导入)
PROPOSAL = "建议，请确认"
GREY_TEXT = QColor("#6c757d")
ID_LIKE = re.compile(r"\d{17}[\dXx]|\d{15}")
MOBILE_LIKE = re.compile(r"1\d{10}")


PROGRESS = "进展情况（任务进展）"  # what a ledger's progress column is read as (SheetLayout.progress_column)


@dataclass
class MappingRow:
    """One column of the sheet: what the check read it as, and what the clerk chose."""

    column: SheetColumn
    chosen: str  # a field name, or IGNORE
    # placed, proposal, twin (also looks like a placed field), worked_out, progress (a ledger's 推进情况, read as
    # each record's progress report), unknown, chosen
    state: str
    reading: str = ""  # how its values were read ("主治医师 → 中级"), when the report says


def sample_text(value: Any, field: Field | None) -> str:
    """A value under a header as the clerk would read it, a person's ID or phone number masked whatever the
    column turns out to be."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        value = value.isoformat()
    text = str(value).strip()
    if field is not None and field.sensitive:
        return field.mask(text)
    if ID_LIKE.fullmatch(text):
        return mask_id_number(text)
    if MOBILE_LIKE.fullmatch(text):
        return mask_phone(text)
    return shorten(text)


class ColumnMappingModel(QAbstractTableModel):
    """The sheet's columns as rows: 列, 表头, 示例, 导入为, 说明 (and 取值对照 when the report tells it)."""

    LETTER, HEADER, SAMPLES, FIELD, STATE, READINGS = range(6)
    LABELS = ("列", "表头", "示例（前几行）", "导入为", "说明", "取值对照")
    moved = Signal(str)  # a field chosen for a column was taken from another: the sentence that says so

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[MappingRow] = []
        self.fields: list[Field] = []
        self.remembered = False

    # --- content ------------------------------------------------------------------

    def set_layout(
        self, layout: SheetLayout, rtype: RecordType, *, confirmed: bool, readings: dict[int, str] | None = None
    ) -> None:
        """The columns of ``layout`` with the field each is read as. ``confirmed``: read with a clerk's mapping (so
        a column read as nothing is one she left out). ``readings``: column index -> how its values were read,
        when the report carries that (it does not yet)."""
        self.beginResetModel()
        self.fields = list(rtype.editable)
        self.remembered = layout.remembered
        own = {f.name for f in self.fields}
        self.rows = []
        for c in layout.table.columns:
            placed = layout.columns.get(c.index)
            match = c.match
            if placed is not None:
                row = MappingRow(c, placed.name, "placed")
            elif match.field is not None and match.field.name in own and match.confidence < CERTAIN:
                row = MappingRow(c, match.field.name, "proposal")
            elif match.field is not None:
                row = MappingRow(c, IGNORE, "twin")
            elif c.index == layout.progress_column:
                row = MappingRow(c, IGNORE, "progress")
            elif match.ignored:
                row = MappingRow(c, IGNORE, "chosen" if confirmed else "worked_out")
            else:
                row = MappingRow(c, IGNORE, "unknown")
            row.reading = (readings or {}).get(c.index, "")
            self.rows.append(row)
        # A proposal for a field another column already has for certain is no proposal.
        taken = {r.chosen for r in self.rows if r.state == "placed"}
        seen: set[str] = set()
        for r in self.rows:
            if r.state == "proposal" and (r.chosen in taken or r.chosen in seen):
                r.chosen, r.state = IGNORE, "twin"
            elif r.state == "proposal":
                seen.add(r.chosen)
        self.endResetModel()

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def choose(self, row: int, name: str) -> None:
        """The clerk's choice for a column; a field chosen elsewhere moves here (the other column is left out)."""
        r = self.rows[row]
        if r.chosen == name and r.state not in ("proposal", "twin"):
            return
        for k, other in enumerate(self.rows):
            if k != row and name != IGNORE and other.chosen == name:
                other.chosen, other.state = IGNORE, "chosen"
                self._changed(k)
                f = self.field(name)
                self.moved.emit(f"“{f.label}”已从“{other.column.header}”列改到“{r.column.header}”列。")
        r.chosen, r.state = name, "chosen"
        self._changed(row)

    def _changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def chosen_fields(self) -> set[str]:
        return {r.chosen for r in self.rows if r.chosen != IGNORE}

    def columns(self) -> dict[str, str]:
        """Every header to its chosen field's name, or IGNORE."""
        return {r.column.header: r.chosen for r in self.rows}

    def has_readings(self) -> bool:
        return any(r.reading for r in self.rows)

    def state_text(self, r: MappingRow) -> str:
        f = self.field(r.chosen)
        if r.state == "placed":
            return "按上次确认的对应" if self.remembered else "已对应"
        if r.state == "proposal":
            return PROPOSAL
        if r.state == "twin":
            like = r.column.match.field
            return f"也像“{like.label}”，未导入" if like is not None else NOT_IMPORTED
        if r.state == "worked_out":
            return "无需导入（序号或由其他列计算）"
        if r.state == "progress" and f is None:
            return "已对应：记为任务进展"
        if r.state == "unknown":
            return "未识别，不导入"
        return "已选择" if f is not None else NOT_IMPORTED

    # --- Qt -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.LABELS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.LABELS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == self.FIELD else base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: C901
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        f = self.field(r.chosen)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == self.LETTER:
                return r.column.letter
            if col == self.HEADER:
                return r.column.header
            if col == self.SAMPLES:
                return "、".join(sample_text(v, f) for v in r.column.samples)
            if col == self.FIELD:
                if f is None and r.state == "progress":
                    return PROGRESS
                return f.label if f is not None else NOT_IMPORTED
            if col == self.STATE:
                return self.state_text(r)
            if col == self.READINGS:
                return r.reading
        if role == FIELD_ROLE:
            return r.chosen
        if role == Qt.ItemDataRole.BackgroundRole:
            if r.state in ("proposal", "twin"):
                return QBrush(AMBER)
            if f is None and r.state != "progress":
                return QBrush(GREY)
        if role == Qt.ItemDataRole.ForegroundRole and f is None and r.state not in ("proposal", "twin", "progress"):
            return QBrush(GREY_TEXT)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole):  # noqa: N802
        if not index.isValid() or index.column() != self.FIELD or role not in (FIELD_ROLE, Qt.ItemDataRole.EditRole):
            return False
        if value != IGNORE and self.field(value) is None:
            return False
        if value == self.rows[index.row()].chosen:
            return True  # an editor told what the model already holds
        self.choose(index.row(), value)
        return True


class FieldChooser(QStyledItemDelegate):
    """The 导入为 cell: 不导入 or one of the record's fields; a choice is the model's at once."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: N802
        model: ColumnMappingModel = index.model()
        box = QComboBox(parent)
        # A ledger's progress column is read as each task's progress unless given to a field: that is its
        # no-field choice (the import reads it by its header whatever a mapping says).
        box.addItem(PROGRESS if model.rows[index.row()].state == "progress" else NOT_IMPORTED, IGNORE)
        for f in model.fields:
            box.addItem(f.label, f.name)
        box.setMaxVisibleItems(25)
        box.currentIndexChanged.connect(lambda _i, box=box: self.commitData.emit(box))
        return box

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        # Quietly: the editor shows the model's value; only the clerk's own choice goes back to the model.
        editor.blockSignals(True)
        editor.setCurrentIndex(max(0, editor.findData(index.data(FIELD_ROLE))))
        editor.blockSignals(False)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:  # noqa: N802
        model.setData(index, editor.currentData(), FIELD_ROLE)


def constant_editor(f: Field) -> QWidget:
    """Where a value for every row is given: the labels to choose from for a coded or yes/no field."""
    if f.kind in ("code", "bool"):
        box = QComboBox()
        box.addItem("（不填）", "")
        for label in f.codes.values() if f.kind == "code" else ("是", "否"):
            box.addItem(label, label)
        return box
    edit = QLineEdit()
    edit.setPlaceholderText({"ref": "填写名称", "date": "如 2024-01-01"}.get(f.kind, "填写内容"))
    return edit


def editor_text(editor: QWidget) -> str:
    if isinstance(editor, QComboBox):
        return editor.currentData() or ""
    return editor.text().strip()


def set_editor_text(editor: QWidget, text: str) -> None:
    if isinstance(editor, QComboBox):
        editor.setCurrentIndex(max(0, editor.findData(text)))
    else:
        editor.setText(text)


class ColumnMappingStep(QWidget):
    """The 列对应 tab of the import wizard."""

    changed = Signal()  # the clerk changed a choice or a value since the last check

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("importMapping")
        self.rtype: RecordType | None = None
        self.layout_: SheetLayout | None = None
        layout = QVBoxLayout(self)
        self.where = QLabel()
        self.where.setObjectName("mappingWhere")
        self.where.setWordWrap(True)
        layout.addWidget(self.where)
        self.model = ColumnMappingModel(self)
        self.model.dataChanged.connect(self._choices_changed)
        self.model.moved.connect(self._moved)
        self.view = QTableView()
        self.view.setObjectName("mappingTable")
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(ColumnMappingModel.FIELD, FieldChooser(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(28)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in zip(range(5), (40, 170, 300, 190, 200), strict=True):
            self.view.setColumnWidth(column, width)
        layout.addWidget(self.view, 1)
        self.note = QLabel()
        self.note.setObjectName("mappingNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.constants_box = QGroupBox("没有对应列的必填项：给全部行填写同一个值")
        self.constants_form = QFormLayout(self.constants_box)
        self.constants_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        layout.addWidget(self.constants_box)
        self.constant_editors: dict[str, QWidget] = {}
        self._derived: dict[str, str] = {}  # field name -> where the import took its value from (the sheet's name)
        self._given: dict[str, str] = {}  # field name -> the value the check was given for every row
        self._values: dict[str, str] = {}  # field name -> the value typed, kept while its editor comes and goes
        self._moved_text = ""  # a field just moved from one column to another, said with the next note
        buttons = QHBoxLayout()
        self.recheck = QPushButton("按此对应重新检查")
        self.recheck.setObjectName("mappingRecheck")
        self.save = QPushButton("保存列对应…")
        self.save.setObjectName("mappingSave")
        self.load = QPushButton("载入列对应…")
        self.load.setObjectName("mappingLoad")
        buttons.addWidget(self.recheck)
        buttons.addStretch(1)
        buttons.addWidget(self.save)
        buttons.addWidget(self.load)
        layout.addLayout(buttons)

    def show_layout(
        self,
        layout: SheetLayout,
        rtype: RecordType,
        *,
        given: bool,
        doubts: list[str] = (),
        readings: list[Reading] = (),
    ) -> None:
        """The columns as the check read them. ``given``: read with the clerk's own mapping; ``doubts``: what the
        check could not place at the header; ``readings``: how values not in their plain form were read."""
        self.rtype, self.layout_ = rtype, layout
        by_letter = {c.letter: c.index for c in layout.table.columns}
        shown: dict[int, list[str]] = {}
        for r in readings:
            if r.sheet == layout.sheet and r.column in by_letter:
                shown.setdefault(by_letter[r.column], []).append(r.shown)
        read_as = {j: "；".join(texts) for j, texts in shown.items()}
        self.model.set_layout(layout, rtype, confirmed=given or layout.remembered, readings=read_as)
        readings_shown = self.model.has_readings()
        self.view.setColumnHidden(ColumnMappingModel.READINGS, not readings_shown)
        # With how values were read beside them, the samples and the note give it room.
        self.view.setColumnWidth(ColumnMappingModel.SAMPLES, 200 if readings_shown else 300)
        self.view.setColumnWidth(ColumnMappingModel.STATE, 110 if readings_shown else 200)
        self.view.setColumnWidth(ColumnMappingModel.READINGS, 260)
        for row in range(self.model.rowCount()):
            self.view.openPersistentEditor(self.model.index(row, ColumnMappingModel.FIELD))
        rows = layout.table.header_rows
        at = f"第{rows[0] + 1}行" if len(rows) == 1 else f"第{rows[0] + 1}—{rows[-1] + 1}行"
        text = f"工作表“{layout.sheet}”{at}为表头，共 {len(layout.table.columns)} 列。"
        if layout.remembered:
            text += "已按上次确认的列对应读取。"
        elif given:
            text += "已按所选的列对应读取。"
        proposals = sum(r.state in ("proposal", "twin") for r in self.model.rows)
        if proposals:
            text += f"黄色的 {proposals} 列需要确认；"
        text += "在“导入为”中为每列选择字段（不需要的选“不导入”），然后点“按此对应重新检查”。"
        self.where.setText(text)
        self._show_note("\n".join(f"检查发现：{d}" for d in doubts), error=True)
        by_label = {f.label: f for f in rtype.editable}
        self._given, self._derived = {}, {}
        for label, shown in layout.given.items():
            f = by_label.get(label)
            if f is None:
                continue
            if "（取自" in shown:
                self._derived[f.name] = shown
            else:
                self._given[f.name] = shown
        self._values = dict(self._given)
        self._build_constants(force=True)

    def _needed(self) -> list[Field]:
        """The fields a value for every row may be given for: required ones no column is chosen for, and any
        the mapping gave a value for."""
        if self.rtype is None:
            return []
        chosen = self.model.chosen_fields()
        return [
            f
            for f in self.rtype.editable
            if f.name not in chosen and (f.required or f.name in self._given) and not f.derived
        ]

    def _build_constants(self, *, force: bool = False) -> None:
        needed = self._needed()
        if not force and [f.name for f in needed] == list(self.constant_editors):
            return
        if not force:  # a new sheet starts from what its check was given, not from the last sheet's editors
            for name, editor in self.constant_editors.items():
                self._values[name] = editor_text(editor)
        while self.constants_form.rowCount():
            self.constants_form.removeRow(0)
        self.constant_editors = {}
        for f in needed:
            editor = constant_editor(f)
            editor.setObjectName(f"constant_{f.name}")
            if f.name in self._derived and isinstance(editor, QLineEdit):
                editor.setPlaceholderText(f"不填则为：{self._derived[f.name]}")
            set_editor_text(editor, self._values.get(f.name, ""))
            if isinstance(editor, QComboBox):
                editor.currentIndexChanged.connect(self._edited)
                editor.setMinimumWidth(160)
            else:
                editor.setMinimumWidth(260)
                editor.textEdited.connect(self._edited)
            self.constant_editors[f.name] = editor
            self.constants_form.addRow(f"{f.label}：", editor)
        self.constants_box.setVisible(bool(needed))

    def _choices_changed(self, *_args) -> None:
        self._build_constants()
        self._edited()

    def _moved(self, sentence: str) -> None:
        self._moved_text = sentence

    def _edited(self, *_args) -> None:
        """Once the clerk changes anything, the check's doubts are old news: the note says what is still open."""
        missing = self.unanswered()
        if missing:
            text = f"还需为“{'”“'.join(missing)}”选择一列，或在下方给全部行填写一个值。"
        else:
            text = "列对应已修改：点“按此对应重新检查”查看结果，再导入。"
        self._show_note(f"{self._moved_text}{text}", error=bool(missing))
        self._moved_text = ""
        self.changed.emit()

    def _show_note(self, text: str, *, error: bool = False) -> None:
        self.note.setText(text)
        self.note.setStyleSheet("color: #b00020" if error else "")
        self.note.setVisible(bool(text))

    def mapping(self, kind: str) -> ColumnMapping:
        """The clerk's choices: every header to a field or to nothing, and the values given for every row."""
        constants = {name: text for name, editor in self.constant_editors.items() if (text := editor_text(editor))}
        confirmed = {name: dict(names) for name, names in self.layout_.confirmed.items()} if self.layout_ else {}
        return ColumnMapping(kind, self.model.columns(), constants, confirmed)

    def unanswered(self) -> list[str]:
        """The required fields that have neither a column nor a value (nor one the import found itself)."""
        return [
            f.label
            for f in self._needed()
            if f.required
            and f.name not in self._derived
            and not (f.name in self.constant_editors and editor_text(self.constant_editors[f.name]))
        ]
