"""The window at city scale: cold start, and the staff page (first rows, a keystroke in the search box).

Baselines measured in the same run: a bare PySide6 QMainWindow started the same way, and a bare
QTableView over a plain Python list model holding the same rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView

from tests.benchmarks.common import city_database, compare, report

SCRIPT = Path(__file__).with_name("start_window.py")


def cold_start(*args: str) -> float:
    """Seconds from launching a fresh Python process to the window's first paint (as the child saw it)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *args, repr(time.time())], check=True, env=env, capture_output=True, text=True
    )
    return float(result.stdout.split()[-1])


class PlainModel(QAbstractTableModel):
    def __init__(self, rows: list[tuple]) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return len(self.rows[0]) if self.rows else 0

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self.rows[index.row()][index.column()])
        return None


def main() -> None:
    path = city_database()
    p, b = compare(lambda: cold_start("app", str(path)), lambda: cold_start("bare"), runs=5)
    report(
        "cold start to a usable window, city scale, median of 5 (fresh processes, launch to first paint):",
        ("main window, dashboard counts painted", p),
        ("bare PySide6 QMainWindow shown", b),
        note="goal: under 2 s",
    )

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    from db import open_database
    from desktop.lists import StaffList
    from desktop.ui import tasks
    from desktop.ui.main_window import MainWindow

    tasks.RUN_SYNCHRONOUSLY = True
    db = open_database(path)
    window = MainWindow(db)
    window.resize(1366, 800)
    window.show()
    app.processEvents()
    with db.session() as session:
        plain_rows = [
            (
                r.name,
                r.masked_id,
                r.sex,
                r.age,
                r.facility,
                r.township,
                r.category,
                r.title,
                r.employment_form,
                r.status,
            )
            for r in StaffList(session).rows
        ]

    def open_staff() -> None:
        page = window.pages["staff"]
        page.stale = True
        window.show_page("dashboard")
        window.show_page("staff")
        page.view.repaint()

    def bare_table() -> None:
        view = QTableView()
        view.setModel(PlainModel(plain_rows))
        view.resize(1200, 700)
        view.show()
        view.repaint()
        view.close()

    p, b = compare(open_staff, bare_table)
    report(
        f"open the staff page to its first rows, city scale ({len(plain_rows):,} people), median of 7:",
        ("staff page: read, build rows, show", p),
        ("bare QTableView over a plain list", b),
        note="goal: under 0.5 s",
    )

    page = window.pages["staff"]
    keys = ["王", "李", "张", "5399", "卫生院", "刘"]
    state = {"i": 0}

    def keystroke() -> None:
        state["i"] += 1
        page.search.setText(keys[state["i"] % len(keys)])
        page.view.repaint()

    def bare_filter() -> None:
        state["i"] += 1
        needle = keys[state["i"] % len(keys)]
        view = bare_filter.view
        view.model().beginResetModel()
        view.model().rows = [r for r in plain_rows if needle in r[0] or needle in r[4]]
        view.model().endResetModel()
        view.repaint()

    bare_filter.view = QTableView()
    bare_filter.view.setModel(PlainModel(list(plain_rows)))
    bare_filter.view.resize(1200, 700)
    bare_filter.view.show()
    p, b = compare(keystroke, bare_filter, runs=15)
    report(
        "a keystroke in the staff search box, city scale, median of 15:",
        ("search box: filter, reset model, repaint", p),
        ("plain list filter + bare QTableView reset", b),
        note="goal: under 100 ms",
    )
    bare_filter.view.close()
    window.close()
