"""Finding one's own county (or city) in the official division codes, by name or by code: a bureau's first day."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from desktop import divisions_catalogue as official
from desktop.ui.pages.base import make_table, selected_row
from desktop.ui.tablemodel import Column, ListModel

LEVEL = {official.CITY: "市（地、州、盟）", official.COUNTY: "县（市、区、旗）"}


def _path(division: official.Division) -> str:
    return " › ".join(a.short_name for a in [*official.catalogue().ancestors(division), division])


class AreaPicker(QDialog):
    """Type part of a name (桃江) or a code (4309, 430922); choose the county, or a city for a city bureau.
    ``manual`` is set when the clerk would rather type the name and code herself."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("选择本县（市）")
        self.resize(640, 420)
        self.manual = False
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "输入本县（市、区）或本市的名称或行政区划代码，选中后点“建立”：将按 2023 年统计用区划代码"
                "建立本地区及其全部乡镇（街道）和村（社区）。"
            )
        )
        self.search = QLineEdit()
        self.search.setObjectName("areaSearch")
        self.search.setPlaceholderText("如 桃江、益阳 或 430922")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.model = ListModel(
            [
                Column("地区", _path, width=380),
                Column("代码", lambda d: d.short_code, width=90),
                Column("级别", lambda d: LEVEL[d.level]),
            ]
        )
        self.table = make_table(self.model, sortable=False)
        self.table.doubleClicked.connect(lambda _index: self._build())
        layout.addWidget(self.table)
        self.note = QLabel()
        layout.addWidget(self.note)
        buttons = QHBoxLayout()
        manual = QPushButton("手工填写")
        manual.setToolTip("不在列表中（如新设的区县）：自己填写地区名称和代码，乡镇和村以后再添加")
        manual.clicked.connect(self._manual)
        self.build = QPushButton("建立")
        self.build.setObjectName("buildArea")
        self.build.setDefault(True)
        self.build.clicked.connect(self._build)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        buttons.addWidget(manual)
        buttons.addStretch(1)
        buttons.addWidget(self.build)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self.search.textChanged.connect(self._find)
        self._find("")

    def _find(self, text: str) -> None:
        text = text.strip()
        found: list[official.Division] = []
        for d in official.search(text, limit=200) if text else []:
            if d.level in LEVEL and d not in found:
                found.append(d)
                if d.level == official.CITY:  # a clerk may know her city's name better than the list's for her county
                    found += [c for c in official.children(d) if c not in found]
        self.model.set_rows(found[:50])
        if found:
            self.table.selectRow(0)
        if not text:
            self.note.setText("")
        elif not found:
            self.note.setText("没有找到：请换个写法，如只输入“桃江”，或输入 6 位代码。")
        else:
            more = "，只列出前 50 个，请再多输入几个字" if len(found) > 50 else ""
            self.note.setText(f"找到 {len(found)} 个{more}")

    def chosen(self) -> official.Division | None:
        return selected_row(self.table) if self.model.rowCount() else None

    def _build(self) -> None:
        if self.chosen() is None:
            self.note.setText("请先输入名称或代码，并在列表中选中本县（市）。")
            return
        self.accept()

    def _manual(self) -> None:
        self.manual = True
        self.reject()
