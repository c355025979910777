"""The edit form of any record, built from its field descriptions, with the reason next to a bad field."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db import AccessDenied
from desktop.records.editing import ConflictError, RecordError
from desktop.records.fields import Field
from desktop.records.types import RecordType
from desktop.ui.errors import show_error
from desktop.validators import InvalidValue, check_id_number

UNSET = "（未填）"


class FieldEditor:
    """One field's widget and its error label."""

    def __init__(self, field: Field, choices: Sequence[tuple[Any, str]] | None) -> None:
        self.field = field
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        if field.derived:
            self.widget: QWidget = QLabel()
        elif field.kind in ("code", "bool", "ref"):
            combo = QComboBox()
            combo.setMaxVisibleItems(20)
            if field.kind == "ref":
                combo.setEditable(True)  # type to find among hundreds of facilities
                combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            options = list(choices or ())
            if field.kind == "code":
                options = list(field.codes.items())
            elif field.kind == "bool":
                options = [(True, "是"), (False, "否")]
            if not field.required or field.kind == "bool":
                combo.addItem(UNSET, None)
            for value, label in options:
                combo.addItem(label, value)
            self.widget = combo
        else:
            edit = QLineEdit()
            if field.kind == "date":
                edit.setPlaceholderText("如 2024-03-01")
            elif field.unit:
                edit.setPlaceholderText(field.unit)
            self.widget = edit
        self.widget.setObjectName(f"field_{field.name}")
        if field.note:
            self.widget.setToolTip(field.note)
        self.masked = False  # showing a stored ID or phone number masked: left as it is on save

    def show_masked(self, value: Any) -> None:
        self.widget.setText(self.field.mask(str(value)))
        self.widget.setReadOnly(True)
        self.masked = True

    def show_whole(self, value: Any) -> None:
        self.masked = False
        self.widget.setReadOnly(False)
        self.widget.setText(self.field.display(value, unmask=True))

    def set_value(self, value: Any, *, unmask: bool = True) -> None:
        w = self.widget
        if isinstance(w, QComboBox):
            i = w.findData(value)
            w.setCurrentIndex(max(i, 0))
        else:
            w.setText(self.field.display(value, unmask=unmask))

    def raw(self) -> Any:
        w = self.widget
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QLineEdit):
            return w.text()
        return None

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))


class RecordForm(QDialog):
    """Add or edit one record. ``save(raw_values)`` writes it (raising RecordError to show reasons)."""

    def __init__(
        self,
        rtype: RecordType,
        *,
        title: str,
        values: dict[str, Any] | None = None,
        choices: dict[str, Sequence[tuple[Any, str]]] | None = None,
        save: Callable[[dict[str, Any]], None],
        extra: QWidget | None = None,
        editing: bool = False,
        reveal: Callable[[str], Any] | None = None,
        history: Callable[[], None] | None = None,
        read_only: bool = False,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.editing = editing
        self.reveal = reveal
        self.setWindowTitle(title + ("（只读）" if read_only else ""))
        self.rtype = rtype
        self.save = save
        self.initial = dict(values or {})
        self.editors: dict[str, FieldEditor] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for field in rtype.fields:
            editor = FieldEditor(field, (choices or {}).get(field.name))
            self.editors[field.name] = editor
            box = QVBoxLayout()
            box.setSpacing(2)
            value = self.initial.get(field.name)
            if field.sensitive and value and reveal is not None and not field.derived:
                editor.show_masked(value)
                box.addLayout(self._with_reveal_button(editor))
            else:
                if field.name in self.initial:  # a stored birth date is masked with the stored ID number
                    editor.set_value(value, unmask=not (field.sensitive and reveal is not None))
                box.addWidget(editor.widget)
            box.addWidget(editor.error)
            label = field.header + ("＊" if field.required and not field.derived else "")
            form.addRow(label, box)
            self._connect_live_check(editor)
        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        if extra is not None:
            layout.addWidget(extra)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not read_only)
        if history is not None:
            shown = buttons.addButton("修改记录…", QDialogButtonBox.ButtonRole.ActionRole)
            shown.setObjectName("recordHistory")
            shown.clicked.connect(lambda _c=False: history())
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 640)

    def _with_reveal_button(self, editor: FieldEditor) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(editor.widget, 1)
        button = QPushButton("显示完整号码")
        button.setObjectName(f"reveal_{editor.field.name}")
        button.setToolTip("查看或修改完整号码；此操作将记入修改记录")
        button.clicked.connect(lambda _c=False, e=editor, b=button: self.show_whole(e, b))
        row.addWidget(button)
        return row

    def show_whole(self, editor: FieldEditor, button: QPushButton) -> None:
        try:
            value = self.reveal(editor.field.name)
        except AccessDenied as exc:
            show_error(self, "无权查看", exc)
            return
        editor.show_whole(value)
        button.hide()
        for other in self.editors.values():  # the birth date the mask also hid
            if other.field.derived and other.field.sensitive and other.field.name in self.initial:
                other.set_value(self.initial[other.field.name])

    def _connect_live_check(self, editor: FieldEditor) -> None:
        w = editor.widget
        if isinstance(w, QLineEdit):
            w.textChanged.connect(lambda _text, e=editor: self.check(e))
        elif isinstance(w, QComboBox):
            w.currentIndexChanged.connect(lambda _i, e=editor: self.check(e))

    def check(self, editor: FieldEditor) -> bool:
        """Live validation of one field as the user types; fills derived fields from an ID number."""
        field = editor.field
        if field.derived or field.kind == "ref" or editor.masked:
            return True
        try:
            value = field.parse(editor.raw())
        except InvalidValue as exc:
            editor.show_error(str(exc))
            return False
        editor.show_error(None)
        if field.kind == "id_number" and value:
            info = check_id_number(value)
            for name, derived in (("birth_date", info.birth_date), ("sex", info.sex)):
                if name in self.editors:
                    self.editors[name].set_value(derived)
        return True

    def raw_values(self, *, changed_only: bool = False) -> dict[str, Any]:
        out = {}
        for name, editor in self.editors.items():
            if editor.field.derived or editor.masked:
                continue
            raw = editor.raw()
            if changed_only and name in self.initial:
                try:
                    if editor.field.parse(raw) == self.initial[name]:
                        continue
                except InvalidValue:
                    pass
            out[name] = raw
        return out

    def _untouched(self, name: str) -> bool:
        editor = self.editors[name]
        if editor.masked or name not in self.initial:
            return editor.masked
        try:
            return editor.field.parse(editor.raw()) == self.initial[name]
        except InvalidValue:
            return False

    def rebase(self, current: dict[str, Any]) -> None:
        """Another clerk saved first: the fields this clerk has not touched now show the other's values, the
        clerk's own edits stay as typed, and the form is now based on the record as it is (so a second 保存 is
        the clerk's considered choice, and cannot undo the other's change to a field this clerk left alone)."""
        untouched = {name for name in self.editors if name in current and self._untouched(name)}
        for name in untouched:
            editor = self.editors[name]
            field = editor.field
            if editor.masked:
                editor.show_masked(current[name])
            elif field.derived:
                editor.set_value(current[name], unmask=not (field.sensitive and self.reveal is not None))
            else:
                editor.set_value(current[name])
        self.initial.update(current)

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, editor in self.editors.items():
            editor.show_error(errors.get(name))
        stray = [m for n, m in errors.items() if n not in self.editors]
        if stray:
            QMessageBox.warning(self, "无法保存", "\n".join(stray))

    def try_save(self) -> None:
        ok = all([self.check(e) for e in self.editors.values()])
        if not ok:
            return
        try:
            self.save(self.raw_values(changed_only=self.editing))
        except ConflictError as exc:
            self.rebase(exc.current)
            self.show_errors(exc.errors)
            return
        except RecordError as exc:
            self.show_errors(exc.errors)
            return
        except AccessDenied as exc:
            show_error(self, "无权修改", exc)
            return
        self.accept()
