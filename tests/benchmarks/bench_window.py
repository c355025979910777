"""The window: cold start, and the staff page (first rows, a keystroke in the search box).

Baselines: a bare PySide6 QMainWindow started the same way, and a bare QTableView over a plain
Python list model holding the same rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.benchmarks.harness import Context, Job, Measured

VENV_APP = Path(sys.executable).parent / "countyhealth-desk"


def _started(command: list[str]) -> list[list[str]]:
    """A fresh process started now, given our time.time(); the words of each line it printed."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [*command, repr(time.time())], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return [line.split() for line in done.stdout.splitlines() if line.strip()]


def first_paint(command: list[str]) -> Measured:
    """The seconds from the start to the process's first paint, and its peak resident MB by then."""
    line = next(words for words in _started(command) if words[0] != "figures")
    return Measured(float(line[0]), float(line[1]) if len(line) > 1 else None)


def figures_after_paint(command: list[str]) -> Measured:
    """The seconds from the app's first paint until its dashboard shows every figure."""
    return Measured(float(next(words[1] for words in _started(command) if words[0] == "figures")))


def project_start(ctx: Context):
    return lambda: first_paint([str(VENV_APP), "--db", str(ctx.db), "--benchmark-start"])


def project_start_figures(ctx: Context):
    return lambda: figures_after_paint([str(VENV_APP), "--db", str(ctx.db), "--benchmark-start"])


def baseline_start(ctx: Context):
    return lambda: first_paint([sys.executable, "-m", "tests.benchmarks.start_window"])


def _window(ctx: Context, db=None):
    """The main window on the context's database, or on ``db`` (opened, signed in) where given."""
    from PySide6.QtWidgets import QApplication

    from db import open_database
    from desktop.ui import tasks
    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    tasks.RUN_SYNCHRONOUSLY = True
    window = MainWindow(db or open_database(ctx.db))
    window.resize(1366, 800)
    window.show()
    app.processEvents()

    def visit_every_page() -> None:  # the window's memory once everything has been looked at
        for key in window.pages:
            window.show_page(key)
            app.processEvents()

    ctx.after = visit_every_page
    return window


def project_staff_open(ctx: Context, db=None):
    window = _window(ctx, db)
    page = window.pages["staff"]

    def run() -> None:
        page.stale = True
        window.show_page("dashboard")
        window.show_page("staff")
        page.view.repaint()

    return run


KEYS = ["王", "李", "张", "5399", "卫生院", "刘"]


def project_staff_filter(ctx: Context):
    window = _window(ctx)
    page = window.show_page("staff")
    state = {"i": 0}

    def run() -> None:
        state["i"] += 1
        page.search.setText(KEYS[state["i"] % len(KEYS)])
        page.view.repaint()

    return run


def _plain_view(ctx: Context, rows: list[tuple]):
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QTableView

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

    app = QApplication.instance() or QApplication([])
    view = QTableView()
    view.setModel(PlainModel(rows))
    view.resize(1200, 700)
    view.show()
    app.processEvents()  # exposed, so that repaint() paints, as in the project's window
    return view


def _plain_rows(ctx: Context) -> tuple[list[tuple], list[str]]:
    """The staff page's rows as plain tuples, and the text a search looks in (name, ID number, facility,
    township, as the page's own search), read once with the project's own query (untimed)."""
    from db import open_database
    from desktop.lists import StaffList

    db = open_database(ctx.db)
    with db.session() as session:
        people = StaffList(session).rows
    db.close()
    rows = [
        (r.name, r.masked_id, r.sex, r.age, r.facility, r.township, r.category, r.title, r.employment_form, r.status)
        for r in people
    ]
    hay = [f"{r.name}\t{r.id_number.lower()}\t{r.facility}\t{r.township}" for r in people]
    ctx.notes["people"] = len(rows)
    return rows, hay


def baseline_staff_open(ctx: Context):
    rows, _ = _plain_rows(ctx)

    def run() -> None:
        view = _plain_view(ctx, rows)
        view.repaint()
        view.close()

    return run


def baseline_staff_filter(ctx: Context):
    rows, hay = _plain_rows(ctx)
    view = _plain_view(ctx, list(rows))
    state = {"i": 0}

    def run() -> None:
        state["i"] += 1
        needle = KEYS[state["i"] % len(KEYS)]
        model = view.model()
        model.beginResetModel()
        model.rows = [r for r, text in zip(rows, hay, strict=True) if needle in text]
        model.endResetModel()
        view.repaint()

    return run


def project_staff_copy(ctx: Context):
    """Ctrl+A then Ctrl+C on the staff page: every row, as on screen, onto the clipboard."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window = _window(ctx)
    page = window.show_page("staff")
    page.view.setFocus()

    def run() -> None:
        QTest.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(page.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
        page.model._texts.clear()  # each run formats every cell again, as after a refresh

    return run


def baseline_staff_copy(ctx: Context):
    """The same rows, each cell already a string, joined with tabs and line ends in plain Python."""
    rows, _ = _plain_rows(ctx)
    texts = [tuple(str(v) for v in r) for r in rows]

    def run() -> None:
        "\r\n".join("\t".join(r) for r in texts).encode("utf-16-le")

    return run


def project_staff_column_filter(ctx: Context):
    """Opening the filter of the staff page's 工作单位 column: its values, their counts, the list."""
    from desktop.ui.list_view import ColumnFilter

    window = _window(ctx)
    page = window.show_page("staff")
    column = next(i for i, c in enumerate(page.model.columns) if c.label.startswith("工作单位"))

    def run() -> None:
        page.model._texts.clear()
        dialog = ColumnFilter(page.model, column, page.view)
        dialog.show()
        dialog.repaint()
        dialog.close()
        dialog.deleteLater()

    return run


def baseline_staff_column_filter(ctx: Context):
    """The same column's values counted in plain Python."""
    from collections import Counter

    rows, _ = _plain_rows(ctx)

    def run() -> None:
        sorted(Counter(str(r[4]) for r in rows).items())

    return run


JOBS = [
    Job(
        "start",
        "cold start to a usable window",
        "countyhealth-desk, launch to first paint",
        "bare PySide6 QMainWindow, launch to first paint",
        project_start,
        baseline_start,
        runs=5,
    ),
    Job(
        "start_figures",
        "the dashboard's figures after the first paint",
        "countyhealth-desk, first paint to every figure shown",
        "bare PySide6 QMainWindow, launch to first paint",
        project_start_figures,
        baseline_start,
        runs=5,
    ),
    Job(
        "staff_open",
        "open the staff page to its first rows",
        "staff page: read, build rows, show",
        "bare QTableView over a plain list",
        project_staff_open,
        baseline_staff_open,
        runs=7,
    ),
    Job(
        "staff_filter",
        "a keystroke in the staff search box",
        "search box: filter, reset model, repaint",
        "plain list filter + bare QTableView reset",
        project_staff_filter,
        baseline_staff_filter,
        runs=15,
    ),
    Job(
        "staff_copy",
        "Ctrl+A then Ctrl+C over the staff list",
        "staff page: select all, copy as a table",
        "the same rows' text joined in plain Python",
        project_staff_copy,
        baseline_staff_copy,
        runs=5,
    ),
    Job(
        "staff_column_filter",
        "open a column's filter on the staff list",
        "工作单位's filter: values, counts, list shown",
        "the same column counted in plain Python",
        project_staff_column_filter,
        baseline_staff_column_filter,
        runs=7,
    ),
]
