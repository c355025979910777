"""机构: a tree of townships beside the table of facilities; filters; the form; related records."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.codes import FACILITY_KIND, FACILITY_STATUS, GRASSROOTS_CENTRE_KINDS
from desktop.lists import facility_rows, facility_special_funds
from desktop.records.types import FACILITY, SPECIAL_FUND
from desktop.ui.child_records import ChildRecords
from desktop.ui.pages.base import (
    COUNTY,
    Page,
    add_buttons,
    count_label,
    export_button,
    heading,
    make_table,
    search_box,
    selected_row,
    show_county_column,
)
from desktop.ui.record_dialogs import edit_record_dialog, new_record_dialog
from desktop.ui.tablemodel import GREY, Column, ListModel


def columns() -> list[Column]:
    """The list's columns (tests/ui/test_page_columns.py reads them with no window)."""
    return [
        Column.of(FACILITY.field("name"), width=220),
        Column.of(FACILITY.field("kind"), lambda r: r.kind_label, width=110),
        Column(COUNTY, lambda r: r.county, width=90),
        Column("乡镇（街道）", lambda r: r.township, width=100),
        Column.of(FACILITY.field("status"), lambda r: r.status_label, width=70),
        Column.of(FACILITY.field("open_beds"), width=90),
        Column.of(FACILITY.field("elderly_care_beds"), width=120),
        Column("在岗人员", lambda r: r.staff, numeric=True, width=70),
        Column.of(FACILITY.field("credit_code"), lambda r: r.credit_code or ""),
    ]


class FacilitiesPage(Page):
    reads = frozenset({"divisions", "facilities", "staff"})
    import_kind = "facilities"
    record_type = FACILITY

    def __init__(self, win) -> None:
        super().__init__(win)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("医疗卫生机构"))
        bar = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("kindFilter")
        self.kind.addItem("全部类别", None)
        for code, label in FACILITY_KIND.items():
            self.kind.addItem(label, code)
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        self.status.addItem("全部状态", None)
        for code, label in FACILITY_STATUS.items():
            self.status.addItem(label, code)
        for combo in (self.kind, self.status):
            combo.currentIndexChanged.connect(self.apply_filter)
            bar.addWidget(combo)
        bar.addWidget(search_box(self, "机构名称、乡镇或统一社会信用代码", self.apply_filter), 1)
        bar.addStretch(1)
        bar.addWidget(export_button(self))
        add_buttons(
            bar,
            (
                ("新增机构", self.add, "addFacility", "edit"),
                ("编辑", self.edit_selected, "editFacility"),
                ("查看人员", self.show_staff, "facilityStaff"),
                ("建设项目", self.show_projects, "facilityProjects"),
                ("床位核查", self.show_beds, None),
                ("相关问题", self.show_findings, None),
            ),
        )
        layout.addLayout(bar)
        split = QSplitter()
        self.tree = QTreeWidget()
        self.tree.setObjectName("townshipTree")
        self.tree.setHeaderLabels(["乡镇（街道）"])
        self.tree.itemSelectionChanged.connect(self.apply_filter)
        split.addWidget(self.tree)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.model = ListModel(
            columns(),
            colour=lambda r: GREY if r.status != "operating" else None,
        )
        # Beds and status change from a day and a closing needs its reason: those are the form's.
        self.allow_editing_in_list(self.model, frozenset({"name", "kind", "credit_code"}))
        self.view = make_table(self.model)
        self.view.setObjectName("facilityTable")
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        right_layout.addWidget(self.view, 1)
        self.count = count_label(self.model, lambda n: f"共 {n} 个机构")
        right_layout.addWidget(self.count)
        split.addWidget(right)
        split.setSizes([200, 800])
        layout.addWidget(split, 1)

    def refresh(self) -> None:
        with self.win.db.reading() as session:
            rows = facility_rows(session, self.win.today)
        self.model.set_rows(rows)
        show_county_column(self.view)
        selected = self._place()
        self.tree.blockSignals(True)
        self.tree.clear()
        root = QTreeWidgetItem(["全部"])
        root.setData(0, Qt.ItemDataRole.UserRole, None)
        self.tree.addTopLevelItem(root)
        per_town = Counter(r.township_id for r in rows)
        per_county = Counter(r.county_id for r in rows)
        counties = sorted({(r.county_id, r.county) for r in rows if r.county_id}, key=lambda c: c[0])
        several = len(counties) > 1  # a city: 县 › 乡镇, so that its several 城关街道 are told apart
        self.tree.setHeaderLabels(["县（市、区） › 乡镇（街道）" if several else "乡镇（街道）"])

        def add(parent: QTreeWidgetItem, place: tuple[str, int], text: str) -> QTreeWidgetItem:
            item = QTreeWidgetItem([text])
            item.setData(0, Qt.ItemDataRole.UserRole, place)
            parent.addChild(item)
            item.setSelected(place == selected)
            return item

        parents = {cid: add(root, ("county", cid), f"{name}（{per_county[cid]}）") for cid, name in counties if several}
        towns = sorted({(r.township_id, r.township, r.county_id) for r in rows if r.township_id}, key=lambda t: t[0])
        for tid, name, cid in towns:
            add(parents.get(cid, root), ("township", tid), f"{name}（{per_town[tid]}）")
        root.setExpanded(True)
        self.tree.blockSignals(False)
        self.apply_filter()

    def _place(self) -> tuple[str, int] | None:
        items = self.tree.selectedItems()
        return items[0].data(0, Qt.ItemDataRole.UserRole) if items else None

    def apply_filter(self) -> None:
        kind, status, place = self.kind.currentData(), self.status.currentData(), self._place()
        level, place_id = place or (None, None)
        keep = [
            i
            for i, r in enumerate(self.model.rows)
            if (kind is None or r.kind == kind)
            and (status is None or r.status == status)
            and (level is None or (r.county_id if level == "county" else r.township_id) == place_id)
        ]
        self.model.set_visible(self.model.matching(keep, self.search.text()))

    def add(self) -> None:
        new_record_dialog(self.win, FACILITY, {"ownership": "public", "status": "operating", "kind": "village_clinic"})

    def edit_selected(self, *, exec_: bool = True):
        row = selected_row(self.view)
        if row is None:
            return None
        extra = self._special_funds(row.id) if row.kind in GRASSROOTS_CENTRE_KINDS else None
        return edit_record_dialog(self.win, FACILITY, row.id, extra=extra, exec_=exec_, dated=True)

    def _special_funds(self, facility_id: int) -> QWidget:
        """A health centre's special funds for infrastructure and equipment, year by year."""
        box = QGroupBox("专项资金（按年度）")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(
            ChildRecords(
                self.win,
                SPECIAL_FUND,
                {"facility_id": facility_id},
                [
                    Column.of(SPECIAL_FUND.field("year"), numeric=False, width=70),  # 2025, not 2,025
                    Column.of(SPECIAL_FUND.field("amount"), width=130),
                    Column.of(SPECIAL_FUND.field("note")),
                ],
                lambda session: facility_special_funds(session, facility_id),
                describe=lambda f: f"{f.year}年 {SPECIAL_FUND.field('amount').display(f.amount)} 万元",
                defaults={"year": self.win.today.year},
            )
        )
        box.setMinimumHeight(190)
        box.setMaximumHeight(250)
        return box

    def open_record(self, record_id: int) -> None:
        self.ensure_fresh()
        self.kind.setCurrentIndex(0)
        self.status.setCurrentIndex(0)
        self.tree.clearSelection()
        self.apply_filter()
        r = self.model.view_row_of(record_id)
        if r is not None:
            self.view.selectRow(r)
            self.view.scrollTo(self.model.index(r, 0))

    def show_staff(self) -> None:
        row = selected_row(self.view)
        if row is not None:
            self.win.show_page("staff")
            self.win.pages["staff"].filter_facility(row.id, row.name)

    def show_projects(self) -> None:
        row = selected_row(self.view)
        page = self.win.show_page("projects")
        if row is not None:
            page.filter_facility(row.name)

    def show_beds(self) -> None:
        self.win.show_page("beds")

    def show_findings(self) -> None:
        row = selected_row(self.view)
        self.win.show_findings(where_name=row.name if row else None)
