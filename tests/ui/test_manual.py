"""帮助 › 使用说明: the manual read in the window, and saved as a PDF that reads the same."""

from __future__ import annotations

import re

from desktop.ui.help_viewer import ManualDialog, manual_text
from tests.integration.office import pdf_text


def test_the_manual_opens_from_the_help_menu(window, monkeypatch):
    shown = []
    monkeypatch.setattr(window, "ask", lambda dialog: shown.append(dialog) or 0)
    (action,) = [a for a in window.menuBar().actions() if a.text() == "帮助(&H)"]
    (manual,) = [a for a in action.menu().actions() if a.text() == "使用说明(&M)"]
    manual.trigger()
    (dialog,) = shown
    text = dialog.view.toPlainText()
    assert text.startswith("县域卫生健康台账 使用说明")
    for heading in ("一、第一次使用", "三、从已有表格导入", "七、备份与恢复"):
        assert heading in text
    assert "**" not in text and "#" not in text  # Markdown shown as headings and bold, not as its marks


def test_the_manual_names_only_buttons_and_pages_the_window_has():
    """Every 《bold》 name in the manual is a page, menu item, button or tab of the window."""
    steps = manual_text().split("## 九、")[0]  # the questions at the end are in bold as questions, not names
    named = set(re.findall(r"\*\*(.+?)\*\*", steps))
    assert len(named) > 20
    from pathlib import Path

    ui = "".join(p.read_text(encoding="utf-8") for p in Path("desktop/ui").rglob("*.py"))
    missing = []
    for name in named:
        parts = [part.strip() for part in re.split("›", name)]
        words = [re.sub(r"（Ctrl\+\w+|F\d+）", "", part).strip() for part in parts]
        if not all(f'"{w}' in ui or f"“{w}" in ui or f"{w.rstrip('…')}(&" in ui for w in words if w):
            missing.append(name)
    assert not missing, missing


def test_the_manual_saved_as_a_pdf_reads_as_the_window_shows_it(qtbot, tmp_path):
    dialog = ManualDialog()
    qtbot.addWidget(dialog)
    path = tmp_path / "使用说明.pdf"
    dialog.save_pdf(path=str(path))
    text = re.sub(r"\s+", "", pdf_text(path))
    for words in ("县域卫生健康台账使用说明", "一、第一次使用", "九、常见问题", "只导入没有问题的行"):
        assert words in text


def test_the_program_saves_the_manual_as_a_pdf_for_the_installers(qtbot, tmp_path, capsys):
    """`make package` runs the built program with --save-manual: the bundle ships 使用说明.pdf beside it."""
    from desktop.ui.app import main

    path = tmp_path / "使用说明.pdf"
    assert main(["--save-manual", str(path)]) == 0
    assert "已保存使用说明" in capsys.readouterr().out
    assert "一、第一次使用" in re.sub(r"\s+", "", pdf_text(path))
