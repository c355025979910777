"""Running the core's actions (``desktop.operations``) from the window: the one way the window writes.

Each helper runs the action in its own transaction, shows a failure the one way (``errors.show_error``) and then
tells the window what the action changed, so it re-reads only the pages that show those tables
(``MainWindow.records_changed``). A form that shows the core's refusal itself calls ``desktop.operations`` and
hands the result to ``changed``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from desktop import operations
from desktop.ui.errors import show_error
from desktop.ui.tasks import Task, run_task

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget
    from sqlalchemy.orm import Session

    from db.engine import Database
    from desktop.operations import Done
    from desktop.ui.main_window import MainWindow

T = TypeVar("T")
Progress = Callable[[int, int], None]


def changed(win: MainWindow, done: Done[T]) -> Done[T]:
    """Tell the window what ``done`` wrote; returns it."""
    win.records_changed(done.changed)
    return done


def run_action(
    win: MainWindow, action: Callable[[Session], T], *, failure: str, parent: QWidget | None = None, after: str = ""
) -> Done[T] | None:
    """Run a quick action now; None when it failed (shown, titled ``failure``; nothing written)."""
    try:
        done = operations.perform(_database(win), action)
    except Exception as exc:  # noqa: BLE001 (shown the one way: her sentence, or a bug named in the log)
        show_error(parent or win, failure, exc, after=after)
        return None
    return changed(win, done)


def run_action_in_background(
    win: MainWindow,
    title: str,
    action: Callable[[Session, Progress, Callable[[], bool]], T],
    on_done: Callable[[T], None],
    *,
    failure: str,
    after: str = "",
    parent: QWidget | None = None,
) -> Task:
    """Run a long action off the main thread behind a progress dialog with 取消 (``action(session, progress,
    cancelled)`` reports and polls; raising ``Cancelled`` rolls it back); ``on_done`` gets its result after the
    window has re-read what it changed."""
    db = _database(win)

    def job(progress: Progress, cancelled: Callable[[], bool]) -> Done[T]:
        return operations.perform(db, lambda session: action(session, progress, cancelled))

    def done(result: Any) -> None:
        on_done(changed(win, result).value)

    return run_task(parent or win, title, job, done, failure=failure, after=after)


def _database(win: MainWindow) -> Database:
    if win.db is None:  # no action is offered before a database is open
        raise RuntimeError("an action with no database open")
    return win.db
