"""人员: everyone, searchable by name, ID number or facility, with filters; the form, transfers, departures."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
)

from db.codes import EMPLOYMENT_FORM, STAFF_CATEGORY, STAFF_STATUS, TITLE, TRAINING_KIND
from desktop.lists import AGE_BANDS, StaffList, facility_choices, person_loans, person_trainings
from desktop.records.editing import transfer_staff, update_record
from desktop.records.types import LOAN, STAFF, TRAINING
from desktop.ui.child_records import ChildRecords
from desktop.ui.forms import findable
from desktop.ui.operations import run_action
from desktop.ui.pages.base import (
    COUNTY,
    Page,
    add_buttons,
    date_edit,
    export_button,
    heading,
    make_table,
    selected_row,
    show_county_column,
)
from desktop.ui.record_dialogs import edit_record_dialog, new_record_dialog
from desktop.ui.tablemodel import GREY, Column, ListModel


def _filter_combo(name: str, label: str, codes: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItem(label, None)
    for code, text in codes.items():
        combo.addItem(text, code)
    return combo


def columns() -> list[Column]:
    """The list's columns (tests/ui/test_page_columns.py reads them with no window)."""
    return [
        Column.of(STAFF.field("name"), width=70),
        Column.of(STAFF.field("id_number"), lambda r: r.masked_id, width=150),
        Column.of(STAFF.field("sex"), width=40),
        Column("年龄", lambda r: r.age, numeric=True, width=45),
        Column(COUNTY, lambda r: r.county, width=90),
        Column.of(STAFF.field("facility_id"), lambda r: r.facility, width=200),
        Column("乡镇（街道）", lambda r: r.township, width=90),
        Column.of(STAFF.field("category"), width=90),
        Column.of(STAFF.field("title"), width=100),
        Column.of(STAFF.field("employment_form"), width=70),
        Column.of(STAFF.field("status")),
        *(
            Column.of(f, lambda r, i=i, f=f: f.display(r.more[i]) if f.kind in ("code", "bool") else r.more[i])
            for i, f in enumerate(STAFF.listed)
        ),
    ]


class StaffPage(Page):
    reads = frozenset({"divisions", "facilities", "staff"})
    import_kind = "staff"
    record_type = STAFF

    def __init__(self, win) -> None:
        super().__init__(win)
        self.staff: StaffList | None = None
        self.facility_ids: set[int] | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading("卫生人员"))
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("staffSearch")
        self.search.setPlaceholderText("搜索姓名、身份证号码或单位（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
        bar.addWidget(self.search, 2)
        self.category = _filter_combo("categoryFilter", "全部类别", STAFF_CATEGORY)
        self.title_filter = _filter_combo("titleFilter", "全部职称", TITLE)
        self.form = _filter_combo("formFilter", "全部用工形式", EMPLOYMENT_FORM)
        self.status = _filter_combo("statusFilter", "全部状态", STAFF_STATUS)
        self.age = _filter_combo("ageFilter", "全部年龄", {k: v[0] for k, v in AGE_BANDS.items()})
        for combo in (self.category, self.title_filter, self.form, self.status, self.age):
            combo.currentIndexChanged.connect(self.apply_filter)
            bar.addWidget(combo)
        layout.addLayout(bar)
        actions = QHBoxLayout()
        self.facility_label = QLabel()
        actions.addWidget(self.facility_label)
        self.clear_facility = QPushButton("显示全部单位")
        self.clear_facility.clicked.connect(lambda: self.filter_facility(None, None))
        self.clear_facility.hide()
        actions.addWidget(self.clear_facility)
        actions.addStretch(1)
        actions.addWidget(export_button(self))
        add_buttons(
            actions,
            (
                ("新增人员", self.add, "addPerson", "edit"),
                ("查看/编辑", self.edit_selected, "editPerson"),
                ("调动", self.transfer_selected, "transferPerson", "edit"),
                ("离岗", self.depart_selected, "departPerson", "edit"),
            ),
        )
        layout.addLayout(actions)
        self.model = ListModel(
            columns(),
            colour=lambda r: GREY if r.status != "on_post" else None,
        )
        self.allow_editing_in_list(self.model)
        self.view = make_table(self.model)
        self.view.setObjectName("staffTable")
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        layout.addWidget(self.view, 1)
        self.count = QLabel()
        self.model.modelReset.connect(self._show_count)  # a column's filter changes the count too
        layout.addWidget(self.count)

    def refresh(self) -> None:
        with self.win.db.reading() as session:
            self.staff = StaffList(session, self.win.today, full_ids=self.win.can("unmask"))
        self.model.set_rows(self.staff.rows, self._matching())
        show_county_column(self.view)
        self._show_count()

    def apply_filter(self) -> None:
        if self.staff is None:
            return
        self.model.set_visible(self._matching())
        self._show_count()

    def _matching(self) -> list[int]:
        return self.staff.filter(
            self.search.text(),
            category=self.category.currentData(),
            title=self.title_filter.currentData(),
            employment_form=self.form.currentData(),
            status=self.status.currentData(),
            age_band=self.age.currentData(),
            facility_ids=self.facility_ids,
        )

    def _show_count(self) -> None:
        if self.staff is not None:
            self.count.setText(f"共 {self.model.rowCount():,} 人（全部 {len(self.staff.rows):,} 人）")

    def filter_facility(self, facility_id: int | None, name: str | None) -> None:
        self.ensure_fresh()
        self.facility_ids = {facility_id} if facility_id is not None else None
        self.facility_label.setText(f"单位：{name}" if name else "")
        self.clear_facility.setVisible(facility_id is not None)
        self.apply_filter()

    def open_record(self, record_id: int) -> None:
        self.ensure_fresh()
        row = next((r for r in self.staff.rows if r.id == record_id), None) if self.staff else None
        if row is not None:  # found by name (the whole ID number is not for the search box to show)
            self.search.setText(row.name)
            at = next((i for i in range(self.model.rowCount()) if self.model.row_at(i).id == record_id), 0)
            self.view.selectRow(at)  # the filtered rows are in the model already: no need to wait for a timer
            self.view.scrollTo(self.model.index(at, 0))

    # --- actions ------------------------------------------------------------------

    def add(self) -> None:
        new_record_dialog(self.win, STAFF, {"status": "on_post", "title": "none", "employment_form": "contract"})

    def _extra(self, staff_id: int) -> QTabWidget:
        """The person's trainings and loans, each added, edited and deleted here."""
        tabs = QTabWidget()
        tabs.setObjectName("personRecords")
        fixed = {"staff_id": staff_id}

        def titled(index: int, label: str):
            return lambda n: tabs.setTabText(index, f"{label}（{n}）")

        trainings = ChildRecords(
            self.win,
            TRAINING,
            fixed,
            [
                Column.of(TRAINING.field("start_date"), width=90),
                Column.of(TRAINING.field("end_date"), width=90),
                Column.of(TRAINING.field("days"), width=100),
                Column.of(TRAINING.field("kind"), width=100),
                Column.of(TRAINING.field("place")),
            ],
            lambda session: person_trainings(session, staff_id),
            describe=lambda t: f"{t.start_date} 起 {TRAINING_KIND[t.kind]} {t.days} 天",
            counted=titled(0, "培训进修"),
        )
        loans = ChildRecords(
            self.win,
            LOAN,
            fixed,
            [
                Column.of(LOAN.field("start_date"), width=100),
                Column(LOAN.field("end_date").label, lambda x: x.end_date or "未归还", width=90),
                Column.of(LOAN.field("to_unit"), width=180),
                Column.of(LOAN.field("reason")),
            ],
            lambda session: person_loans(session, staff_id),
            describe=lambda x: f"{x.start_date} 起借用到{x.to_unit}",
            counted=titled(1, "借用记录"),
        )
        tabs.addTab(trainings, "培训进修")
        tabs.addTab(loans, "借用记录")
        trainings.refresh()  # now that the tabs exist, their titles take the counts
        loans.refresh()
        tabs.setMinimumHeight(200)
        tabs.setMaximumHeight(260)
        return tabs

    def edit_selected(self) -> None:
        row = selected_row(self.view)
        if row is not None:
            edit_record_dialog(self.win, STAFF, row.id, extra=self._extra(row.id))

    def transfer_selected(self) -> None:
        row = selected_row(self.view)
        if row is None:
            return
        with self.win.db.reading() as session:
            choices = facility_choices(session)
        dialog = QDialog(self)
        dialog.setWindowTitle(f"调动：{row.name}")
        form = QFormLayout(dialog)
        target = QComboBox()
        for fid, name in choices:
            if fid != row.facility_id:
                target.addItem(name, fid)
        findable(target)
        day = date_edit(dt.date.today())
        form.addRow("现单位", QLabel(row.facility))
        form.addRow("调入单位", target)
        form.addRow("调动日期", day)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        to, user, on = target.currentData(), self.win.user, day.date().toPython()
        run_action(self.win, lambda s: transfer_staff(s, row.id, to, user=user, on=on), failure="无法调动", parent=self)

    def depart_selected(self) -> None:
        row = selected_row(self.view)
        if row is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(f"离岗：{row.name}")
        form = QFormLayout(dialog)
        status = QComboBox()
        for code in ("left", "retired", "transferred"):
            status.addItem(STAFF_STATUS[code], code)
        reason = QLineEdit()
        reason.setObjectName("departReason")
        day = date_edit(dt.date.today())
        form.addRow("离岗类型", status)
        form.addRow("原因＊", reason)
        form.addRow("离岗日期", day)
        error = QLabel()
        error.setStyleSheet("color: #b00020;")
        form.addRow(error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)

        def accept() -> None:
            if not reason.text().strip():
                error.setText("请写明离岗原因")
                return
            dialog.accept()

        buttons.accepted.connect(accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        values = {"status": status.currentData(), "status_reason": reason.text(), "status_date": day.date().toPython()}
        user = self.win.user
        run_action(
            self.win, lambda s: update_record(s, STAFF, row.id, values, user=user), failure="无法离岗", parent=self
        )
