"""Writing the city-scale demo, against a plain sqlite3 ``executemany`` of the same rows.

Both write into a fresh file made by open_database() (same schema, same pragmas:
WAL, synchronous=FULL, foreign keys on), in one transaction.
"""

from __future__ import annotations

import resource
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from db import open_database
from desktop.demo import DemoOptions, generate, write_demo

RUNS = 3


def _fresh(folder: Path, name: str) -> Path:
    path = folder / name
    open_database(path).close()
    return path


def project_write(folder: Path, options: DemoOptions) -> float:
    db = open_database(_fresh(folder, f"project-{time.monotonic_ns()}.db"))
    started = time.perf_counter()
    write_demo(db, options)
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def baseline_write(folder: Path, rows) -> float:
    path = _fresh(folder, f"baseline-{time.monotonic_ns()}.db")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=FULL")
    started = time.perf_counter()
    conn.execute("BEGIN")
    for name, table in rows:
        columns = list(table[0])
        sql = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        conn.executemany(sql, [tuple(r[c] for c in columns) for r in table])
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main() -> None:
    options = DemoOptions(scale="city")
    started = time.perf_counter()
    rows, _ = generate(options)
    generate_time = time.perf_counter() - started
    project, baseline = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for _ in range(RUNS):
            project.append(project_write(folder, options))
            baseline.append(baseline_write(folder, rows))
    p, b = statistics.median(project), statistics.median(baseline)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"write the demo city ({rows.total:,} rows, {len(rows.tables['staff']):,} staff), median of {RUNS}:")
    print(f"  project  write_demo (generate + SQLAlchemy insert)  {p:7.2f} s")
    print(f"           of which generating the rows               {generate_time:7.2f} s")
    print(f"  baseline sqlite3 executemany of the same rows       {b:7.2f} s")
    print(f"  ratio    {p / b:.2f}x    peak memory of this process {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
