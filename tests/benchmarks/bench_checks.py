"""All checks, against plain SQL reading the same rows.

The baseline replays, through the bare sqlite3 driver, every statement a check run sends to the
database (captured from the engine), so both read exactly the same rows; the difference is
SQLAlchemy's row handling and the checks' own work.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from sqlalchemy import event

from db import open_database
from desktop.checks.runner import run_checks
from desktop.periods import Period
from tests.benchmarks.harness import Context, Job

PERIOD = Period(2026, 3)
TODAY = dt.date(2026, 11, 23)


def _first_run(ctx: Context):
    db = open_database(ctx.db)
    with db.session() as session:  # the default norms are stored on first use
        result = run_checks(session, PERIOD, today=TODAY)
        session.commit()
    ctx.notes.update(rules=len(result.rules_run), findings=len(result.findings))
    return db


def project(ctx: Context):
    db = _first_run(ctx)

    def run() -> None:
        with db.session() as session:
            run_checks(session, PERIOD, today=TODAY)

    return run


def baseline(ctx: Context):
    db = _first_run(ctx)
    statements: list[tuple[str, tuple]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append((statement, tuple(parameters or ())))

    event.listen(db.engine, "before_cursor_execute", capture)
    with db.session() as session:
        run_checks(session, PERIOD, today=TODAY)
    event.remove(db.engine, "before_cursor_execute", capture)
    db.close()
    ctx.notes["statements"] = len(statements)

    def run() -> None:
        conn = sqlite3.connect(ctx.db)
        for sql, params in statements:
            conn.execute(sql, params).fetchall()
        conn.close()

    return run


JOBS = [
    Job(
        "checks",
        "all checks",
        "run_checks: every rule, SQLAlchemy Core reads",
        "sqlite3 running the same statements",
        project,
        baseline,
        runs=7,
    )
]
