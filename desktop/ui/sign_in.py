"""The sign-in dialog, shown on opening a database that has accounts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox, QVBoxLayout

from db import Database
from desktop import PRODUCT_NAME
from desktop.accounts import NO_SLOT, AccountError, holds_key, sign_in_required, sign_in_to


class SignInDialog(QDialog):
    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(f"登录 — {PRODUCT_NAME}")
        layout = QVBoxLayout(self)
        where = db.path.name if db.path else str(db.url)
        layout.addWidget(QLabel(f"本数据库（{where}）已启用登录，请输入账号和密码。"))
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setObjectName("signInName")
        self.password = QLineEdit()
        self.password.setObjectName("signInPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("账号：", self.name)
        form.addRow("密码：", self.password)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("signInError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登录")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(380, 0)

    def try_sign_in(self) -> bool:
        try:
            sign_in_to(self.db, self.name.text(), self.password.text())
        except AccountError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.password.clear()
            self.password.setFocus()
            return False
        if not holds_key(self.db):
            QMessageBox.information(self, "数据密钥", NO_SLOT)
        self.accept()
        return True


def sign_in(parent, db: Database, ask: Callable[[QDialog], int]) -> bool:
    """True when the database needs no sign-in or the user signed in; False when they gave up."""
    with db.reading() as session:
        if not sign_in_required(session):
            return True
    return ask(SignInDialog(db, parent)) == QDialog.DialogCode.Accepted
