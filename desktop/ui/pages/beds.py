"""床位核查: each THC/CHSC with its rural population, beds, band and verdict; the year at the top."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout

from db.codes import FACILITY_KIND
from desktop.checks.beds import VERDICTS, band_rule, bed_rows, stood_in_note
from desktop.norms import norms_in_force
from desktop.periods import Period
from desktop.snapshot import Snapshot
from desktop.ui.pages.base import Page, export_button, heading, make_table, search_box
from desktop.ui.tablemodel import AMBER, GREEN, GREY, RED, Column, ListModel

COLOURS = {"within": GREEN, "under": RED, "over": AMBER}


def columns() -> list[Column]:
    """The list's columns (tests/ui/test_page_columns.py reads them with no window)."""
    return [
        Column("机构", lambda r: r.name, width=200),
        Column("类别", lambda r: FACILITY_KIND[r.kind], width=110),
        Column(
            "服务范围乡村人口（人）",
            lambda r: r.population,
            numeric=True,
            width=150,
            tooltip=lambda r: "乡村人口缺失，以常住人口代替" if r.resident_stood_in else None,
        ),
        Column("实有床位（含养老，张）", lambda r: r.beds, numeric=True, width=150),
        Column("床位区间（张）", lambda r: r.band, width=110),
        Column("结论", lambda r: VERDICTS[r.verdict]),
    ]


class BedsPage(Page):
    reads = frozenset(
        {"division_populations", "divisions", "facilities", "norm_rules", "norm_versions", "service_areas"}
    )

    def __init__(self, win) -> None:
        super().__init__(win)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(heading("床位配置核查"))
        bar.addWidget(search_box(self, "机构", self.apply_filter), 1)
        bar.addWidget(export_button(self))
        bar.addWidget(QLabel("年度"))
        self.year = QSpinBox()
        self.year.setObjectName("bedYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(win.period.year)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        bar.addWidget(self.year)
        layout.addLayout(bar)
        self.norm_label = QLabel()
        self.norm_label.setWordWrap(True)
        layout.addWidget(self.norm_label)
        self.model = ListModel(
            columns(),
            colour=lambda r: COLOURS.get(r.verdict, GREY),
        )
        self.view = make_table(self.model)
        self.view.setObjectName("bedTable")
        self.view.doubleClicked.connect(
            lambda i: self.win.open_record("facilities", self.model.row_at(i.row()).facility_id)
        )
        layout.addWidget(self.view, 1)

    def refresh(self) -> None:
        year = self.year.value()
        as_of = Period(year).as_of(self.win.today)
        with self.win.db.reading() as session:
            norm = norms_in_force(session, as_of)["bed_band"]
            rows = bed_rows(Snapshot(session, as_of), year, norm)
        note = stood_in_note(rows)
        self.norm_label.setText(
            f"按{as_of.year}年{as_of.month}月{as_of.day}日生效的规范（第{norm.version}版）：{band_rule(norm)}。"
            f"依据：{norm.source}" + (f"\n{note}" if note else "")
        )
        self.model.set_rows(rows)
        self.apply_filter()

    def apply_filter(self) -> None:
        self.model.set_visible(self.model.matching(range(len(self.model.rows)), self.search.text()))
