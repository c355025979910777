"""All checks on the city-scale demo, against plain SQL reading the same rows.

The baseline replays, through the bare sqlite3 driver, every statement a check run
sends to the database (captured from the engine), so both read exactly the same
rows; the difference is SQLAlchemy's row handling and the checks' own work.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from sqlalchemy import event

from db import open_database
from desktop.checks.runner import run_checks
from desktop.periods import Period
from tests.benchmarks.common import city_database, compare, report

PERIOD = Period(2026, 3)
TODAY = dt.date(2026, 11, 23)


def main() -> None:
    path = city_database()
    db = open_database(path)
    with db.session() as session:  # load the default norms once, as first use does
        run_checks(session, PERIOD, today=TODAY)
        session.commit()

    statements: list[tuple[str, tuple]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append((statement, tuple(parameters or ())))

    event.listen(db.engine, "before_cursor_execute", capture)
    with db.session() as session:
        first = run_checks(session, PERIOD, today=TODAY)
    event.remove(db.engine, "before_cursor_execute", capture)

    def project() -> None:
        with db.session() as session:
            run_checks(session, PERIOD, today=TODAY)

    def baseline() -> None:
        conn = sqlite3.connect(path)
        for sql, params in statements:
            conn.execute(sql, params).fetchall()
        conn.close()

    p, b = compare(project, baseline)
    db.close()
    report(
        f"all checks, city scale ({len(first.rules_run)} rules, {len(first.findings):,} findings), median of 7:",
        ("run_checks (SQLAlchemy Core reads, every rule)", p),
        (f"sqlite3 running the same {len(statements)} statements", b),
        note="goal: well under 2 s and within 3x the baseline",
    )
