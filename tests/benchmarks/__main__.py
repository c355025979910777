"""``make bench``: every job of every benchmark in this folder, on demo cities of 1, 3 and 10 counties.

For each job and size, the project and its baseline each run in a fresh process (tests/benchmarks/side.py)
one after the other; the table gives their median times, the ratio, each one's peak memory, and how
the time grows with the number of counties. A whole run also writes tests/benchmarks/RESULTS.md.

The server jobs (bench_server) run their project side on a copy of the same demo city on a throwaway PostgreSQL
(tests/postgres.py), reached through a latency proxy (tests/latency_proxy.py) of about 1 ms each way, beside the
same action on the local file: ServerCopies below starts both once per run, for the first server job.

``python -m tests.benchmarks --only checks export --sizes 10`` runs a part (and writes no RESULTS.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from pathlib import Path

from tests.benchmarks.goals import evaluate
from tests.benchmarks.harness import Job, counties, growth_exponent, growth_interval, runs_at
from tests.benchmarks.jobs import all_jobs
from tests.benchmarks.machine import describe_machine
from tests.benchmarks.results import render_markdown, render_text
from tests.benchmarks.side import MARK

SIZES = (1, 3, 10)
RESULTS = Path(__file__).with_name("RESULTS.md")


def build_databases(sizes: list[int], folder: Path) -> dict[int, dict]:
    from db import open_database
    from desktop.demo import DemoOptions, write_demo

    out = {}
    for n in sizes:
        path = folder / f"city-{n}.db"
        db = open_database(path)
        started = time.perf_counter()
        write_demo(db, DemoOptions(scale="city", city_size=n))
        db.close()
        conn = sqlite3.connect(path)
        (facilities, beds), (staff,) = (
            conn.execute("SELECT count(*), coalesce(sum(open_beds), 0) FROM facilities").fetchone(),
            conn.execute("SELECT count(*) FROM staff").fetchone(),
        )
        out[n] = {
            "path": path,
            "facilities": facilities,
            "staff": staff,
            "beds": beds,
            "megabytes": path.stat().st_size / 2**20,
        }
        conn.close()
        print(
            f"demo city of {counties(n)} written in {time.perf_counter() - started:.1f} s: "
            f"{out[n]['facilities']:,} facilities, {out[n]['staff']:,} staff",
            flush=True,
        )
    return out


class ServerCopies:
    """The demo cities on a throwaway PostgreSQL behind the latency proxy: each size copied once (copy_database, into
    a database migrated first, as it asks), and each server job given a clone of its size's copy (CREATE DATABASE
    ... TEMPLATE, a file copy on the server), dropped after, so that one job's saves never reach another's."""

    def __init__(self, stack: ExitStack, databases: dict[int, dict], delay: float) -> None:
        from sqlalchemy.engine import make_url

        from tests.latency_proxy import latency_proxy
        from tests.postgres import throwaway_server

        started = time.perf_counter()
        self.admin = stack.enter_context(throwaway_server())
        server = make_url(self.admin)
        self.port = stack.enter_context(latency_proxy(server.host, server.port, delay=delay))
        self.copies = {n: self._copy(d["path"]) for n, d in sorted(databases.items())}
        print(
            f"PostgreSQL at {server.host}:{server.port}, through the latency proxy ({delay * 1000:g} ms each way) at "
            f"port {self.port}; the demo cities copied to it in {time.perf_counter() - started:.1f} s",
            flush=True,
        )

    def _copy(self, path: Path) -> str:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        from db import open_database
        from db.copying import copy_database
        from tests.postgres import create_database

        url = create_database(self.admin)
        target = open_database(url)  # migrated to the head: copy_database wants both at the same revision
        source = open_database(path)
        try:
            checks = copy_database(source, target)
        finally:
            source.close()
            target.close()
        differ = [c.table for c in checks if not c.ok]
        if differ:
            raise RuntimeError(f"the copy of {path.name} on the server differs in {', '.join(differ)}")
        # The statistics a server in use has (its autovacuum's), made now rather than by autovacuum during a job.
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
        engine.dispose()
        return make_url(url).database

    @contextmanager
    def clone(self, counties: int) -> Iterator[str]:
        """A fresh database copied from this size's demo; yields its URL through the proxy."""
        from sqlalchemy.engine import make_url

        from tests.postgres import create_database, drop_database

        url = create_database(self.admin, template=self.copies[counties])
        try:
            yield make_url(url).set(port=self.port).render_as_string(hide_password=False)
        finally:
            drop_database(self.admin, url)


def start_server(stack: ExitStack, databases: dict[int, dict]) -> ServerCopies | str:
    """The server and its copies, stopped with ``stack``; or why they could not be made."""
    from tests.benchmarks.bench_server import DELAY

    # A run stopped with SIGTERM still stops its server and removes its folder (the with blocks' exits).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    own = ExitStack()
    try:
        servers = ServerCopies(own, databases, DELAY)
    except (Exception, SystemExit) as exc:  # the rest of the run goes on without the server
        own.close()
        reason = f"the benchmark's PostgreSQL could not be made ready: {exc}"
        print(reason, flush=True)
        return reason
    stack.enter_context(own)  # stopped with the run
    return servers


class SideProcess:
    """A side of a job prepared in its own process (tests/benchmarks/side.py), run when asked."""

    def __init__(self, key: str, side: str, db: Path, counties: int, server: str | None = None) -> None:
        self.what = f"{key} ({side}, {counties} counties)"
        self.errors = tempfile.TemporaryFile("w+")  # a file, not a pipe: Qt's chatter must never block the job
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.benchmarks.side", key, side, str(db), str(counties)]
            + ([server] if server else []),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )

    def ask(self, command: str | None = None):
        if command is not None:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
        for line in self.proc.stdout:
            if line.startswith(MARK):
                return json.loads(line[len(MARK) :])
        self.proc.wait()
        self.errors.seek(0)
        raise SystemExit(f"{self.what} failed:\n{self.errors.read()}")

    def close(self) -> None:
        if self.proc.poll() is None:
            # Its input ended, a side finishes and removes its scratch folder (a copy of the city per run, for some
            # jobs); killed at once, it left them in the temporary folder, 29 MB a job.
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.errors):
            stream.close()


def run_pair(job: Job, db: Path, counties: int, server: str | None = None) -> tuple[dict, dict]:
    """The project and its baseline, prepared side by side, then run alternately so both see the same machine.
    Each has its own copy of the database: the app lets one process at a time open a file. A server job's project
    side also gets ``server``, its own database on the server."""
    names = ("project", "baseline")
    copies = [db.with_name(f"{db.stem}-{job.key}-{side}.db") for side in names]
    for copy in copies:
        shutil.copyfile(db, copy)
    sides = [
        SideProcess(job.key, side, copy, counties, server if side == "project" else None)
        for side, copy in zip(names, copies, strict=True)
    ]
    try:
        for side in sides:
            side.ask()  # ready
        for _ in range(runs_at(job, counties)):
            for side in sides:
                side.ask("run")
        project, baseline = (side.ask("end") for side in sides)
        return project, baseline
    finally:
        for side in sides:
            side.close()
        for copy in copies:
            for path in (copy, copy.with_name(copy.name + "-wal"), copy.with_name(copy.name + "-shm")):
                path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks")
    parser.add_argument("--only", nargs="+", metavar="JOB", help="job keys: " + " ".join(j.key for j in all_jobs()))
    parser.add_argument("--sizes", nargs="+", type=int, default=list(SIZES), metavar="N")
    args = parser.parse_args(argv)
    jobs = [j for j in all_jobs() if not args.only or j.key in args.only]
    jobs.sort(key=lambda j: j.server)  # the server jobs last: the server runs only while they do
    whole = not args.only and tuple(args.sizes) == SIZES
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="countyhealth-bench-"))
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        databases = build_databases(args.sizes, folder)
        servers: ServerCopies | str | None = None  # started for the first server job
        results: dict[str, dict] = {}
        for job in jobs:
            reason = job.skip()
            if job.server and not reason:
                servers = servers or start_server(stack, databases)
                reason = servers if isinstance(servers, str) else None
            if reason:
                results[job.key] = {"skipped": reason}
                print(f"{job.title}: skipped, {reason}", flush=True)
                continue
            per_size = {}
            for n in args.sizes:
                with servers.clone(n) if job.server else nullcontext() as server:
                    project, baseline = run_pair(job, databases[n]["path"], n, server)
                per_size[n] = {"project": project, "baseline": baseline}
                mine, theirs = ("s on the server", "s locally") if job.server else ("s", "s")
                print(
                    f"{job.title}, {counties(n)}: {project['median']:.3f} {mine} ({project['peak_mb']:.0f} MB) "
                    f"against {baseline['median']:.3f} {theirs} ({baseline['peak_mb']:.0f} MB)",
                    flush=True,
                )
            sizes = sorted(per_size)
            results[job.key] = {
                "sizes": per_size,
                "growth": {
                    side: growth_exponent(sizes, [per_size[n][side]["median"] for n in sizes])
                    for side in ("project", "baseline")
                },
                # How sure the run is of the project's k: a job is judged to grow faster than linearly only when
                # the whole interval lies above 1, so that timing noise on a shared machine cannot decide it.
                "growth_interval": growth_interval(sizes, [per_size[n]["project"]["times"] for n in sizes]),
            }
    goals = evaluate(results, max(args.sizes))
    elapsed = time.perf_counter() - started
    run = {
        "jobs": jobs,
        "results": results,
        "databases": databases,
        "goals": goals,
        "elapsed": elapsed,
        "when": dt.datetime.now().astimezone(),
        "machine": describe_machine(),
    }
    print()
    print(render_text(run))
    if whole:
        RESULTS.write_text(render_markdown(run), encoding="utf-8")
        print(f"\nwritten to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
