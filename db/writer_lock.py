"""One writer per database file, held while the database is open.

Two locks, both dropped by the operating system when the process ends, however it ends, so a crash never
leaves a stale lock behind:

- one on ``<file>.lock`` beside the database, whose text (who, where, since when) is only there for the
  message to the second user; it also reaches another PC through a share, where the file has the same name;
- one on the database file itself, on a byte SQLite never reads or locks, so that a second name for the
  same file (a hard link, a bind mount, another path to a share) finds it held as well: the lock belongs to
  the file's identity, not to its name.

Both are locks that belong to the open file, not to the process: on Linux open-file-description locks, on
Windows ``LockFileEx`` ranges (per handle). A POSIX record lock (``lockf``) would do neither: the kernel
drops it when the process closes *any* descriptor of the file, and a file dialog listing the folder is
enough to do that. Within one process the lock is counted per file identity (device and inode, on Windows
the volume serial and file index), so the app may reopen its own file (after a restore) while any other
process is kept out; and a file this process already holds is never opened again here, since a close of a
second descriptor would drop SQLite's own POSIX locks on it.
"""

from __future__ import annotations

import datetime as dt
import errno
import getpass
import os
import socket
import struct
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from db.errors import DatabaseInUseError, DatabaseOpenError
from db.files import open_refusal

# SQLite locks bytes 0x40000000 .. 0x40000000+511 and never stores data in that page (the "lock-byte page",
# 4096 bytes at the app's page size). A byte inside that page, past SQLite's own, is free for our lock; on
# Windows, where byte-range locks are mandatory, it must also be a byte SQLite never reads: this one is.
DB_LOCK_OFFSET = 0x40000000 + 2048
# In the lock file, a byte past the holder's text, so that the text stays readable on Windows too.
NAME_LOCK_OFFSET = 1 << 20

if sys.platform == "win32":  # as os.name == "nt", in the form type checkers follow
    import msvcrt

    def _try_lock(fd: int, offset: int, *, exclusive: bool) -> None:
        os.lseek(fd, offset, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int, offset: int) -> None:
        os.lseek(fd, offset, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    _OFD_SETLK = getattr(fcntl, "F_OFD_SETLK", None)

    def _flock_struct(kind: int, offset: int) -> bytes:
        # struct flock on Linux (x86_64, arm64): short l_type, short l_whence, off_t l_start, off_t l_len,
        # pid_t l_pid (0 for an open-file-description lock), padded to 32 bytes.
        return struct.pack("hhqqi4x", kind, os.SEEK_SET, offset, 1, 0)

    def _try_lock(fd: int, offset: int, *, exclusive: bool) -> None:
        if _OFD_SETLK is not None:
            fcntl.fcntl(fd, _OFD_SETLK, _flock_struct(fcntl.F_WRLCK if exclusive else fcntl.F_RDLCK, offset))
        else:  # BSD flock is per open file description as well (macOS has no OFD locks)
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)

    def _unlock(fd: int, offset: int) -> None:
        if _OFD_SETLK is not None:
            fcntl.fcntl(fd, _OFD_SETLK, _flock_struct(fcntl.F_UNLCK, offset))
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def file_identity(path: Path) -> tuple[int, int]:
    """The file itself, whatever its name: (device, inode); on Windows (volume serial, file index)."""
    st = os.stat(path)
    return st.st_dev, st.st_ino


@dataclass
class _Held:
    name_fd: int
    db_fd: int
    count: int = 1


_held: dict[tuple[int, int], _Held] = {}
_guard = threading.Lock()

_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


class WriterLock:
    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(self.db_path)
        self._key: tuple[int, int] | None = None
        self.reopened = False  # True when this process already held the file

    def acquire(self) -> WriterLock:
        with _guard:
            try:
                key = file_identity(self.db_path)
            except FileNotFoundError:
                key = None
            if key is not None and key in _held:  # this process has it open already: share, open nothing
                _held[key].count += 1
                self._key, self.reopened = key, True
                return self
            name_fd = self._lock_name()
            try:
                db_fd, key = self._lock_file()
            except BaseException:
                _close_lock(name_fd, NAME_LOCK_OFFSET)
                raise
            _write_holder(name_fd)
            _held[key] = _Held(name_fd, db_fd)
            self._key = key
            return self

    def release(self) -> None:
        with _guard:
            key, self._key = self._key, None
            held = _held.get(key) if key is not None else None
            if key is None or held is None:
                return
            held.count -= 1
            if held.count:
                return
            del _held[key]
            _close_lock(held.db_fd, DB_LOCK_OFFSET)
            _close_lock(held.name_fd, NAME_LOCK_OFFSET)

    def _lock_name(self) -> int:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        except OSError as exc:  # the lock file beside it cannot be made: a read-only place, a full disk ...
            reason = open_refusal(exc, self.db_path)
            if reason:
                raise DatabaseOpenError(reason) from None
            raise
        try:
            _try_lock(fd, NAME_LOCK_OFFSET, exclusive=True)
        except OSError:
            holder = _read_holder(fd)
            os.close(fd)
            raise self._in_use(holder) from None
        return fd

    def _lock_file(self) -> tuple[int, tuple[int, int]]:
        """Lock the database file itself (created empty if new: SQLite takes an empty file as a new database)."""
        flags = getattr(os, "O_BINARY", 0)
        exclusive = True
        try:
            fd = os.open(self.db_path, os.O_RDWR | os.O_CREAT | flags, 0o600)  # people's records: its owner's
        except OSError as exc:
            if exc.errno not in _READ_ONLY or not self.db_path.exists():
                raise
            # A file this user may only read: a shared lock still keeps a writer elsewhere out.
            fd, exclusive = os.open(self.db_path, os.O_RDONLY | flags), False
        try:
            _try_lock(fd, DB_LOCK_OFFSET, exclusive=exclusive)
        except OSError:
            os.close(fd)
            raise self._in_use("") from None
        st = os.fstat(fd)
        return fd, (st.st_dev, st.st_ino)

    def _in_use(self, holder: str) -> DatabaseInUseError:
        who = f"（{holder}）" if holder else ""
        return DatabaseInUseError(
            f"数据库“{self.db_path.name}”已在另一个窗口或另一台电脑上打开{who}。"
            "为免两处同时修改造成数据混乱，本次不能打开；请先关闭那边的程序，再重试。"
        )


def _read_holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 1024).decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _write_holder(fd: int) -> None:
    text = f"{getpass.getuser()}@{socket.gethostname()}，进程 {os.getpid()}，{dt.datetime.now():%Y-%m-%d %H:%M} 起"
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, text.encode("utf-8"))
    except OSError:
        pass  # the text only improves the second user's message; a full disk must not stop the open


def _close_lock(fd: int, offset: int) -> None:
    try:
        _unlock(fd, offset)
    except OSError:
        pass
    finally:
        os.close(fd)
