"""设置 › 备份与恢复 as a clerk uses it: back up now, restore with a preview, a daily copy on closing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from db.backups import backed_up_today, backup_folder, list_backups
from desktop.ui.main_window import MainWindow

from .conftest import TODAY, answer


def _staff(window) -> int:
    with window.db.session() as s:
        return s.execute(text("SELECT count(*) FROM staff")).scalar()


@pytest.mark.sqlite_only
def test_backup_now_then_restore_it_after_a_mistake(window, monkeypatch):
    tab = window.show_page("settings").backups
    window.pages["settings"].tabs.setCurrentWidget(tab)
    assert "备份文件夹" in tab.where.text() and tab.model.rowCount() == 0
    tab.backup_now()
    assert tab.model.rowCount() == 1 and "手动备份" in tab.model.data(tab.model.index(0, 1))
    staff = _staff(window)
    with window.db.engine.begin() as conn:  # the mistake, past the app (which deletes no one): a table emptied
        conn.execute(text("DELETE FROM trainings"))
        conn.execute(text("DELETE FROM staff_loans"))
        conn.execute(text("DELETE FROM staff"))

    tab.view.selectRow(0)
    previews = []
    monkeypatch.setattr(window, "ask", lambda box: previews.append(box.informativeText()) or answer(box, "取消"))
    tab.restore_from(tab.selected_path())
    assert _staff(window) == 0  # cancelled: nothing replaced
    assert f"人员 {staff:,}" in previews[0] and "备份时间" in previews[0]

    monkeypatch.setattr(window, "ask", lambda box: answer(box, "恢复"))
    tab.restore_from(tab.selected_path())
    assert _staff(window) == staff
    assert "已从备份恢复" in window.statusBar().currentMessage()
    reasons = sorted(b.reason for b in list_backups(window.db.path))
    assert reasons == ["before-restore", "manual"]  # the emptied state was kept too


@pytest.mark.sqlite_only
def test_the_first_close_of_a_day_leaves_a_verified_copy(qtbot, demo_db):
    win = MainWindow(demo_db, today=TODAY)
    qtbot.addWidget(win)
    assert not backed_up_today(demo_db.path, dt.date.today())
    win.close()
    (daily,) = list_backups(demo_db.path, verified=True)
    assert daily.reason == "daily" and daily.path.parent == backup_folder(demo_db.path)
    again = MainWindow(demo_db, today=TODAY)
    qtbot.addWidget(again)
    again.close()
    assert len(list_backups(demo_db.path)) == 1  # once a day, not at every close


@pytest.mark.postgres_only
def test_a_server_database_is_left_to_the_servers_own_backups(window):
    tab = window.show_page("settings").backups
    window.pages["settings"].tabs.setCurrentWidget(tab)
    assert "请用服务器的备份" in tab.where.text() and tab.model.rowCount() == 0
    assert not tab.buttons.isVisible()
    window.close()  # no daily copy is attempted, and closing says nothing


@pytest.mark.sqlite_only
def test_a_sealed_backup_restored_in_the_window_opens_with_the_key_held(qtbot, demo_db, monkeypatch):
    """With sign-in on, the administrator who restores a backup sealed under the same data key goes on reading
    whole numbers without signing in again."""
    from sqlalchemy import select

    from db.models import StaffMember
    from desktop.accounts import sign_in_to
    from tests.test_accounts import PASSWORD, accounts

    with demo_db.session() as s:
        first = s.scalars(select(StaffMember.id_number).order_by(StaffMember.id)).first()
    accounts(demo_db, ("老王", "admin"))
    sign_in_to(demo_db, "老王", PASSWORD)
    window = MainWindow(demo_db, today=TODAY)
    qtbot.addWidget(window)
    tab = window.show_page("settings").backups
    tab.backup_now()
    tab.view.selectRow(0)
    monkeypatch.setattr(window, "ask", lambda box: answer(box, "恢复"))
    tab.restore_from(tab.selected_path())
    assert "已从备份恢复" in window.statusBar().currentMessage()
    with window.db.session() as s:
        assert s.scalars(select(StaffMember.id_number).order_by(StaffMember.id)).first() == first
    window.show_page("staff")
    assert window.pages["staff"].model.rows[0].masked_id == first[:6] + "********" + first[-4:]
