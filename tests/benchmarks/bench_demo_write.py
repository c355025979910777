"""Writing the demo city, against a plain sqlite3 ``executemany`` of the same rows.

Both write into a fresh file made by open_database() (same schema, same pragmas: WAL,
synchronous=FULL, foreign keys on), in one transaction. The project's time includes generating
the rows (what a clerk waits for); the note gives how much of it that is.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from db import open_database
from desktop.demo import DemoOptions, generate, resolve_indicators, write_demo
from tests.benchmarks.harness import Context, Job, Measured


def _fresh(ctx: Context, name: str) -> Path:
    path = ctx.folder / f"{name}-{time.monotonic_ns()}.db"
    open_database(path).close()
    return path


def _options(ctx: Context) -> DemoOptions:
    return DemoOptions(scale="city", city_size=ctx.counties)


def project(ctx: Context):
    options = _options(ctx)
    started = time.perf_counter()
    rows, _ = generate(options)
    ctx.notes.update(rows=rows.total, generate_s=round(time.perf_counter() - started, 3))
    del rows

    def run() -> Measured:
        db = open_database(_fresh(ctx, "project"))
        started = time.perf_counter()
        write_demo(db, options)
        elapsed = time.perf_counter() - started
        db.close()
        return Measured(elapsed)

    return run


def baseline(ctx: Context):
    rows, _ = generate(_options(ctx))
    shipped = open_database(_fresh(ctx, "ids"))  # every new database holds the same plan: its indicators' ids
    with shipped.engine.connect() as conn:
        resolve_indicators(conn, rows)
    shipped.close()
    tables = []
    for name, table in rows:
        columns = list(table[0])
        sql = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        tables.append((sql, [tuple(r[c] for c in columns) for r in table]))

    def run() -> Measured:
        conn = sqlite3.connect(_fresh(ctx, "baseline"), isolation_level=None)
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=FULL")
        started = time.perf_counter()
        conn.execute("BEGIN")
        for sql, values in tables:
            conn.executemany(sql, values)
        conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        conn.close()
        return Measured(elapsed)

    return run


JOBS = [
    Job(
        "demo_write",
        "write the demo city",
        "write_demo: generate + SQLAlchemy insert",
        "sqlite3 executemany of the same rows",
        project,
        baseline,
        runs=5,
    )
]
