"""Background jobs end before the database closes: closing the window mid-check leaves no worker behind."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThreadPool

from desktop.ui import tasks


def test_stop_all_cancels_a_running_job_and_waits_for_it(qtbot, monkeypatch):
    monkeypatch.setattr(tasks, "RUN_SYNCHRONOUSLY", False)  # a real worker thread, as in use
    started, seen = threading.Event(), []

    def job(progress, cancelled):
        started.set()
        while not cancelled():
            time.sleep(0.01)
        seen.append("cancelled")
        return None

    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    tasks.run_task(parent, "核查中", job, lambda _r: None, lambda _e: None)
    assert started.wait(5)
    tasks.stop_all()
    assert seen == ["cancelled"]
    assert QThreadPool.globalInstance().activeThreadCount() == 0


def test_closing_the_window_while_a_check_runs_ends_the_check_first(qtbot, demo_db, monkeypatch):
    from desktop.ui.main_window import MainWindow
    from tests.ui.conftest import TODAY

    monkeypatch.setattr(tasks, "RUN_SYNCHRONOUSLY", False)
    win = MainWindow(demo_db, today=TODAY)
    qtbot.addWidget(win)
    win.show()
    win.recheck()  # the checks start in the background
    win.close()  # ends them, then closes the database
    assert QThreadPool.globalInstance().activeThreadCount() == 0
