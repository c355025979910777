"""Never two writers: a second process cannot open (or restore over) a database another one has open."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from db import DatabaseInUseError, open_database
from db.backups import make_backup, restore
from desktop.cli import main

pytestmark = pytest.mark.sqlite_only  # the one-writer lock guards a SQLite file

HOLDER = textwrap.dedent(
    """
    import sys
    from db import open_database
    db = open_database(sys.argv[1])
    print("open", flush=True)
    sys.stdin.readline()  # hold the file until the test says so
    db.close()
    """
)


@pytest.fixture
def held(tmp_path):
    path = tmp_path / "县 台账.db"
    open_database(path).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "open"
    yield path
    proc.stdin.write("\n")
    proc.stdin.close()
    proc.wait(timeout=30)


def test_a_second_process_is_refused_with_who_holds_the_file(held, capsys):
    with pytest.raises(DatabaseInUseError) as caught:
        open_database(held)
    message = str(caught.value)
    assert "已在另一个窗口或另一台电脑上打开" in message and "进程" in message
    assert main(["info", "--db", str(held)]) == 2
    assert "不能打开" in capsys.readouterr().err


def test_a_restore_is_refused_while_another_process_has_the_file(held, tmp_path):
    copy = make_backup(held, to=tmp_path / "copy.db")
    with pytest.raises(DatabaseInUseError):
        restore(copy.path, held)


def test_the_lock_goes_with_the_process_however_it_ends(tmp_path):
    path = tmp_path / "county.db"
    open_database(path).close()
    killed = subprocess.run([sys.executable, "-c", HOLDER.replace("sys.stdin.readline()", "import os; os._exit(9)"),
                             str(path)], capture_output=True, text=True, timeout=60)  # fmt: skip
    assert killed.returncode == 9
    open_database(path).close()  # no stale lock after a crash
