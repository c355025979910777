"""区划与人口: the tree of the area's divisions beside a year's population grid of its villages and communities."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.codes import DIVISION_KIND
from db.errors import UserError
from desktop import division_editing as core
from desktop.operations import perform
from desktop.ui.operations import changed, run_action
from desktop.ui.pages.base import Page, add_buttons, heading, requires, write_from_dialog
from desktop.ui.population_grid import GridRow, PopulationModel, PopulationView

ID = Qt.ItemDataRole.UserRole
WITHDRAWN = QColor("#8a8f95")


class DivisionsPage(Page):
    reads = frozenset({"division_populations", "divisions"})

    def __init__(self, win) -> None:  # noqa: PLR0915
        super().__init__(win)
        self.rows: dict[int, core.DivisionRow] = {}
        self.children: dict[int | None, list[int]] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(heading("行政区划与人口"))
        split = QSplitter()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        add_buttons(
            bar,
            (
                ("新增乡镇/村", self.add, "addDivision", "edit"),
                ("更名", self.rename, "renameDivision", "edit"),
                ("合并", self.merge, "mergeTownship", "edit"),
                ("标记边远地区", self.toggle_remote, "toggleRemote", "edit"),
            ),
        )
        bar.addStretch(1)
        left_layout.addLayout(bar)
        self.tree = QTreeWidget()
        self.tree.setObjectName("divisionTree")
        self.tree.setHeaderLabels(["区划", "代码"])
        self.tree.setColumnWidth(0, 190)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        left_layout.addWidget(self.tree, 1)
        split.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        year_bar = QHBoxLayout()
        year_bar.addWidget(QLabel("年度："))
        self.year = QSpinBox()
        self.year.setObjectName("populationYear")
        self.year.setRange(1949, 2100)
        self.year.setValue(win.today.year)
        self.year.setSuffix(" 年")
        self._shown_year = self.year.value()
        self.year.valueChanged.connect(self._year_changed)
        year_bar.addWidget(self.year)
        year_bar.addStretch(1)
        self.copy_button = requires(QPushButton("复制上一年"), "edit")
        self.copy_button.setObjectName("copyLastYear")
        self.copy_button.setToolTip("把上一年的人口填入本年度尚无数字的格子，核对后保存")
        self.copy_button.clicked.connect(self.copy_last_year)
        self.save_button = requires(QPushButton("保存"), "edit")
        self.save_button.setObjectName("savePopulation")
        self.save_button.clicked.connect(self.save)
        year_bar.addWidget(self.copy_button)
        year_bar.addWidget(self.save_button)
        right_layout.addLayout(year_bar)
        self.model = PopulationModel(self)
        self.grid = PopulationView(self.model)
        self.grid.setObjectName("populationGrid")
        right_layout.addWidget(self.grid, 1)
        hint = QLabel("可直接在格子中修改，或从 Excel 复制一块数字后选中起始格按 Ctrl+V 粘贴；改过的格子显示为黄色。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        right_layout.addWidget(hint)
        self.status = QLabel()
        self.status.setObjectName("populationStatus")
        self.status.setWordWrap(True)
        right_layout.addWidget(self.status)
        split.addWidget(right)
        split.setSizes([330, 770])
        split.setStretchFactor(0, 0)  # a wider window widens the grid, not the tree
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        self.model.dataChanged.connect(lambda *_: self._show_dirty())

    # --- reading ------------------------------------------------------------------

    def refresh(self) -> None:  # noqa: C901
        selected = self.selected_id()
        with self.win.db.reading() as session:
            rows = core.division_rows(session)
        self.rows = {r.id: r for r in rows}
        self.children = {}
        for r in rows:
            parent = r.parent_id if r.parent_id in self.rows else None
            self.children.setdefault(parent, []).append(r.id)
        self.tree.blockSignals(True)
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}

        def add(division_id: int, parent: QTreeWidgetItem | None) -> None:
            r = self.rows[division_id]
            item = QTreeWidgetItem([r.shown, r.code])
            item.setData(0, ID, r.id)
            if r.withdrawn_on is not None:
                for column in (0, 1):
                    item.setForeground(column, QBrush(WITHDRAWN))
                item.setToolTip(0, f"已于 {r.withdrawn_on} 撤销")
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[division_id] = item
            for child in self.children.get(division_id, ()):
                add(child, item)

        for top in self.children.get(None, ()):
            add(top, None)
        for division_id, item in items.items():  # open down to the townships
            if self.rows[division_id].kind in ("city", "county"):
                item.setExpanded(True)
        if selected in items:
            items[selected].setSelected(True)
            self.tree.scrollToItem(items[selected])
        self.tree.blockSignals(False)
        self._fill_grid()

    def selected_id(self) -> int | None:
        items = self.tree.selectedItems()
        return items[0].data(0, ID) if items else None

    def select(self, division_id: int) -> None:
        for item in self._items():
            if item.data(0, ID) == division_id:
                self.tree.setCurrentItem(item)
                return

    def _items(self):
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            yield item
            stack.extend(item.child(i) for i in range(item.childCount()))

    def _villages_under(self, division_id: int | None) -> list[int]:
        out, stack = [], [division_id] if division_id is not None else list(self.children.get(None, ()))
        while stack:
            d = stack.pop()
            if self.rows[d].kind in ("village", "community"):
                out.append(d)
            stack.extend(self.children.get(d, ()))
        return sorted(out, key=lambda d: self.rows[d].code)

    def _township_name(self, division_id: int) -> str:
        parent = self.rows.get(self.rows[division_id].parent_id)
        return parent.name if parent is not None else ""

    def _fill_grid(self) -> None:
        year = self.year.value()
        ids = self._villages_under(self.selected_id())
        with self.win.db.reading() as session:
            stored = core.populations(session, year, ids)
        # a withdrawn village is listed only for a year it has a figure in
        ids = [d for d in ids if self.rows[d].withdrawn_on is None or d in stored]
        grid = [
            GridRow(d, self._township_name(d), self.rows[d].name, self.rows[d].withdrawn_on is not None) for d in ids
        ]
        self.model.editable = self.win.can("edit")
        self.model.set_rows(grid, stored)
        self._show_dirty()

    def _selection_changed(self) -> None:
        self._fill_grid()

    def _show_dirty(self) -> None:
        shown = f"{self.year.value()} 年：{len(self.model.rows)} 个村（社区）"
        if self.model.errors:
            shown += f"；有 {len(self.model.errors)} 处填写有误（红色格子，鼠标停留可见原因）"
        if self.model.dirty:
            shown += f"；{len(self.model.edits)} 处修改尚未保存"
        self.status.setText(shown)
        self.status.setStyleSheet("color: #b00020;" if self.model.errors else "")

    # --- the population -----------------------------------------------------------

    def _year_changed(self, year: int) -> None:
        if year == self._shown_year:
            return
        if not self.can_leave(f"切换到 {year} 年"):
            self.year.blockSignals(True)
            self.year.setValue(self._shown_year)
            self.year.blockSignals(False)
            return
        self._shown_year = year
        self._fill_grid()

    def can_leave(self, doing: str = "离开本页") -> bool:
        """Unsaved figures: ask before they are dropped. True when there is nothing to lose or the clerk agrees."""
        if not self.model.dirty:
            return True
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "人口尚未保存",
            f"{self._shown_year} 年人口有 {len(self.model.edits)} 处修改尚未保存。{doing}将放弃这些修改。",
            parent=self,
        )
        drop = box.addButton("放弃修改", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("返回", QMessageBox.ButtonRole.RejectRole)
        self.win.ask(box)
        if box.clickedButton() is not drop:
            return False
        self.model.discard()
        self._show_dirty()
        return True

    def forget_unsaved(self) -> None:
        self.model.discard()
        self._show_dirty()

    def copy_last_year(self) -> None:
        year = self.year.value()
        ids = [r.division_id for r in self.model.rows]
        with self.win.db.reading() as session:
            last = core.populations(session, year - 1, ids)
        filled = self.model.fill_blanks(last)
        self._show_dirty()
        if not last:
            self.status.setText(f"{year - 1} 年没有这些村（社区）的人口，无可复制。")
        elif not filled:
            self.status.setText(f"本年度已有数字的格子未改动；没有需要从 {year - 1} 年复制的格子。")

    def save(self) -> bool:
        if not self.win.allowed("edit"):
            return False
        changes = self.model.changes()
        if not changes:
            self.status.setText("没有需要保存的修改。")
            return True
        year, user = self.year.value(), self.win.user
        try:
            done = perform(self.win.db, lambda session: core.save_populations(session, year, changes, user=user))
        except core.PopulationError as exc:
            self.model.set_errors(exc.cells)
            first = next(iter(exc.errors.values()))
            self.status.setText(f"有 {len(exc.cells)} 处填写有误，全部未保存。{first}")
            self.status.setStyleSheet("color: #b00020;")
            return False
        except UserError as exc:
            self.status.setText(f"未保存：{exc}")
            self.status.setStyleSheet("color: #b00020;")
            return False
        self.model.discard()
        counts = changed(self.win, done).value
        self.status.setText(f"已保存 {year} 年人口：新增 {counts['added']} 个、修改 {counts['changed']} 个村（社区）。")
        return True

    # --- the divisions ------------------------------------------------------------

    def _run(self, title: str, fields: list[tuple[str, QWidget]], write: Callable[[Session], str]) -> bool:
        """``write_from_dialog``, saying what was done (``write``'s sentence) below the tree and in the status bar.
        Returns whether it was written."""
        done = write_from_dialog(self, title, fields, write)
        if done is None:
            return False
        self.win.statusBar().showMessage(done.value, 15000)
        self.status.setText(done.value)
        return True

    def _chosen(self, what: str) -> core.DivisionRow | None:
        row = self.rows.get(self.selected_id())
        if row is None:
            QMessageBox.information(self, what, "请先在左侧选择一个行政区划。")
        return row

    def add(self) -> bool:
        parent = self._chosen("新增乡镇/村")
        if parent is None or not self.win.allowed("edit"):
            return False
        kinds = core.CHILD_KINDS.get(parent.kind)
        if not kinds:
            QMessageBox.information(
                self, "新增乡镇/村", f"{parent.name}是{DIVISION_KIND[parent.kind]}，其下不能再设区划。"
            )
            return False
        name, kind, code = QLineEdit(), QComboBox(), QLineEdit()
        name.setObjectName("divisionName")
        kind.setObjectName("divisionKind")
        code.setObjectName("divisionCode")
        for k in kinds:
            kind.addItem(DIVISION_KIND[k], k)
        with self.win.db.reading() as session:
            try:
                code.setText(core.next_free_code(session, parent.id))
            except UserError:
                code.setText("")
        code.setMaxLength(12)
        code.setToolTip(
            f"12 位统计用区划代码，以 {parent.code[: 9 if parent.kind in ('township', 'street') else 6]} 开头"
        )

        def write(session: Session) -> str:
            made = core.add_division(
                session, parent.id, name=name.text(), kind=kind.currentData(), code=code.text(), user=self.win.user
            )
            self._after = made.id
            return f"已在{parent.name}下新增{DIVISION_KIND[made.kind]}“{made.name}”（{made.code}）。"

        self._after = None
        done = self._run(f"在{parent.name}下新增", [("名称", name), ("类别", kind), ("区划代码", code)], write)
        if done and self._after:
            self.select(self._after)
        return done

    def rename(self) -> bool:
        row = self._chosen("更名")
        if row is None or not self.win.allowed("edit"):
            return False
        name = QLineEdit(row.name)
        name.setObjectName("divisionName")

        def write(session: Session) -> str:
            core.rename_division(session, row.id, name.text(), user=self.win.user)
            return f"已将“{row.name}”更名为“{name.text().strip()}”。"

        return self._run(f"更名：{row.name}", [("新名称", name)], write)

    def merge(self) -> bool:
        row = self._chosen("合并")
        if row is None or not self.win.allowed("edit"):
            return False
        if row.kind not in ("township", "street") or row.withdrawn_on is not None:
            QMessageBox.information(self, "合并", "请先在左侧选择要撤并的乡镇（街道）。")
            return False
        target = QComboBox()
        target.setObjectName("mergeTarget")
        for other in self.children.get(row.parent_id, ()):
            r = self.rows[other]
            if r.id != row.id and r.kind in ("township", "street") and r.withdrawn_on is None:
                target.addItem(r.name, r.id)
        villages = sum(1 for d in self.children.get(row.id, ()) if self.rows[d].withdrawn_on is None)
        note = QLabel(
            f"{row.name}的 {villages} 个村（社区），以及所在地为{row.name}的机构、服务范围、重点任务和人口，"
            f"将全部转入所选乡镇；{row.name}将标记为撤销（不删除，历史记录仍可查）。"
        )
        note.setWordWrap(True)

        def write(session: Session) -> str:
            if target.currentData() is None:
                raise core.RecordError({"target": "没有可以并入的乡镇（街道）"})
            return core.merge_township(
                session, row.id, target.currentData(), user=self.win.user, on=self.win.today
            ).describe()

        return self._run(f"撤乡并镇：{row.name}", [("并入", target), ("", note)], write)

    def toggle_remote(self) -> bool:
        row = self._chosen("标记边远地区")
        if row is None or not self.win.allowed("edit"):
            return False
        user, remote = self.win.user, not row.remote
        done = run_action(self.win, lambda s: core.set_remote(s, row.id, remote, user=user), failure="标记边远地区")
        if done is None:
            return False
        said = f"已将{row.name}{'取消边远地区标记' if row.remote else '标记为边远地区'}。"
        self.status.setText(said)
        return True
