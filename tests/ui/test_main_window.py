"""The first window, through pytest-qt."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.ui import tasks
from desktop.ui.main_window import MainWindow


def answer(box: QMessageBox, label: str) -> None:
    """Click the button with this label, as a user would."""
    (button,) = [b for b in box.buttons() if b.text() == label]
    button.click()


@pytest.fixture(autouse=True)
def synchronous_tasks(monkeypatch):
    monkeypatch.setattr(tasks, "RUN_SYNCHRONOUSLY", True)


def test_title_names_the_product_and_the_county(qtbot, demo_db):
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    assert window.windowTitle() == "县域卫生健康台账 — 清溪县"
    assert window.heading.text() == "清溪县卫生健康局"
    assert window.cards["staff_on_post"].value.text().endswith("人")
    assert int(window.cards["facilities"].value.text().split()[0].replace(",", "")) > 250
    assert not window.demo_action.isEnabled()


def test_an_empty_database_offers_the_demo_and_loads_it(qtbot, db, monkeypatch):
    window = MainWindow(db)
    qtbot.addWidget(window)
    assert window.windowTitle() == "县域卫生健康台账 — 未设置地区"
    assert window.empty_hint.isVisibleTo(window)
    asked = []
    monkeypatch.setattr(window, "_ask", lambda box: asked.append(box.windowTitle()) or answer(box, "载入示范数据"))
    window.offer_demo()
    assert asked == ["数据库为空"]
    assert window.windowTitle() == "县域卫生健康台账 — 清溪县"
    assert not window.empty_hint.isVisibleTo(window)


def test_declining_the_demo_leaves_the_database_empty(qtbot, db, monkeypatch):
    window = MainWindow(db)
    qtbot.addWidget(window)
    monkeypatch.setattr(window, "_ask", lambda box: answer(box, "暂不载入"))
    window.offer_demo()
    assert window.cards["staff_on_post"].value.text() == "0 人"


def test_opening_a_bad_file_says_why_and_keeps_the_current_database(qtbot, demo_db, tmp_path, monkeypatch):
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    bad = tmp_path / "bad.db"
    bad.write_text("不是数据库")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    assert not window.switch_database(str(bad))
    assert "不是 SQLite 数据库" in shown[0]
    assert window.windowTitle().endswith("清溪县")


def test_version_does_not_start_qt():
    code = (
        "import sys; from desktop.ui.app import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit as e:\n    assert e.code == 0\n"
        "assert 'PySide6.QtWidgets' not in sys.modules, 'Qt was loaded'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env={**os.environ}
    )
    assert result.returncode == 0, result.stderr
    assert "countyhealth-desk 0." in result.stdout


def test_the_desk_command_starts_on_the_given_database(qtbot, demo_db, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.ui import app

    seen = []

    def look_and_quit():
        seen.extend(w.windowTitle() for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        for w in QApplication.topLevelWidgets():
            w.close()
        QApplication.quit()

    QTimer.singleShot(100, look_and_quit)
    assert app.main(["--db", str(demo_db.path)]) == 0
    assert seen == ["县域卫生健康台账 — 清溪县"]


def test_qt_standard_words_are_chinese(qapp):
    from PySide6.QtCore import QCoreApplication

    from desktop.ui.translations import install_chinese_translations

    assert install_chinese_translations(qapp)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
