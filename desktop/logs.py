"""The app's log: where a bug's traceback goes, so the clerk sees one Chinese sentence naming a file instead.

An error a user can act on (``db.errors.UserError``) is shown as its sentence and not logged as a bug. Any
other exception is ours: ``record_bug`` writes it with its traceback to a rotating log file in the user's log
folder and returns that file, for the message. A hard crash (a segmentation fault in Qt or a native library)
leaves its Python stack in ``crash.log`` beside it, through ``faulthandler``.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
from pathlib import Path
from typing import IO

from db.errors import UserError
from db.files import environment_reason
from desktop.paths import log_dir

LOG_NAME = "countyhealth.log"
CRASH_NAME = "crash.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 5

log = logging.getLogger("countyhealth")

_crash_file: list[IO[str]] = []  # kept open for faulthandler, for the life of the process


def log_file() -> Path:
    return log_dir() / LOG_NAME


def setup_logging(level: int = logging.WARNING) -> Path | None:
    """Send the app's log to the rotating file (once per process) and arm faulthandler; the file's path, or
    None when the log folder cannot be written (the app still runs; messages then name no file)."""
    root = logging.getLogger()
    root.setLevel(min(root.level or level, level))
    path = log_file()
    if any(getattr(h, "countyhealth", False) for h in root.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError:
        return None
    handler.countyhealth = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    _arm_faulthandler(path.parent / CRASH_NAME)
    if sys.unraisablehook is sys.__unraisablehook__:
        sys.unraisablehook = _log_unraisable
    return path


def _log_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """An error in a destructor (a workbook's zip closed again after a full disk refused it) goes to the log:
    Python would print its traceback after the clerk's one sentence."""
    exc = unraisable.exc_value
    log.warning(
        "%s：%r", unraisable.err_msg or "析构时出错", unraisable.object, exc_info=(type(exc), exc, exc.__traceback__)
    )


def _arm_faulthandler(path: Path) -> None:
    if _crash_file or faulthandler.is_enabled():  # already armed (python -X faulthandler, or a test runner)
        return
    try:
        fh = open(path, "a", encoding="utf-8")  # noqa: SIM115 (faulthandler writes to it at a crash)
    except OSError:
        return
    _crash_file.append(fh)
    faulthandler.enable(file=fh, all_threads=True)


def record_bug(exc: BaseException, what: str = "") -> Path | None:
    """Log an unexpected exception with its traceback; the log file's path (None if it cannot be written)."""
    path = setup_logging()
    log.error("程序错误%s", f"（{what}）" if what else "", exc_info=(type(exc), exc, exc.__traceback__))
    text = getattr(exc, "__traceback_text__", None)  # a worker thread's traceback, kept as text
    if text:
        log.error("工作线程中的调用栈：\n%s", text)
    return path


def bug_message(path: Path | None) -> str:
    """What the clerk reads after a bug: short, Chinese, naming the file to send to the technician."""
    where = f"详细情况已记入日志文件：\n{path}\n请把该文件发给技术支持人员。" if path else "日志文件未能写入。"
    return f"程序出现意外错误，本次操作未完成。已保存的数据不受影响。{where}"


def explain(exc: BaseException) -> str | None:
    """The Chinese sentence for an error the user can act on (one of ours, or the computer's: a full disk, a
    read-only place, no permission, also as SQLite reports them); None when it is a bug."""
    if isinstance(exc, UserError):
        return str(exc)
    for candidate in (exc, getattr(exc, "orig", None)):  # SQLAlchemy wraps the driver's error in ``orig``
        if candidate is not None:
            reason = environment_reason(candidate, getattr(candidate, "filename", None))
            if reason:
                return reason
    return None
