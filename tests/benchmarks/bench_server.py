"""The window and the commands on a PostgreSQL server across a LAN, beside the same on the local SQLite file.

Each job's project side works on a copy of the demo city on the benchmark's throwaway PostgreSQL
(tests/postgres.py), reached through tests/latency_proxy.py, which delays every packet by DELAY in each direction
as an office network does; its baseline is the very same action of the app on the local file. The ratio is the
price of the server at that distance: every statement a job sends pays a round trip there, so a job that sends one
per record shows it. ``python -m tests.benchmarks`` makes the server, its copies and the proxy (ServerCopies in
__main__); each job's server side gets a database of its own (Context.server), so that saves never meet.

The jobs: opening the database (the client's CPU time, the wall time noted), every page of the main window, each
record's form opened and saved, the quarterly PDF report and the export of every sheet.
"""

from __future__ import annotations

import time
from functools import partial

from sqlalchemy import select

from desktop.records.types import RECORD_TYPES
from desktop.ui.pages import PAGES as WINDOW_PAGES
from tests.benchmarks.bench_report import PERIOD, TODAY
from tests.benchmarks.harness import Context, Job, Measured
from tests.forms import NEEDS_AN_OPENER, SAVED

DELAY = 0.001  # seconds each way, a packet's trip across an office LAN
RUNS = 5  # pages and forms are quick; the report and the export (seconds each) run 3 times
SERVER_LABEL = f"on PostgreSQL across a {DELAY * 1000:g} ms-each-way link (the latency proxy)"
LOCAL_LABEL = "the same on the local SQLite file"

# Every page of the main window, and every record with a form of its own; a save changes a text field of the record
# (tests/forms.py, as tests/ui/test_round_trips.py does).
PAGES = {entry.key: entry.title for entry in WINDOW_PAGES}
FORMS = tuple(key for key in RECORD_TYPES if key not in NEEDS_AN_OPENER)


def no_server() -> str | None:
    """Why the server jobs cannot run here (PostgreSQL is not installed), or None."""
    from tests.postgres import _bindir

    try:
        _bindir()
    except SystemExit as exc:
        return f"PostgreSQL is not installed ({exc})"
    return None


def _target(ctx: Context, server: bool) -> str:
    if not server:
        return str(ctx.db)
    if ctx.server is None:
        raise RuntimeError("a server job's side was started without its server database (Context.server)")
    return ctx.server


# -- round trips ------------------------------------------------------------------------------------------


class RoundTrips:
    """The round trips a job's timed part makes to the database: each statement, and each transaction's BEGIN and
    its COMMIT or ROLLBACK (psycopg sends BEGIN on its own before a transaction's first statement). On the server
    each costs 2 x DELAY on the link; the bench notes the count, so that what the link adds can be told from what
    the client does (RESULTS.md's "What the link adds")."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.count = 0
        self._begun = False  # a transaction has begun whose BEGIN the driver has not sent yet
        self._sent = False  # the engine sent BEGIN itself, before its begin event (SQLite's, db/engine.py)
        event.listen(engine, "before_cursor_execute", self._statement)
        for name in ("commit", "rollback"):
            event.listen(engine, name, self._end)
        event.listen(engine, "begin", self._begin)

    def _begin(self, _conn) -> None:
        self._begun, self._sent = not self._sent, False

    def _statement(self, _conn, _cursor, statement: str, *_rest) -> None:
        if statement == "BEGIN":
            self._sent = True
        elif self._begun:  # the driver's BEGIN goes out just before the transaction's first statement
            self._begun = False
            self.count += 1
        self.count += 1

    def _end(self, _conn) -> None:
        if self._begun:  # a transaction that sent nothing: the driver sends neither BEGIN nor its end
            self._begun = False
        else:
            self.count += 1


def _note_round_trips(ctx: Context, server: bool, count: int) -> None:
    if server:
        ctx.notes["round trips"] = count


# -- opening the database -----------------------------------------------------------------------------


def _open(server: bool):
    """open_database (connect, read the revision, sign-in and vault state) then close: the client's CPU time,
    once the modules it needs are loaded (an untimed first open), with the wall time noted."""

    def factory(ctx: Context):
        from db import open_database

        target = _target(ctx, server)
        open_database(target).close()
        walls: list[float] = []

        def run() -> Measured:
            wall, cpu = time.perf_counter(), time.process_time()
            open_database(target).close()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            walls.append(wall)
            ctx.notes[f"{'server' if server else 'local'} wall"] = f"{sorted(walls)[len(walls) // 2]:.3f} s"
            return Measured(cpu)

        return run

    return factory


# -- the window -----------------------------------------------------------------------------------------


def _window(ctx: Context, server: bool):
    """The main window on this side's database, as of TODAY (so its period is PERIOD), shown and painted."""
    from PySide6.QtWidgets import QApplication

    from db import open_database
    from desktop.ui import tasks
    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    tasks.RUN_SYNCHRONOUSLY = True
    window = MainWindow(open_database(_target(ctx, server)), today=TODAY)
    window.resize(1366, 800)
    window.show()
    app.processEvents()
    return app, window


def _page(key: str, server: bool):
    """The page shown again after data changed: from another page (built and fresh) to this one, stale, until it
    has painted and what it fills in after its first paint (the dashboard's details) is there. The window keeps the
    findings of its first check run as it does until something is saved, so the 问题清单 page reads nothing."""

    def factory(ctx: Context):
        app, window = _window(ctx, server)
        other = "settings" if key == "dashboard" else "dashboard"
        for shown in (key, other):  # both built and filled once, untimed
            window.show_page(shown)
            app.processEvents()
        page = window.pages[key]
        trips = RoundTrips(window.db.engine)

        def run() -> None:
            window.show_page(other)
            page.stale = True
            trips.count = 0
            window.show_page(key)
            app.processEvents()  # what the page left for after its paint
            page.repaint()
            app.processEvents()
            _note_round_trips(ctx, server, trips.count)

        return run

    return factory


def _first_id(window, rtype) -> int:
    with window.db.session() as session:
        found = session.scalars(select(rtype.model.id).order_by(rtype.model.id).limit(1)).first()
    if found is None:
        raise RuntimeError(f"the demo city has no {rtype.key}")
    return found


def _form_window(ctx: Context, server: bool, key: str):
    """The window on its 设置 page (the same at every size), the record type and the id of its first record."""
    app, window = _window(ctx, server)
    window.show_page("settings")
    app.processEvents()
    rtype = RECORD_TYPES[key]
    return app, window, rtype, _first_id(window, rtype)


def _timed_refresh(page, trips: RoundTrips) -> tuple[list[float], list[int]]:
    """The seconds and round trips of each re-read of ``page`` from now on (its refresh, wrapped on the instance)."""
    spent: list[float] = []
    sent: list[int] = []
    refresh = page.refresh

    def timed() -> None:
        started, before = time.perf_counter(), trips.count
        refresh()
        spent.append(time.perf_counter() - started)
        sent.append(trips.count - before)

    page.refresh = timed
    return spent, sent


def _form_open(key: str, server: bool):
    """A record's form opened (read, built, shown and painted); closed after, untimed."""

    def factory(ctx: Context):
        from desktop.ui.record_dialogs import edit_record_dialog

        app, window, rtype, record = _form_window(ctx, server, key)
        trips = RoundTrips(window.db.engine)

        def run() -> Measured:
            trips.count = 0
            started = time.perf_counter()
            form = edit_record_dialog(window, rtype, record, exec_=False)
            form.show()
            app.processEvents()
            elapsed = time.perf_counter() - started
            _note_round_trips(ctx, server, trips.count)
            _close(app, form)
            return Measured(elapsed)

        return run

    return factory


def _close(app, form) -> None:
    """A form closed and gone before the next run, as a clerk's closes."""
    form.close()
    form.deleteLater()
    app.processEvents()


def _form_save(key: str, server: bool):
    """A record's form, opened untimed, one text field changed (to one of two values in turn, so that every run
    writes), then saved: from 保存 until the form has closed, the record written with its history, the undo step
    and the window's title; not the re-read of the page behind the form (each page's own job measures that)."""

    def factory(ctx: Context):
        from PySide6.QtWidgets import QDialog

        from desktop.ui.record_dialogs import edit_record_dialog

        app, window, rtype, record = _form_window(ctx, server, key)
        trips = RoundTrips(window.db.engine)
        behind, behind_trips = _timed_refresh(window.pages["settings"], trips)
        field = SAVED[key]
        opened = edit_record_dialog(window, rtype, record, exec_=False)
        base = str(opened.editors[field].raw() or "基准")
        _close(app, opened)
        turn = {"i": 0}

        def run() -> Measured:
            form = edit_record_dialog(window, rtype, record, exec_=False)
            turn["i"] += 1
            form.editors[field].set_value(base + ("甲" if turn["i"] % 2 else "乙"))
            behind.clear()
            behind_trips.clear()
            trips.count = 0
            started = time.perf_counter()
            form.try_save()
            elapsed = time.perf_counter() - started - sum(behind)
            _note_round_trips(ctx, server, trips.count - sum(behind_trips))
            if form.result() != QDialog.DialogCode.Accepted:
                refused = [e.error.text() for e in form.editors.values() if e.error.text()]
                raise RuntimeError(f"the {key} form was not saved: {refused}")
            _close(app, form)
            return Measured(elapsed)

        return run

    return factory


def _counted(ctx: Context, server: bool, db, job):
    """``job`` as a run whose round trips are noted."""
    trips = RoundTrips(db.engine)

    def run() -> None:
        trips.count = 0
        job()
        _note_round_trips(ctx, server, trips.count)

    return run


# -- the commands -----------------------------------------------------------------------------------------


def _report(server: bool):
    def factory(ctx: Context):
        from db import open_database
        from desktop.report.build import build_report
        from desktop.report.fonts import find_fonts

        db = open_database(_target(ctx, server))
        fonts = find_fonts()
        out = ctx.folder / "report.pdf"
        return _counted(ctx, server, db, lambda: build_report(db, PERIOD, out, today=TODAY, fonts=fonts))

    return factory


def _export_all(server: bool):
    def factory(ctx: Context):
        from db import open_database
        from desktop.excel.export import export_workbook
        from desktop.excel.sheets import SHEETS

        db = open_database(_target(ctx, server))
        out = ctx.folder / "all.xlsx"
        ctx.notes["sheets"] = len(SHEETS)
        return _counted(
            ctx, server, db, lambda: export_workbook(db, list(SHEETS), PERIOD, out, user="bench", today=TODAY)
        )

    return factory


def _job(key: str, title: str, what: str, make, runs: int = RUNS) -> Job:
    return Job(
        f"server_{key}",
        f"{title}, on the server",
        f"{what}, {SERVER_LABEL}",
        f"{what}, {LOCAL_LABEL}",
        make(True),
        make(False),
        runs=runs,
        skip=no_server,
        server=True,
    )


JOBS = [
    _job("open", "open a server database (client CPU)", "open_database then close: client CPU time", _open, runs=5),
    *(
        _job(f"page_{key}", f"open the {title} page ({key})", f"the {title} page shown again", partial(_page, key))
        for key, title in PAGES.items()
    ),
    *(_job(f"form_{key}", f"open the {key} form", f"the {key} form opened", partial(_form_open, key)) for key in FORMS),
    *(
        _job(f"save_{key}", f"save the {key} form", f"the {key} form, {field} changed, saved", partial(_form_save, key))
        for key, field in SAVED.items()
    ),
    _job("report", "the quarterly PDF report", "build_report: read, check, lay out every section", _report, runs=3),
    _job("export", "export all (every sheet)", "export_workbook of every sheet", _export_all, runs=3),
]
