"""Shared fixtures: every database test starts from a fresh file made by the real open_database()."""

from __future__ import annotations

import faulthandler
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The app's settings (recent files, window layout) and default database go to a throwaway home.
_HOME = tempfile.mkdtemp(prefix="countyhealth-test-home-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")
faulthandler.enable()

from db import open_database  # noqa: E402
from desktop.demo import DemoOptions, write_demo  # noqa: E402


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(tmp_path / "county.db")
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A county demo written once per run; tests get their own copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_database(path)
    write_demo(database, DemoOptions())
    database.close()
    return path


@pytest.fixture
def demo_db(tmp_path: Path, demo_template: Path):
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    database = open_database(path)
    yield database
    database.close()
