"""文件 › 连接服务器数据库: a bureau's PostgreSQL server, its password asked for and never written down.

The password lives only in the open connection's URL, in memory. The recent list keeps the server without it;
opening that entry again asks again (or libpq's own PGPASSWORD / .pgpass, if the bureau's administrator has
set one up, answers first).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout
from sqlalchemy.engine import URL


class ServerDialog(QDialog):
    def __init__(self, parent=None, *, url: URL | None = None, reason: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("连接服务器数据库")
        layout = QVBoxLayout(self)
        if reason:
            note = QLabel(reason)
            note.setObjectName("serverReason")
            note.setWordWrap(True)
            note.setStyleSheet("color: #b00020;")
            layout.addWidget(note)
        form = QFormLayout()
        self.host = QLineEdit(url.host if url is not None and url.host else "")
        self.host.setObjectName("serverHost")
        self.host.setPlaceholderText("如 192.168.1.20")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(url.port if url is not None and url.port else 5432)
        self.database = QLineEdit(url.database if url is not None and url.database else "")
        self.database.setObjectName("serverDatabase")
        self.user = QLineEdit(url.username if url is not None and url.username else "")
        self.user.setObjectName("serverUser")
        self.password = QLineEdit()
        self.password.setObjectName("serverPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("服务器地址", self.host)
        form.addRow("端口", self.port)
        form.addRow("数据库名", self.database)
        form.addRow("用户名", self.user)
        form.addRow("密码", self.password)
        layout.addLayout(form)
        hint = QLabel("密码只用于本次连接，不会保存在本机；下次打开时会再次询问。")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("连接")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password if url is not None and url.host else self.host).setFocus()

    def try_accept(self) -> None:
        fields = (("服务器地址", self.host), ("数据库名", self.database), ("用户名", self.user))
        missing = [name for name, edit in fields if not edit.text().strip()]
        if missing:
            self.error.setText("请填写：" + "、".join(missing))
            return
        self.accept()

    def target(self) -> str:
        """The URL that opens the database, password included: kept in memory, handed to open_database only."""
        url = URL.create(
            "postgresql+psycopg",
            username=self.user.text().strip(),
            password=self.password.text() or None,
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
        )
        return url.render_as_string(hide_password=False)
