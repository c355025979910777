"""Writing a file whole or not at all, and saying plainly why a file could not be written.

Every file the app makes (a workbook, a report, a template, an exchange file, a backup) is written to a
temporary name in its target folder and renamed over the target only once complete, so a full disk, a
cancel or a crash never leaves a half-written or empty file under the name the clerk asked for. The
environment's refusals (no space, a read-only place, no permission) become one Chinese sentence.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from db.errors import UserError

NO_SPACE = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG)
READ_ONLY = (errno.EROFS,)
NO_PERMISSION = (errno.EACCES, errno.EPERM)


class WriteError(UserError):
    """A file that could not be written for a reason of the computer's (disk, place, permission)."""


def _shown(target: str | os.PathLike[str]) -> str:
    text = os.fspath(target)
    return text if len(text) <= 80 else "…" + text[-79:]


def environment_reason(exc: BaseException, target: str | os.PathLike[str] | None) -> str | None:
    """The Chinese sentence for an OSError (or SQLite's error) the clerk can do something about; None for any
    other error. ``target`` is the file being written, or None for the database."""
    code = errno_of(exc, target)
    if code is None:
        return None
    where = f"“{_shown(target)}”" if target is not None else "数据库"
    if code in NO_SPACE:
        return f"磁盘空间不足，无法写入{where}。请清理磁盘或换一个有空间的位置后重试；没有留下写了一半的文件。"
    if code in READ_ONLY:
        return f"位置只读，无法写入{where}。请换一个可以写入的文件夹（如“文档”）后重试。"
    if code in NO_PERMISSION:
        if target is not None and Path(target).exists() and not Path(target).is_dir():
            return (
                f"无法写入{where}：该文件可能正在 Excel、WPS 或其他程序中打开，或没有写入权限。"
                "请关闭后重试，或换一个文件名。"
            )
        return f"没有写入权限，无法写入{where}。请换一个有写入权限的文件夹，或请管理员开放权限后重试。"
    if code == errno.ENOENT:
        missing = getattr(exc, "filename", None)
        if target is not None and missing and Path(missing).parent != Path(target).parent:
            return None  # a file of the program's own (a library's template) is missing: a bug, logged as one
        return f"找不到要写入的文件夹：{where}。"
    return None


# SQLite's primary result codes for the same conditions (a backup or a database written on a full disk).
_SQLITE_CODES = {13: errno.ENOSPC, 8: errno.EROFS, 3: errno.EACCES}  # SQLITE_FULL, SQLITE_READONLY, SQLITE_PERM


def errno_of(exc: BaseException, target: str | os.PathLike[str] | None) -> int | None:
    """The environment's reason for an OSError or a SQLite error, as an errno (SQLite's vague "cannot open" and
    "I/O error" by probing ``target``'s folder); None when it is not one of these."""
    if isinstance(exc, OSError):
        return exc.errno
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        code = code & 0xFF if isinstance(code, int) else None
        if code in (10, 14) and target is not None:  # SQLITE_IOERR, SQLITE_CANTOPEN: SQLite does not say why
            return place_problem(Path(target).parent)
        return _SQLITE_CODES.get(code) if code is not None else None
    return None


def place_problem(folder: Path) -> int | None:
    """Why nothing can be written in ``folder`` (EROFS, EACCES or ENOSPC), or None when it looks writable."""
    try:
        if hasattr(os, "statvfs") and os.statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1):
            return errno.EROFS
        if not os.access(folder, os.W_OK):
            return errno.EACCES
        if shutil.disk_usage(folder).free < 1024 * 1024:
            return errno.ENOSPC
    except OSError:
        return None
    return None


_COPY_ELSEWHERE = "请把数据库文件复制到可以写入的文件夹（如“文档”）后再打开"
_OPEN_REASONS = {  # what stops a healthy database from opening here, and what the clerk can do about it
    errno.ENOSPC: ("磁盘空间不足", "请清理磁盘后重试"),
    errno.EROFS: ("所在位置只读", _COPY_ELSEWHERE),
    errno.EACCES: ("没有在所在位置写入的权限", _COPY_ELSEWHERE),
    errno.EPERM: ("没有在所在位置写入的权限", _COPY_ELSEWHERE),
}


def open_refusal(exc: BaseException, path: str | os.PathLike[str]) -> str | None:
    """Why the database at ``path`` cannot be opened there (a full disk, a read-only place, no permission), as
    the clerk reads it; None when the error is none of these."""
    code = errno_of(exc, path)
    if code not in _OPEN_REASONS:
        return None
    reason, advice = _OPEN_REASONS[code]
    return f"无法打开数据库“{Path(path).name}”：{reason}。文件本身未发现损坏，也未作任何修改；{advice}。"


def as_write_error(exc: BaseException, target: str | os.PathLike[str]) -> BaseException:
    """``exc`` as a WriteError when it is the environment's refusal, else unchanged (a bug to log)."""
    reason = environment_reason(exc, target)
    return WriteError(reason) if reason else exc


def open_read_only(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """A read-only SQLite connection to a file whatever its name: an unquoted "?", "#" or "%" in a URI would
    cut the name short, and a sound backup called "季度#1.db" would be judged unreadable."""
    return sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True)


def temporary_name(target: Path) -> Path:
    """A name beside ``target`` that no other writer uses: hidden, this process's, the same suffix."""
    return target.with_name(f".~{target.stem}.{os.getpid()}.part{target.suffix}")


def private_folder(folder: Path) -> None:
    """Make ``folder`` (and any missing parent) for its owner alone (0700); one that exists is left as it is:
    it is the user's, and may be shared on purpose."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(mode=0o700, exist_ok=True)
        os.chmod(made, 0o700)  # mkdir's mode passes through the umask


def owner_only(path: Path) -> None:
    """A database file of ours readable and writable by its owner alone: it holds people's records. Only a
    local file this account owns is narrowed (a share's modes are the server's)."""
    try:
        info = path.stat()
        if hasattr(os, "getuid") and info.st_uid == os.getuid() and info.st_mode & 0o077:
            os.chmod(path, info.st_mode & 0o700)
    except OSError:  # gone, or not ours to change: left as it is
        pass


@contextmanager
def written_whole(target: str | os.PathLike[str], *, private: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` to write; once the block ends without error it is flushed to
    disk and renamed over ``target``. On any failure the temporary file is removed and ``target`` is left as
    it was; an OSError of the environment's becomes a WriteError with its Chinese sentence. ``private``: the
    file is readable by its owner alone (0600) from its first byte (people's whole numbers)."""
    target = Path(target)
    if target.is_dir() or not target.name:
        raise WriteError(f"“{_shown(target)}”是文件夹：请给出要保存的文件名，如“{_shown(target / '报表.xlsx')}”。")
    partial = temporary_name(target)
    try:
        if private:
            private_folder(target.parent)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
        if private:  # created with its mode, so no other account can open it while it is written
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600))
        yield partial
        _flush_to_disk(partial)
        os.replace(partial, target)
    except BaseException as exc:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
        converted = as_write_error(exc, target)
        if converted is exc:
            raise
        raise converted from exc  # the clerk reads the sentence; the log keeps what the system said


def _flush_to_disk(path: Path) -> None:
    """So a rename never points at data still in the cache (a power cut after the rename would leave it empty)."""
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))  # Windows flushes only a handle that may write
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
