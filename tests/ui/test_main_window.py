"""The main window as a user meets it: title, first start, databases, Chinese throughout."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from desktop.ui.main_window import MainWindow

from .conftest import TODAY, answer, run_the_desk


def test_title_names_the_product_the_county_and_the_file(window, demo_db):
    assert window.windowTitle() == f"县域卫生健康台账 — 清溪县 — {demo_db.display_name}"
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        "工作台",
        "机构",
        "区划与人口",
        "人员",
        "床位核查",
        "建设项目",
        "重点任务",
        "规划指标",
        "问题清单",
        "修改记录",
        "报表",
        "数据交换",
        "设置",
    ]
    assert window.period_box.currentText() == "2026年第三季度"
    assert not window.demo_action.isEnabled()


def test_dashboard_shows_counts_findings_and_indicators(qtbot, window):
    page = window.pages["dashboard"]
    qtbot.waitUntil(lambda: "每千人口医疗卫生机构床位数" in page.indicators.text())
    assert page.header.text() == "清溪县卫生健康局 · 2026年第三季度（截至2026年9月30日）"
    assert int(page.cards["staff_on_post"].value.text().replace(",", "")) > 2000
    assert page.severity_buttons["high"].text().startswith("严重 ") and "—" not in page.severity_buttons["high"].text()
    assert "每千人口医疗卫生机构床位数" in page.indicators.text()
    page.severity_buttons["high"].click()
    findings = window.pages["findings"]
    assert window.current_page() is findings
    assert findings.severity.currentData() == "high"
    assert {f.severity for f in (findings.model.row_at(i) for i in range(findings.model.rowCount()))} == {"high"}


def test_an_empty_database_offers_the_demo_and_loads_it(qtbot, db, monkeypatch):
    win = MainWindow(db, today=TODAY)
    qtbot.addWidget(win)
    assert win.is_empty and win.windowTitle().startswith("县域卫生健康台账 — 未设置地区")
    asked = []
    monkeypatch.setattr(win, "ask", lambda box: asked.append(box.windowTitle()) or answer(box, "载入示范数据"))
    win.first_start()
    assert asked == ["欢迎使用"]
    assert "清溪县" in win.windowTitle()


def test_starting_blank_asks_for_the_county_profile(qtbot, db, monkeypatch):
    win = MainWindow(db, today=TODAY)
    qtbot.addWidget(win)
    dialogs = []

    def fill(dialog):
        dialogs.append(dialog.windowTitle())
        if isinstance(dialog, QMessageBox):
            return answer(dialog, "从空白开始")
        if dialog.windowTitle() == "选择本县（市）":  # a county not in the official list: typed by hand
            (manual,) = [b for b in dialog.findChildren(QPushButton) if b.text() == "手工填写"]
            return manual.click()
        from desktop.ui.pages.settings import ProfileForm

        form = dialog.findChild(ProfileForm)
        form.edits["area_name"].setText("白沙县")
        form.edits["division_code"].setText("530102")
        form.edits["bureau_name"].setText("白沙县卫生健康局")
        form.edits["phone"].setText("0871-6512345")
        assert form.save()
        return 1

    monkeypatch.setattr(win, "ask", fill)
    win.first_start()
    assert dialogs == ["欢迎使用", "选择本县（市）", "填写县域信息"]
    from desktop.profile import load_profile

    with db.session() as s:
        assert load_profile(s).bureau_name == "白沙县卫生健康局"
    assert "白沙县" in win.windowTitle()


def test_starting_blank_finds_the_county_and_builds_its_townships_and_villages(qtbot, db, monkeypatch):
    from sqlalchemy import func, select

    from db.models import Division
    from desktop.profile import load_profile

    win = MainWindow(db, today=TODAY)
    qtbot.addWidget(win)
    dialogs, shown = [], []

    def answer_as_a_clerk(dialog):
        dialogs.append(dialog.windowTitle())
        if isinstance(dialog, QMessageBox):
            return answer(dialog, "从空白开始")
        if dialog.windowTitle() == "选择本县（市）":
            dialog.search.setText("桃江")  # as she types it
            shown.extend(dialog.model.row_at(i) for i in range(dialog.model.rowCount()))
            dialog.findChild(QPushButton, "buildArea").click()
            return dialog.result()
        from desktop.ui.pages.settings import ProfileForm

        form = dialog.findChild(ProfileForm)
        shown.append(dialog.findChild(QLabel, "profileIntro").text())
        assert form.edits["area_name"].text() == "桃江县" and form.edits["division_code"].text() == "430922"
        form.edits["preparer"].setText("李华")
        assert form.save()
        return 1

    monkeypatch.setattr(win, "ask", answer_as_a_clerk)
    win.first_start()
    assert dialogs == ["欢迎使用", "选择本县（市）", "填写县域信息"]
    county, intro = shown
    assert county.short_code == "430922" and intro.startswith("已按 2023 年统计用区划代码建立桃江县（430922）")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Division)) == 1 + 15 + 247
        profile = load_profile(s)
        assert (profile.area_name, profile.bureau_name, profile.preparer) == ("桃江县", "桃江县卫生健康局", "李华")
    assert "桃江县" in win.windowTitle()


def test_opening_a_bad_file_says_why_and_keeps_the_current_database(window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.db"
    bad.write_text("不是数据库")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    assert not window.switch_database(str(bad))
    assert "不是 SQLite 数据库" in shown[0]
    assert "清溪县" in window.windowTitle()


def test_recent_databases_are_remembered(window, demo_db):
    from desktop.ui.main_window import recent_databases

    assert demo_db.display_name in recent_databases()
    assert demo_db.display_name in [a.text() for a in window.recent_menu.actions()]


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


def test_the_desk_command_starts_on_the_given_database(qtbot, demo_db):
    from PySide6.QtWidgets import QApplication

    seen = []

    def look():
        seen.extend(w.windowTitle() for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))

    assert run_the_desk(["--db", demo_db.target], look) == 0
    assert seen == [f"县域卫生健康台账 — 清溪县 — {demo_db.display_name}"]


def test_qt_standard_words_are_chinese(qapp):
    from PySide6.QtCore import QCoreApplication

    from desktop.ui.translations import install_chinese_translations

    assert install_chinese_translations(qapp)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def _damaged_copy(tmp_path, demo_template):
    import shutil

    from db.backups import make_backup

    path = tmp_path / "损坏 的台账.db"
    shutil.copyfile(demo_template, path)
    good = make_backup(path, reason="before-import")
    with path.open("r+b") as fh:
        fh.seek(fh.seek(0, 2) // 2)
        fh.write(b"\xff" * 8192)
    return path, good


@pytest.mark.sqlite_only
def test_a_damaged_file_is_not_opened_and_the_latest_backup_is_offered(window, tmp_path, demo_template, monkeypatch):
    path, good = _damaged_copy(tmp_path, demo_template)
    before = path.read_bytes()
    shown = []
    monkeypatch.setattr(window, "ask", lambda box: shown.append(box.informativeText()) or answer(box, "不恢复"))
    assert not window.switch_database(str(path))
    assert "备份时间" in shown[0] and "人员" in shown[0]
    assert path.read_bytes() == before and window.db.path != path

    monkeypatch.setattr(window, "ask", lambda box: answer(box, "从此备份恢复"))
    assert window.switch_database(str(path))
    assert window.db.path == path
    with window.db.session() as s:
        from sqlalchemy import text

        assert s.execute(text("SELECT count(*) FROM staff")).scalar() == good.counts["人员"]
    assert any(p.name.endswith(".db.damaged") for p in good.path.parent.iterdir())
