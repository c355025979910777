"""A database on a network share runs with a rollback journal, and the window says why."""

from __future__ import annotations

import sqlite3

import pytest

from db import engine, open_database
from desktop.ui.main_window import MainWindow
from tests.ui.conftest import TODAY

pytestmark = pytest.mark.sqlite_only  # WAL on a network share is a SQLite file's problem


def test_a_database_on_a_share_gets_a_rollback_journal_and_a_warning(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "共享 台账.db"
    monkeypatch.setattr(engine, "is_network_path", lambda p: p == path)  # as an SMB mount would answer
    db = open_database(path)
    try:
        assert db.on_network_share and db.journal_mode == "DELETE"
        win = MainWindow(db, today=TODAY)
        qtbot.addWidget(win)
        win.show()
        assert win.network_banner.isVisible() and "网络共享" in win.network_banner.text()
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        conn.close()
    finally:
        db.close()

    local = open_database(tmp_path / "本机.db")
    try:
        win = MainWindow(local, today=TODAY)
        qtbot.addWidget(win)
        win.show()
        assert not local.on_network_share and not win.network_banner.isVisible()
    finally:
        local.close()
