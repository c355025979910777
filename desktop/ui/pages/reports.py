"""报表: what goes out. The subsidy roster of the period is here; the Excel and PDF exports join it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from desktop.subsidies import subsidy_roster
from desktop.ui.pages.base import Page, heading, make_table
from desktop.ui.tablemodel import Column, ListModel


class ReportsPage(Page):
    key = "reports"
    title = "报表"

    def __init__(self, win) -> None:
        super().__init__(win)
        layout = QVBoxLayout(self)
        self.header = heading("生活补贴名册")
        layout.addWidget(self.header)
        self.total = QLabel()
        layout.addWidget(self.total)
        self.model = ListModel(
            [
                Column("乡镇", lambda x: x.township, width=90),
                Column("单位", lambda x: x.facility, width=200),
                Column("姓名", lambda x: x.name, width=70),
                Column("人员类别", lambda x: x.category, width=90),
                Column("月补贴（元）", lambda x: x.monthly_yuan, numeric=True, width=90),
                Column("补贴项目", lambda x: x.rule_name, width=260),
                Column("依据", lambda x: x.basis, tooltip=lambda x: x.source),
            ]
        )
        self.view = make_table(self.model)
        self.view.setObjectName("subsidyTable")
        layout.addWidget(self.view, 1)

    def refresh(self) -> None:
        period = self.win.period
        with self.win.db.session() as session:
            lines = subsidy_roster(session, period, today=self.win.today)
            session.commit()
        self.header.setText(f"生活补贴名册 · {period.label}")
        self.total.setText(f"共 {len(lines)} 人，月补贴合计 {sum(x.monthly_yuan for x in lines):,} 元。")
        self.model.set_rows(lines)
