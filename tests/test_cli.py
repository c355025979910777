"""The countyhealth command as a user runs it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from desktop.cli import main

BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "countyhealth"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_help_lists_the_subcommands():
    result = run("--help")
    assert result.returncode == 0
    assert "demo" in result.stdout and "info" in result.stdout
    assert "县域卫生健康台账" in result.stdout


def test_demo_then_info(tmp_path):
    path = tmp_path / "demo.db"
    result = run("demo", "--db", str(path), "--seed", "5")
    assert result.returncode == 0, result.stderr
    assert "已写入示范数据" in result.stdout
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        staff = conn.execute("SELECT count(*) FROM staff").fetchone()[0]
    assert 2300 <= staff <= 2800
    info = run("info", "--db", str(path))
    assert info.returncode == 0
    assert "清溪县" in info.stdout


def test_demo_into_a_database_with_data_fails_with_a_reason(tmp_path, capsys):
    path = str(tmp_path / "d.db")
    assert main(["demo", "--db", path]) == 0
    capsys.readouterr()
    assert main(["demo", "--db", path]) == 2
    assert "只能写入空数据库" in capsys.readouterr().err


def test_a_bad_file_gets_a_message_not_a_traceback(tmp_path, capsys):
    path = tmp_path / "x.db"
    path.write_text("not sqlite")
    assert main(["info", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "不是 SQLite 数据库" in err and "Traceback" not in err


def test_a_bug_is_logged_and_the_clerk_reads_one_chinese_line(db, monkeypatch, capsys):
    from desktop.checks import runner
    from desktop.logs import log_file

    def broken(*_a, **_k):
        raise AttributeError("'NoneType' object has no attribute 'beds'")

    monkeypatch.setattr(runner, "run_checks", broken)
    assert main(["check", "--db", db.target, "--period", "2026Q3"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("错误：程序出现意外错误") and str(log_file()) in err
    assert "Traceback" not in err and "NoneType" not in err
    logged = log_file().read_text(encoding="utf-8")
    assert "Traceback" in logged and "'NoneType' object has no attribute 'beds'" in logged
