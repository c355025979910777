"""The one place the window tells the clerk that something went wrong.

An error she can act on (``explain`` has its Chinese sentence) is shown as it is; a cancel is a note in the
status bar; anything else is a bug: its traceback goes to the log file and she reads a short message naming
that file. English library text never reaches her.
"""

from __future__ import annotations

import sys
import threading

from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from db.errors import Cancelled
from desktop.logs import bug_message, explain, record_bug


def message_for(exc: BaseException) -> str:
    """The text to show for ``exc`` (a bug is logged first, and the text names the log file)."""
    text = explain(exc)
    return text if text is not None else bug_message(record_bug(exc))


def show_error(parent: QWidget | None, title: str, exc: BaseException, *, after: str = "") -> None:
    """Tell the clerk about ``exc``: a cancel in the status bar, her error as a warning, a bug as a critical box
    naming the log. ``after`` is added to her error's sentence (what was or was not written)."""
    if isinstance(exc, Cancelled):
        show_status(parent, str(exc))
        return
    text = explain(exc)
    if text is None:
        QMessageBox.critical(parent, title, message_for(exc))
    else:
        QMessageBox.warning(parent, title, text + (f"\n\n{after}" if after else ""))


def show_status(parent: QWidget | None, text: str, msecs: int = 10_000) -> None:
    window = parent.window() if parent is not None else QApplication.activeWindow()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, msecs)


def install_error_hooks():
    """An exception that escapes a slot, or a thread, is shown through ``show_error`` instead of ending the
    app or vanishing; the previous hook is returned, to put back when the window closes."""
    previous = sys.excepthook

    def hook(kind, value, tb):
        if value is not None and value.__traceback__ is None:
            value = value.with_traceback(tb)
        try:
            show_error(QApplication.activeWindow(), "操作未完成", value)
        except Exception:  # the message itself failed: keep the original in the log at least
            previous(kind, value, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            record_bug(args.exc_value, f"线程 {args.thread.name if args.thread else ''}")

    sys.excepthook = hook
    threading.excepthook = thread_hook
    return previous
