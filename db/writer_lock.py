"""One writer per database file: an OS lock on ``<file>.lock`` held while the database is open.

The operating system drops the lock when the process ends, however it ends, so a crash never leaves a
stale lock behind; the file's text (who, where, since when) is only there for the message to the second
user. POSIX record locks do not conflict within one process, which is what we want: the app may reopen
its own file (after a restore), while a second copy of the app, a separate process, is kept out.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import socket
from pathlib import Path

from db.errors import DatabaseInUseError

if os.name == "nt":
    import msvcrt

    def _try_lock(fh) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fh) -> None:
        fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh) -> None:
        fcntl.lockf(fh, fcntl.LOCK_UN)


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class WriterLock:
    def __init__(self, db_path: Path) -> None:
        self.path = lock_path(db_path)
        self._fh = None

    def acquire(self) -> WriterLock:
        fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (held open while the database is)
        try:
            _try_lock(fh)
        except OSError:
            try:
                fh.seek(0)
                holder = fh.read().strip()
            except OSError:
                holder = ""
            fh.close()
            who = f"（{holder}）" if holder else ""
            raise DatabaseInUseError(
                f"数据库“{self.path.name.removesuffix('.lock')}”已在另一个窗口或另一台电脑上打开{who}。"
                "为免两处同时修改造成数据混乱，本次不能打开；请先关闭那边的程序，再重试。"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(
            f"{getpass.getuser()}@{socket.gethostname()}，进程 {os.getpid()}，{dt.datetime.now():%Y-%m-%d %H:%M} 起"
        )
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        fh, self._fh = self._fh, None
        if fh is not None:
            try:
                _unlock(fh)
            finally:
                fh.close()
