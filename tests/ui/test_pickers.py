"""Pickers that find a name as clerks type in Chinese software: any part of "乡镇/村", or its pinyin initials."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.finding_names import initials, matches
from desktop.records.types import FACILITY
from desktop.ui.record_dialogs import new_record_dialog


def test_initials_and_matching():
    assert initials("和湾镇/石坪村") == "hwzspc"
    assert matches("石坪", "和湾镇/石坪村") and matches("SP", "和湾镇/石坪村") and matches("hwzsp", "和湾镇/石坪村")
    assert not matches("spx", "和湾镇/石坪村") and not matches("石坪镇", "和湾镇/石坪村")


def _typed(qtbot, combo, text: str) -> list[str]:
    """Type into the combo as a clerk does (Chinese through the input method, letters on the keys); the names
    its list then offers."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    combo.lineEdit().clear()
    combo.setFocus()
    if text.isascii():
        qtbot.keyClicks(combo.lineEdit(), text)
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(combo.lineEdit(), event)
    completer = combo.completer()
    model = completer.completionModel()
    return [model.index(i, 0).data() for i in range(model.rowCount())]


def test_the_village_picker_finds_a_name_anywhere_and_by_pinyin_initials(window, qtbot):
    form = new_record_dialog(window, FACILITY, {"kind": "village_clinic"}, exec_=False)
    form.show()
    combo = form.editors["division_id"].widget
    offered = _typed(qtbot, combo, "石坪")
    assert offered and all("石坪" in name for name in offered)
    assert _typed(qtbot, combo, "sp")[: len(offered)] and set(offered) <= set(_typed(qtbot, combo, "sp"))
    (only,) = [n for n in _typed(qtbot, combo, "hwzsp")]
    assert only.endswith("石坪村")
    popup = combo.completer().popup()
    assert popup.isVisible()
    popup.setCurrentIndex(combo.completer().completionModel().index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert combo.currentText() == only and combo.currentData() is not None
    assert combo.itemText(combo.findData(combo.currentData())) == only
