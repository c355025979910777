from __future__ import annotations

import datetime as dt

import pytest

from desktop.ui import tasks
from desktop.ui.main_window import MainWindow

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def synchronous_tasks(monkeypatch):
    monkeypatch.setattr(tasks, "RUN_SYNCHRONOUSLY", True)


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
