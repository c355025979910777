"""Shared fixtures: every database test starts from a fresh file made by the real open_database()."""

from __future__ import annotations

import atexit
import faulthandler
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The app's settings (recent files, window layout), default database and log go to a throwaway home.
# Once per process (each xdist worker its own): imported again under another name (``from tests.conftest import
# …``), this module would otherwise move the home while the log handler stays in the first one.
_HOME = os.environ.get(f"COUNTYHEALTH_TEST_HOME_{os.getpid()}")
if _HOME is None:
    _HOME = tempfile.mkdtemp(prefix="countyhealth-test-home-")
    atexit.register(shutil.rmtree, _HOME, ignore_errors=True)  # made here, removed here: not one left per run
os.environ[f"COUNTYHEALTH_TEST_HOME_{os.getpid()}"] = _HOME
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")
os.environ["XDG_STATE_HOME"] = os.path.join(_HOME, "state")  # the log folder (platformdirs.user_log_dir)
faulthandler.enable()

from sqlalchemy.engine import make_url  # noqa: E402

from db import open_database  # noqa: E402
from desktop.demo import DemoOptions, write_demo  # noqa: E402
from tests import postgres  # noqa: E402


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    """A new database, migrated once per run (0.35 s each); every test's ``db`` is a copy of it (4 ms)."""
    server = postgres.server_url()
    target = postgres.create_database(server) if server else tmp_path_factory.mktemp("empty") / "empty.db"
    open_database(target).close()
    return target


@pytest.fixture
def db(tmp_path: Path, empty_template: Path | str):
    """A fresh database: a file, or with ``make test-postgres`` a new database on the throwaway server."""
    target = _copy_of(empty_template, tmp_path / "county.db")
    database = open_database(target)
    yield database
    database.close()
    if postgres.server_url():
        postgres.drop_database(postgres.server_url(), target)


def _copy_of(template: Path | str, path: Path) -> Path | str:
    """The template copied: a file beside the test's, or a database the server makes from the template."""
    server = postgres.server_url()
    if server:
        return postgres.create_database(server, template=make_url(template).database)
    shutil.copyfile(template, path)
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    """A county demo written once per run; tests get their own copy."""
    server = postgres.server_url()
    target = postgres.create_database(server) if server else tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_database(target)
    write_demo(database, DemoOptions())
    database.close()
    return target


@pytest.fixture
def demo_db(tmp_path: Path, demo_template: Path | str):
    target = _copy_of(demo_template, tmp_path / "demo.db")
    database = open_database(target)
    yield database
    database.close()
    if postgres.server_url():
        postgres.drop_database(postgres.server_url(), target)


def pytest_collection_modifyitems(config, items):
    """Tests of what only a SQLite file has are skipped on PostgreSQL, and tests of a server on SQLite."""
    on_server = bool(postgres.server_url())
    reason = "只适用于 SQLite 数据库文件" if on_server else "只适用于服务器数据库（make test-postgres）"
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if item.get_closest_marker("sqlite_only" if on_server else "postgres_only"):
            item.add_marker(skip)
