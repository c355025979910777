"""Never two writers: a second process cannot open (or restore over) a database another one has open."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from db import DatabaseInUseError, open_database
from db.backups import BackupError, make_backup, restore
from db.writer_lock import lock_path
from desktop.cli import main

pytestmark = pytest.mark.sqlite_only  # the one-writer lock guards a SQLite file

HOLDER = textwrap.dedent(
    """
    import sys
    from db import open_database
    db = open_database(sys.argv[1])
    with db.session() as session:  # the file in use, as the window has it
        session.connection().exec_driver_sql("SELECT count(*) FROM facilities").scalar()
    for name in sys.argv[2:]:  # what a file dialog does to the files it lists: open, read a little, close
        with open(name, "rb") as fh:
            fh.read(64)
    print("open", flush=True)
    sys.stdin.readline()  # hold the file until the test says so
    db.close()
    """
)


def _hold(path, *also_opened):
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), *map(str, also_opened)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "open"
    return proc


def _let_go(proc):
    proc.stdin.write("\n")
    proc.stdin.close()
    proc.wait(timeout=30)


@pytest.fixture
def held(tmp_path):
    path = tmp_path / "县 台账.db"
    open_database(path).close()
    proc = _hold(path)
    yield path
    _let_go(proc)


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


def test_the_holder_closing_other_descriptors_of_the_file_keeps_the_lock(tmp_path):
    """A POSIX record lock was dropped as soon as the holder closed any descriptor of the file (a file dialog
    sniffing the folder did): the second process then got in."""
    path = tmp_path / "county.db"
    open_database(path).close()
    proc = _hold(path, path, lock_path(path), path.with_name(path.name + "-wal"))
    try:
        with pytest.raises(DatabaseInUseError):
            open_database(path)
        assert main(["info", "--db", str(path)]) == 2
    finally:
        _let_go(proc)
    open_database(path).close()  # and it is free once the holder closes it


def test_a_second_name_for_the_same_file_is_refused_too(tmp_path, capsys):
    """A hard link admitted a second writer: the lock was keyed to the file's name, not the file."""
    path = tmp_path / "county.db"
    open_database(path).close()
    other = tmp_path / "elsewhere" / "copy-by-link.db"
    other.parent.mkdir()
    os.link(path, other)
    proc = _hold(path, path, lock_path(path))
    try:
        with pytest.raises(DatabaseInUseError) as caught:
            open_database(other)
        assert "copy-by-link.db" in str(caught.value)
        assert main(["info", "--db", str(other)]) == 2
        assert "不能打开" in capsys.readouterr().err
    finally:
        _let_go(proc)
    db = open_database(other)  # free again under either name
    db.close()


def test_one_process_may_reopen_its_own_file_without_dropping_its_lock(tmp_path, capsys):
    path = tmp_path / "county.db"
    first = open_database(path)
    again = open_database(path)  # the window reopening its file after a restore
    again.close()
    proc = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "info", "--db", str(path)], capture_output=True, text=True, timeout=60
    )
    first.close()
    assert proc.returncode == 2 and "已在另一个窗口或另一台电脑上打开" in proc.stderr  # still held by `first`


def test_a_failed_open_leaves_no_lock_behind(tmp_path, monkeypatch):
    """The lock's descriptors are not closed by the garbage collector: a failure after taking it must give it
    back, or the file stays locked (and counted as this process's) for as long as the process runs."""
    from db import engine

    path = tmp_path / "county.db"
    open_database(path).close()

    def broken(_db):
        raise RuntimeError("读取账号表时出错")

    monkeypatch.setattr(engine, "_start_signed_out_where_accounts_exist", broken)
    with pytest.raises(RuntimeError):
        open_database(path)
    monkeypatch.undo()
    proc = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "info", "--db", str(path)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr


def test_a_restore_is_refused_while_this_process_still_has_the_file_open(tmp_path):
    path = tmp_path / "county.db"
    db = open_database(path)
    copy = make_backup(path, to=tmp_path / "copy.db")
    try:
        with pytest.raises(BackupError, match="仍在使用中"):
            restore(copy.path, path)
    finally:
        db.close()
    restore(copy.path, path)  # and once it is closed, it goes
