"""Where the app keeps its files on this computer."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir, user_log_dir

APP_DIR_NAME = "CountyHealthDesk"


def data_dir() -> Path:
    return Path(user_data_dir(APP_DIR_NAME, appauthor=False))


def default_database_path() -> Path:
    """The embedded default database: one SQLite file in the user's data folder."""
    return data_dir() / "countyhealth.db"


def log_dir() -> Path:
    return Path(user_log_dir(APP_DIR_NAME, appauthor=False))
