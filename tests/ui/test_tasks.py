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
    tasks.run_task(parent, "核查中", job, lambda _r: None, failure="核查失败")
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


def test_a_cancelled_check_is_a_note_not_a_failure(window, monkeypatch):
    """Cancelling the check showed "核查失败：核查时出错：" with no reason: it caught another module's Cancelled."""
    from PySide6.QtWidgets import QMessageBox

    from desktop.checks import runner

    boxes = []
    for kind in ("warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda *a, **k: boxes.append(a[1:]))

    def cancelled_at_once(session, period, *, today, progress, cancelled):
        raise runner.Cancelled()

    monkeypatch.setattr(runner, "run_checks", cancelled_at_once)
    window._findings = None
    window.with_findings(lambda _run: None)
    assert boxes == []
    assert "已取消" in window.statusBar().currentMessage()


def test_a_bug_in_a_job_is_logged_and_the_clerk_reads_where(window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from desktop.checks import runner
    from desktop.logs import log_file

    boxes = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text: boxes.append((title, text)))

    def broken(session, period, **_kw):
        raise KeyError("beds_per_1000")  # an English programmer's word that must not reach the clerk

    monkeypatch.setattr(runner, "run_checks", broken)
    window._findings = None
    window.with_findings(lambda _run: None)
    ((title, text),) = boxes
    assert title == "核查失败"
    assert str(log_file()) in text and "beds_per_1000" not in text and "KeyError" not in text
    logged = log_file().read_text(encoding="utf-8")
    assert "Traceback" in logged and "KeyError: 'beds_per_1000'" in logged
