from __future__ import annotations

import datetime as dt

import pytest

from desktop.ui import tasks
from desktop.ui.main_window import MainWindow

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def synchronous_tasks(monkeypatch):
    monkeypatch.setattr(tasks, "RUN_SYNCHRONOUSLY", True)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):
    """A test's unsaved figures are dropped before pytest-qt closes its windows (its own teardown wrapper, inside
    this one): a window asks about them first, and no one is there to answer."""
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            for page in widget.pages.built():
                page.forget_unsaved()
    return (yield)


def _close_windows() -> None:
    """Windows close (their checks stop, their timers die) while their database still exists: a server's is
    dropped when its fixture ends, which comes before qtbot's own clean-up."""
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.close()
            widget.deleteLater()
    QApplication.sendPostedEvents(None, 0)


def run_the_desk(argv: list[str], look) -> int:
    """``countyhealth-desk ARGV`` in this process: ``look()`` is called once its window is up, then the app quits."""
    from PySide6.QtCore import QEvent, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.ui import app

    def look_and_quit():
        look()
        for w in QApplication.topLevelWidgets():
            w.close()
        QApplication.quit()

    QTimer.singleShot(100, look_and_quit)
    code = app.main(argv)
    # Closing the last window posts a second quit: delivered after the loop has ended, it would leave every event
    # loop of the tests after this one ending at once (qtbot.waitUntil would never wait).
    QApplication.removePostedEvents(None, QEvent.Type.Quit)
    QApplication.sendPostedEvents(None, 0)  # let the closed windows be deleted within the test
    return code


@pytest.fixture
def db(qtbot, db):
    yield db
    _close_windows()


@pytest.fixture
def demo_db(qtbot, demo_db):
    yield demo_db
    _close_windows()


@pytest.fixture
def window(qtbot, demo_db):
    win = MainWindow(demo_db, today=TODAY)
    qtbot.addWidget(win)
    win.show()
    return win


def answer(box, label: str) -> None:
    """Click the button with this label, as a user would."""
    (button,) = [b for b in box.buttons() if b.text() == label]
    button.click()
