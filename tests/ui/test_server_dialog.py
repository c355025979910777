"""文件 › 连接服务器数据库, and a recent server entry that asks for its password again."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from desktop.ui.main_window import recent_databases
from desktop.ui.server_dialog import ServerDialog
from tests import postgres

pytestmark = pytest.mark.postgres_only


def test_a_server_is_opened_with_its_password_and_remembered_without_it(window, demo_db, monkeypatch):
    from sqlalchemy.engine import make_url

    url = make_url(postgres.clerk_url(demo_db.target))
    asked = []

    def fill(dialog):
        assert isinstance(dialog, ServerDialog)
        asked.append(dialog.findChild(type(dialog.error), "serverReason").text() if asked else "")
        dialog.host.setText(url.host)
        dialog.port.setValue(url.port)
        dialog.database.setText(url.database)
        dialog.user.setText(postgres.CLERK)
        dialog.password.setText(postgres.CLERK_PASSWORD if len(asked) > 1 else "猜错的密码")
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(window, "ask", fill)
    assert window.connect_server()  # a wrong password first: asked again, with the reason
    assert len(asked) == 2 and "密码不正确" in asked[1]
    assert window.db.url.username == postgres.CLERK and "清溪县" in window.windowTitle()
    remembered = [r for r in recent_databases() if "clerk@" in r]
    assert remembered and all(postgres.CLERK_PASSWORD not in r for r in recent_databases())
    assert postgres.CLERK_PASSWORD not in window.windowTitle()

    # the recent entry, opened again: the password is asked for, not found written anywhere
    prompts = []
    monkeypatch.setattr(window, "ask", lambda d: prompts.append(d) or QDialog.DialogCode.Rejected)
    assert not window.switch_database(remembered[0])
    assert prompts and prompts[0].host.text() == url.host and prompts[0].password.text() == ""
