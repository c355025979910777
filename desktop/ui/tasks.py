"""Running long core jobs off the main thread, with progress and cancel.

A job is ``fn(progress, cancelled)`` from the core: it reports through
``progress(done, total)`` and polls ``cancelled()``; it never touches a widget.
Results and errors come back to the main thread as signals.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.ui.errors import show_error

Job = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]

# Tests set this to run jobs on the calling thread, so no thread outlives a test.
RUN_SYNCHRONOUSLY = False
# Tasks under way; holding them keeps each runnable and its signals alive until it ends.
_RUNNING: set[Task] = set()


class TaskSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)  # the exception


class Task(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.signals = TaskSignals()
        self._cancel = threading.Event()
        self.abandoned = False  # stopped with the window: its result and its dialog are no one's any more

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            result = self.job(self.signals.progress.emit, self._cancel.is_set)
        except BaseException as exc:  # reported to the user, never lost in a worker thread
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


def run_task(
    parent: QWidget,
    title: str,
    job: Job,
    on_done: Callable[[Any], None],
    *,
    failure: str | None,
    on_error: Callable[[BaseException], None] | None = None,
    after: str = "",
) -> Task:
    """Run ``job`` with a modal progress dialog that has a Cancel button. A failure is shown the one way
    (``errors.show_error``, titled ``failure``, with ``after`` added to the clerk's sentence), after
    ``on_error`` (clean-up) has run; a cancel is a note in the status bar. With ``failure`` None, ``on_error``
    shows it itself, through ``errors.message_for``."""
    dialog = QProgressDialog(title, "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    task = Task(job)
    task.setAutoDelete(False)

    def progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    def finish(result: Any) -> None:
        _RUNNING.discard(task)
        if task.abandoned:
            return
        dialog.close()
        on_done(result)

    def fail(exc: BaseException) -> None:
        _RUNNING.discard(task)
        if task.abandoned:
            return
        dialog.close()
        if on_error is not None:
            on_error(exc)
        if failure is not None:
            show_error(parent, failure, exc, after=after)

    task.signals.progress.connect(progress)
    dialog.canceled.connect(task.cancel)
    return _start(task, finish, fail)


def run_quietly(parent: QWidget, job: Job, on_done: Callable[[Any], None], *, failure: str, on_error=None) -> Task:
    """Run ``job`` off the main thread with no dialog: for what fills a page the clerk is already using (the
    dashboard's details, the check at start). A failure is shown the one way, titled ``failure``."""
    task = Task(job)
    task.setAutoDelete(False)

    def gone() -> bool:  # the page it fills was deleted (its window closed): its result is no one's
        return task.abandoned or not shiboken6.isValid(parent)

    def finish(result: Any) -> None:
        _RUNNING.discard(task)
        if not gone():
            on_done(result)

    def fail(exc: BaseException) -> None:
        _RUNNING.discard(task)
        if gone():
            return
        if on_error is not None:
            on_error(exc)
        show_error(parent, failure, exc)

    return _start(task, finish, fail)


def _start(task: Task, finish: Callable[[Any], None], fail: Callable[[BaseException], None]) -> Task:
    task.signals.finished.connect(finish)
    task.signals.failed.connect(fail)
    _RUNNING.add(task)
    if RUN_SYNCHRONOUSLY:
        task.run()
    else:
        QThreadPool.globalInstance().start(task)
    return task


def stop_all() -> None:
    """Cancel every task under way and wait for the workers to end: before the database closes or the
    application exits, so no worker is left using a closed session or emitting to deleted signals."""
    for task in list(_RUNNING):
        task.abandoned = True
        task.cancel()
    QThreadPool.globalInstance().waitForDone()
