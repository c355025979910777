"""Sign-in in the window: setting it up, signing in, and what a viewer can and cannot do."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton
from sqlalchemy import select

from db import Actor
from db.models import StaffMember
from desktop.accounts import WRONG, add_account, sign_in_required, sign_in_to
from desktop.records.types import STAFF
from desktop.ui.main_window import MainWindow
from desktop.ui.pages.accounts_tab import AccountDialog
from desktop.ui.record_dialogs import edit_record_dialog
from desktop.ui.sign_in import SignInDialog, sign_in
from tests.ui.conftest import TODAY, run_the_desk

PASSWORD = "清溪县2026卫健"


def make_accounts(db) -> None:
    with db.session() as s:
        add_account(s, "老王", "admin", PASSWORD)
        add_account(s, "小李", "viewer", PASSWORD)
        s.commit()


def test_the_first_account_made_in_settings_turns_sign_in_on_as_its_administrator(window, demo_db, monkeypatch):
    page = window.show_page("settings")
    tab = page.accounts
    tab.refresh()
    assert "未启用登录" in tab.state.text()

    def fill(dialog: AccountDialog) -> int:
        assert not dialog.role.isEnabled()  # the first account is an administrator
        dialog.name.setText("老王")
        dialog.password.setText(PASSWORD)
        dialog.again.setText(PASSWORD + "x")
        assert not dialog.try_apply() and "不一致" in dialog.error.text()
        dialog.again.setText(PASSWORD)
        assert dialog.try_apply()
        return dialog.result()

    monkeypatch.setattr(window, "ask", fill)
    tab.findChild(QPushButton, "addAccount").click()
    assert demo_db.actor == Actor("老王", "admin", signed_in=True)
    assert window.account_label.text() == "当前账号：老王（管理员）"
    assert "已启用登录" in tab.state.text() and "加密保存" in tab.state.text() and tab.model.rowCount() == 1
    with demo_db.session() as s:
        assert sign_in_required(s)
        number = s.scalars(select(StaffMember.id_number).order_by(StaffMember.id)).first()
    assert number.isdigit() or number.endswith("X")  # the administrator who made it holds the key at once
    if demo_db.path is not None:  # and the file holds the number sealed
        assert (
            number.encode()
            not in demo_db.path.read_bytes() + demo_db.path.with_name(demo_db.path.name + "-wal").read_bytes()
        )
    window.show_page("staff")
    assert window.pages["staff"].model.rows[0].masked_id == number[:6] + "********" + number[-4:]


def test_signing_in_shows_the_reason_of_a_refusal_and_lets_the_right_password_in(qtbot, demo_db):
    make_accounts(demo_db)
    seen = []

    def ask(dialog: SignInDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.name.setText("小李")
        dialog.password.setText("wrong-password")
        assert not dialog.try_sign_in()
        seen.append(dialog.error.text())
        dialog.password.setText(PASSWORD)
        dialog.try_sign_in()
        return dialog.result()

    assert sign_in(None, demo_db, ask)
    assert seen == [WRONG]
    assert demo_db.actor == Actor("小李", "viewer", signed_in=True)
    assert not sign_in(None, demo_db, lambda dialog: QDialog.DialogCode.Rejected)


def test_a_viewer_sees_a_banner_no_editing_buttons_and_a_read_only_form(qtbot, demo_db, monkeypatch):
    make_accounts(demo_db)
    sign_in_to(demo_db, "小李", PASSWORD)
    win = MainWindow(demo_db, today=TODAY)
    qtbot.addWidget(win)
    win.show()
    assert win.role_banner.isVisible() and "查看员" in win.role_banner.text()
    list(win.pages.values())  # every page built, after the role was applied: each is disabled as it is built
    for name in ("addPerson", "transferPerson", "departPerson", "addFacility", "importFile", "saveProfile"):
        assert not win.findChild(QPushButton, name).isEnabled(), name
    assert not win.findChild(QPushButton, "addAccount").isEnabled()
    assert not win.pages["reports"].unmask.isEnabled()
    assert not win.new_action.isEnabled()

    with demo_db.session() as s:
        person = s.scalars(select(StaffMember)).first()
    form = edit_record_dialog(win, STAFF, person.id, exec_=False)
    assert form.windowTitle().endswith("（只读）")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    form.findChild(QPushButton, "reveal_id_number").click()
    assert warnings and "无权查看完整" in warnings[0]
    assert "*" in form.editors["id_number"].widget.text()
    form.editors["name"].widget.setText("改个名字")
    form.try_save()  # the button is disabled; even called, the core refuses
    assert "无权修改记录" in warnings[-1] and form.result() != QDialog.DialogCode.Accepted
    with demo_db.session() as s:
        assert s.get(StaffMember, person.id).name == person.name


def test_the_desk_command_asks_to_sign_in_before_any_record_is_shown(qtbot, demo_db, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from desktop.ui import app

    make_accounts(demo_db)
    behind = []

    def give_up(dialog: SignInDialog) -> int:
        # The window has painted, empty: nothing of the database is read or shown before the sign-in.
        behind.extend(
            (w.pages.built(), w.centralWidget().isEnabled(), w.menuBar().isEnabled())
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w.isVisible()
        )
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(SignInDialog, "exec", give_up)
    assert app.main(["--db", demo_db.target]) == 0  # gave up at the sign-in: the window closes, nothing opened
    assert behind == [([], False, False)]
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]

    def sign_in_as_viewer(dialog: SignInDialog) -> int:
        dialog.name.setText("小李")
        dialog.password.setText(PASSWORD)
        dialog.try_sign_in()
        return dialog.result()

    seen = []

    def look():
        seen.extend(
            w.account_label.text()
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w.isVisible()
        )

    monkeypatch.setattr(SignInDialog, "exec", sign_in_as_viewer)
    assert run_the_desk(["--db", demo_db.target], look) == 0
    assert seen == ["当前账号：小李（查看员）"]
