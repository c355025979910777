"""The edit form of any record, built from its field descriptions, with the reason next to a bad field."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db import AccessDenied
from desktop.finding_names import matches, search_key
from desktop.records.editing import ConflictError, RecordError
from desktop.records.fields import Field
from desktop.records.types import RecordType
from desktop.ui.errors import show_error
from desktop.validators import InvalidValue, check_id_number

UNSET = "（未填）"

# The heading a part's fields stand under in a form.
PART_HEADINGS = {"equipment": "主要设备", "service_area": "服务范围", "funding": "计划投资"}


KEY_ROLE = Qt.ItemDataRole.UserRole + 7  # what a findable combo's search looks in


class _FindingCompleter(QCompleter):
    """Completes from a combo's own items by any part of the name or its pinyin initials; what it puts in the
    box is the name."""

    def pathFromIndex(self, index) -> str:  # noqa: N802 (Qt's name)
        return index.data(Qt.ItemDataRole.DisplayRole) or ""


def findable(combo: QComboBox) -> QComboBox:
    """An editable combo that finds "石坪" in "和湾镇/石坪村", and finds it by "sp" or "hwzsp" too (call after
    its items are added)."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    for i in range(combo.count()):
        combo.setItemData(i, search_key(combo.itemText(i)), KEY_ROLE)
    completer = _FindingCompleter(combo.model(), combo)
    completer.setCompletionRole(KEY_ROLE)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setMaxVisibleItems(15)
    combo.setCompleter(completer)
    return combo


class RefsList(QWidget):
    """Several records of one kind, ticked in a list: the villages and communities a facility serves. The list
    shows those of one township (``narrow_to``), or all of them with a line to find one by name; a ticked
    record is always shown, so none is dropped unseen."""

    def __init__(self, choices: Sequence[tuple]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.find = QLineEdit()
        self.find.setObjectName("refsFilter")
        self.find.setPlaceholderText("输入名称查找")
        self.find.setClearButtonEnabled(True)
        self.find.textChanged.connect(lambda _t: self._show())
        layout.addWidget(self.find)
        self.list = QListWidget()
        self.list.setMinimumHeight(150)
        self.empty = QLabel("请先选择所在乡镇（街道）或村（社区）")
        self.empty.setStyleSheet("color: #666;")
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        self.township: int | None = None
        self.group_of: dict[int, Any] = {}
        for choice in choices:
            value, label = choice[0], choice[1]
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
            self.group_of[value] = choice[2] if len(choice) > 2 else None
        self._show()

    def narrow_to(self, division_id: Any) -> None:
        """Show the villages of the township of ``division_id`` (a township, or a village in one)."""
        if division_id in self.group_of:  # a village: its township
            division_id = self.group_of[division_id]
        groups = set(self.group_of.values())
        self.township = division_id if division_id in groups else None
        self._show()

    def _items(self):
        return (self.list.item(i) for i in range(self.list.count()))

    def _show(self) -> None:
        text = self.find.text().strip()
        self.find.setVisible(self.township is None)
        for item in self._items():
            checked = item.checkState() == Qt.CheckState.Checked
            if self.township is not None:
                shown = self.group_of[item.data(Qt.ItemDataRole.UserRole)] == self.township
            else:
                shown = matches(text, item.text())
            item.setHidden(not (shown or checked))
        self.empty.setVisible(self.list.count() == 0)

    def set_checked(self, values: Sequence[Any]) -> None:
        wanted = set(values or ())
        for item in self._items():
            value = item.data(Qt.ItemDataRole.UserRole)
            item.setCheckState(Qt.CheckState.Checked if value in wanted else Qt.CheckState.Unchecked)
        self._show()

    def checked(self) -> tuple:
        return tuple(
            sorted(i.data(Qt.ItemDataRole.UserRole) for i in self._items() if i.checkState() == Qt.CheckState.Checked)
        )


class FieldEditor:
    """One field's widget and its error label."""

    def __init__(self, field: Field, choices: Sequence[tuple[Any, str]] | None) -> None:  # noqa: C901
        self.field = field
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.refs: RefsList | None = None
        if field.derived:
            self.widget: QWidget = QLabel()
        elif field.kind == "refs":
            self.refs = RefsList(choices or ())
            self.widget = self.refs.list
        elif field.kind in ("code", "bool", "ref"):
            combo = QComboBox()
            combo.setMaxVisibleItems(20)
            options = list(choices or ())
            if field.kind == "code":
                options = list(field.codes.items())
            elif field.kind == "bool":
                options = [(True, "是"), (False, "否")]
            if not field.required or field.kind == "bool":
                combo.addItem(UNSET, None)
            for value, label in options:
                combo.addItem(label, value)
            if field.kind == "ref":  # type to find among hundreds of facilities or villages
                findable(combo)
            self.widget = combo
        else:
            edit = QLineEdit()
            if field.kind == "date":
                edit.setPlaceholderText("如 2024-03-01")
            elif field.unit:
                edit.setPlaceholderText(field.unit)
            self.widget = edit
        self.widget.setObjectName(f"field_{field.name}")
        if field.note and self.refs is None:  # a list's note is about writing names in a file
            self.widget.setToolTip(field.note)
        self.masked = False  # showing a stored ID or phone number masked: left as it is on save

    @property
    def outer(self) -> QWidget:
        """What the form lays out: the widget, or the list with its find line."""
        return self.refs if self.refs is not None else self.widget

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
        if self.refs is not None:
            self.refs.set_checked(value)
        elif isinstance(w, QComboBox):
            i = w.findData(value)
            w.setCurrentIndex(max(i, 0))
        else:
            w.setText(self.field.display(value, unmask=unmask))

    def raw(self) -> Any:
        w = self.widget
        if self.refs is not None:
            return self.refs.checked()
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
        fixed: dict[str, Any] | None = None,
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
        self.fixed = dict(fixed or {})
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for field in rtype.fields:
            if field.name not in self.fixed:
                self._add_row(form, field, (choices or {}).get(field.name))
        for part in rtype.parts:
            shown = [f for f in part.fields if not f.derived and f.name not in self.fixed]
            if not shown:
                continue
            heading = PART_HEADINGS.get(part.key, "")
            title = QLabel(f"<b>{heading}</b>")
            title.setObjectName(f"part_{part.key}")
            title.setContentsMargins(0, 10, 0, 0)
            form.addRow(title)
            for field in shown:
                self._add_row(form, field, (choices or {}).get(field.name), heading=heading)
        self._narrow_refs()
        inner = QWidget()
        inner.setLayout(form)
        scroll = self.scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 3)
        if extra is not None:
            layout.addWidget(extra, 1)
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
        # Tall enough for the fields and what is below them (a short form no taller than it needs), within the
        # screen (a 1366×768 laptop's too).
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        most = max(640, min(900 if extra is not None else 760, screen.height() - 80 if screen else 760))
        wanted = inner.sizeHint().height() + buttons.sizeHint().height() + 60
        if extra is not None:
            wanted += max(extra.sizeHint().height(), extra.minimumHeight())
        height = min(most, wanted)
        self.resize(620 if extra is not None else 580, height)

    def _add_row(self, form: QFormLayout, field: Field, choices, *, heading: str = "") -> None:
        editor = FieldEditor(field, choices)
        self.editors[field.name] = editor
        box = QVBoxLayout()
        box.setSpacing(2)
        value = self.initial.get(field.name)
        if field.sensitive and value and self.reveal is not None and not field.derived:
            editor.show_masked(value)
            box.addLayout(self._with_reveal_button(editor))
        else:
            if field.name in self.initial:  # a stored birth date is masked with the stored ID number
                editor.set_value(value, unmask=not (field.sensitive and self.reveal is not None))
            box.addWidget(editor.outer)
        box.addWidget(editor.error)
        label = field.header
        if heading and label.startswith(f"{heading}："):  # 计划投资：中央资金 under the heading 计划投资
            label = label[len(heading) + 1 :]
        if label == heading:  # a part of one field: its heading names it
            label = ""
        form.addRow(label + ("＊" if field.required and not field.derived else ""), box)
        self._connect_live_check(editor)

    def _narrow_refs(self) -> None:
        """A list of villages shows those of the township the record's own place is in, as it is chosen."""
        place = next(
            (
                e
                for e in self.editors.values()
                if e.field.kind == "ref" and e.field.ref == "division" and isinstance(e.widget, QComboBox)
            ),
            None,
        )
        for editor in self.editors.values():
            if editor.refs is None or editor.field.ref != "division":
                continue
            if place is None:
                editor.refs.narrow_to(None)
                continue
            combo, refs = place.widget, editor.refs
            combo.currentIndexChanged.connect(lambda _i, c=combo, r=refs: r.narrow_to(c.currentData()))
            refs.narrow_to(combo.currentData())

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
        if editor.refs is not None:
            w.itemChanged.connect(lambda _item, e=editor: self.check(e))
        elif isinstance(w, QLineEdit):
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
        for name, value in self.fixed.items():  # given by the form that opened this one, and not shown
            if not (changed_only and self.initial.get(name) == value):
                out[name] = value
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
        first = next((e for n, e in self.editors.items() if n in errors), None)
        if first is not None:  # the first refusal in view, below the field it is about, and the cursor there
            QApplication.processEvents()  # the label shown takes its place before the form scrolls to it
            self.scroll.ensureWidgetVisible(first.error, 0, 40)
            self.scroll.ensureWidgetVisible(first.outer, 0, 20)
            first.widget.setFocus()
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
