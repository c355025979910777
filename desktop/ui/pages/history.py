"""修改记录: every change kept in the history, since the last submission, in the period, or all; and one
record's own history, opened from its form."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QVBoxLayout

from desktop.history import HistoryEntry, changes_between, last_submission_at, record_history
from desktop.ui.pages.base import Page, count_label, heading, make_table, search_box
from desktop.ui.tablemodel import Column, ListModel

KIND_PAGE = {"facilities": "facilities", "staff": "staff", "projects": "projects", "key_tasks": "tasks"}


def history_model(*, with_record: bool = True) -> ListModel:
    columns = [
        # To the second, and sorted as a time (the same minute's changes in their order, not by text).
        Column("时间", lambda e: e.at.replace(microsecond=0), width=150),
        Column("账号", lambda e: e.user, width=120),
        Column("操作", lambda e: e.action, width=90),
    ]
    if with_record:
        columns += [Column("类别", lambda e: e.table, width=70), Column("记录", lambda e: e.record, width=160)]
    columns += [
        Column("修改内容", lambda e: e.summary, width=420, tooltip=lambda e: e.summary.replace("；", "\n")),
        Column("原因或来源", lambda e: e.reason, tooltip=lambda e: e.reason),
    ]
    return ListModel(columns)


class HistoryPage(Page):
    reads = frozenset({"changes", "submissions"})
    SPANS = {"since_submission": "上次上报以来", "period": "本报告期内", "all": "全部"}

    def __init__(self, win) -> None:
        super().__init__(win)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("修改记录"))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("范围"))
        self.span = QComboBox()
        self.span.setObjectName("historySpan")
        for key, label in self.SPANS.items():
            self.span.addItem(label, key)
        self.span.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.span)
        bar.addWidget(search_box(self, "账号、记录名称或修改内容", self.apply_filter), 1)
        layout.addLayout(bar)
        self.note = QLabel()
        self.note.setObjectName("historyNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.model = history_model()
        self.count = count_label(self.model, lambda n: f"共 {n} 条")
        bar.addWidget(self.count)
        self.view = make_table(self.model)
        self.view.setObjectName("historyTable")
        self.view.doubleClicked.connect(self.open_selected)
        layout.addWidget(self.view, 1)
        self.entries: list[HistoryEntry] = []

    def refresh(self) -> None:
        span = self.span.currentData()
        with self.win.db.reading() as session:
            last = last_submission_at(session)
            if span == "since_submission":
                start, end = last, None
                self.note.setText(
                    f"上次导出上报报表：{last:%Y-%m-%d %H:%M}。以下是此后的全部修改。"
                    if last
                    else "还没有导出过上报报表，以下是全部修改。"
                )
            elif span == "period":
                p = self.win.period
                start = dt.datetime.combine(p.start, dt.time())
                end = dt.datetime.combine(p.end + dt.timedelta(days=1), dt.time())
                self.note.setText(f"{p.label}（{p.start} 至 {p.end}）期间的修改。")
            else:
                start = end = None
                self.note.setText("全部修改，最新的在前。")
            self.entries = changes_between(session, start, end)
        self.model.set_rows(self.entries)
        self.apply_filter()

    def apply_filter(self) -> None:
        text = self.search.text().strip().lower()
        keep = [
            i
            for i, e in enumerate(self.entries)
            if not text or text in f"{e.user}\t{e.record}\t{e.summary}\t{e.reason}\t{e.table}".lower()
        ]
        self.model.set_visible(keep)

    def open_selected(self, index) -> None:
        entry = self.model.row_at(index.row())
        page = KIND_PAGE.get(entry.table_name)
        if page is not None:
            self.win.open_record(page, entry.row_id)


class RecordHistoryDialog(QDialog):
    def __init__(self, win, table_name: str, row_id: int, title: str, parent=None) -> None:
        super().__init__(parent or win)
        self.setWindowTitle(f"修改记录：{title}")
        layout = QVBoxLayout(self)
        with win.db.reading() as session:
            entries = record_history(session, table_name, row_id)
        self.model = history_model(with_record=False)
        self.model.set_rows(entries)
        view = make_table(self.model)
        view.setObjectName("recordHistoryTable")
        layout.addWidget(QLabel(f"共 {len(entries)} 条修改，最新的在前；身份证号码和电话号码已隐藏。"))
        layout.addWidget(view, 1)
        self.resize(900, 420)
