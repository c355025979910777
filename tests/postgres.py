"""A throwaway PostgreSQL for the tests, and fresh databases in it.

``python -m tests.postgres [pytest arguments]`` (``make test-postgres``): initdb into a temporary folder, a server on
a free loopback port (trust authentication, no fsync: it is thrown away), the whole suite run against it with
``COUNTYHEALTH_TEST_POSTGRES`` set to its URL, then the server stopped and the folder removed. PostgreSQL refuses to
run as root, so as root the server runs as the ``postgres`` user that Debian's package creates.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

ENV = "COUNTYHEALTH_TEST_POSTGRES"
USER = "countyhealth"
# A second role that must give its password (SCRAM), as a clerk's account on a bureau's server does.
CLERK, CLERK_PASSWORD = "clerk", "科室-2026-pw"


def server_url() -> str | None:
    """The admin URL of the test server when the suite runs on PostgreSQL, else None."""
    return os.environ.get(ENV) or None


def _bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise SystemExit("找不到 PostgreSQL 的 initdb：请先安装 Debian 的 postgresql 软件包。")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def throwaway_server():
    """Start a server; yield its admin URL (database ``postgres``); stop it and remove everything after."""
    bindir = _bindir()
    folder = Path(tempfile.mkdtemp(prefix="countyhealth-pg-"))
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_postgres, *args], check=True, stdout=subprocess.DEVNULL, cwd=folder)

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", USER, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
        hba = data / "pg_hba.conf"
        rules = f"host all {CLERK} 127.0.0.1/32 scram-sha-256\n"  # first match wins: before initdb's trust lines
        hba.write_text(rules + hba.read_text())  # rewritten in place: it stays the server user's file
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "start")
        admin = f"postgresql+psycopg://{USER}@127.0.0.1:{port}/postgres"
        _add_clerk(admin)
        try:
            yield admin
        finally:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _add_clerk(url: str) -> None:
    from sqlalchemy import text

    engine = _admin(url)
    with engine.connect() as conn:
        conn.execute(text(f"CREATE ROLE {CLERK} LOGIN SUPERUSER PASSWORD '{CLERK_PASSWORD}'"))
    engine.dispose()


def clerk_url(database_url: str, *, password: str | None = None) -> str:
    """The same database, as the clerk (with a password, or without one to be asked for)."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url).set(username=CLERK, password=password)
    return url.render_as_string(hide_password=False)


def _admin(url: str):
    from sqlalchemy import create_engine

    return create_engine(url, isolation_level="AUTOCOMMIT")


def create_database(url: str, template: str | None = None) -> str:
    """A new, empty (or copied from ``template``) database on the server; returns its URL."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    name = f"t_{uuid.uuid4().hex[:16]}"
    engine = _admin(url)
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    engine.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str, database_url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    name = make_url(database_url).database
    engine = _admin(url)
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def main(argv: list[str]) -> int:
    # A run stopped with SIGTERM (CI's timeout, kill) still stops its server and removes its folder.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with throwaway_server() as url:
        print(f"PostgreSQL for the tests: {url}", flush=True)
        env = {**os.environ, ENV: url, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        return subprocess.run([sys.executable, "-m", "pytest", *argv], env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
