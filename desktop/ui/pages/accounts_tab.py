"""设置 › 账号与登录: sign-in is off until the first account; accounts, roles, passwords, and turning it off."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import AccessDenied, Actor
from db.access import NOT_SIGNED_IN, local_actor
from db.codes import ROLE
from desktop.accounts import (
    AccountError,
    add_account,
    change_own_password,
    forget_key,
    list_accounts,
    sign_in_required,
    turn_off_sign_in,
    update_account,
)
from desktop.operations import perform
from desktop.ui.operations import changed, run_action
from desktop.ui.pages.base import make_table, requires, selected_row
from desktop.ui.tablemodel import Column, ListModel

ROLE_NOTES = {
    "admin": "管理员：全部功能，包括县域信息、核查规范、账号和恢复备份",
    "editor": "录入员：新增和修改记录、导入，可查看完整号码（会被记录）",
    "viewer": "查看员：只能查看和导出，身份证号码和电话号码始终隐藏",
}


def _password_field(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _FormDialog(QDialog):
    """A small form whose OK runs ``apply``; an AccountError stays in the dialog, under the fields."""

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = QLabel()
        self.error.setObjectName("accountError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.layout_.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_apply)
        buttons.rejected.connect(self.reject)
        self.layout_.addWidget(buttons)

    def apply(self) -> None:
        raise NotImplementedError

    def try_apply(self) -> bool:
        try:
            self.apply()
        except (AccountError, AccessDenied) as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.accept()
        return True

    def passwords(self, first: QLineEdit, second: QLineEdit) -> str:
        if first.text() != second.text():
            raise AccountError("两次输入的密码不一致")
        return first.text()


class AccountDialog(_FormDialog):
    """A new account, or a new password for one (``name`` given)."""

    def __init__(self, win, name: str | None = None) -> None:
        super().__init__("重设密码" if name else "新增账号", win)
        self.win, self.existing = win, name
        self.name = QLineEdit(name or "")
        self.name.setObjectName("accountName")
        self.name.setReadOnly(bool(name))
        self.role = QComboBox()
        self.role.setObjectName("accountRole")
        for code, label in ROLE.items():
            self.role.addItem(label, code)
            self.role.setItemData(self.role.count() - 1, ROLE_NOTES[code], 3)  # 3: tooltip role
        self.password = _password_field("accountPassword")
        self.again = _password_field("accountPasswordAgain")
        self.form.addRow("账号名：", self.name)
        if not name:
            self.form.addRow("角色：", self.role)
        self.form.addRow("密码：", self.password)
        self.form.addRow("再次输入：", self.again)
        with win.db.reading() as session:
            first = not name and not sign_in_required(session)
        if first:
            self.role.setEnabled(False)
            note = QLabel(
                "这是第一个账号，必须是管理员。创建后，每次打开本数据库都需要登录；"
                "身份证号码和电话号码（包括已有备份中的）将加密保存，只有凭账号密码才能读出。"
                "请牢记密码：所有账号的密码都遗失时，这些号码无法找回。"
            )
            note.setWordWrap(True)
            self.form.addRow(note)

    def apply(self) -> None:
        password = self.passwords(self.password, self.again)
        existing, name, role = self.existing, self.name.text(), self.role.currentData()

        def write(session):  # -> the account added, and whether it is the first (sign-in begins with it)
            if existing:
                update_account(session, existing, password=password)
                return None
            first = not sign_in_required(session)
            return add_account(session, name, role, password), first

        done = changed(self.win, perform(self.win.db, write))
        if done.value is not None and done.value[1]:  # whoever set sign-in up is its administrator from now on
            account = done.value[0]
            self.win.db.actor = Actor(account.name, account.role, signed_in=True)
            self.win.apply_role()


class ChangePasswordDialog(_FormDialog):
    def __init__(self, win) -> None:
        super().__init__("修改我的密码", win)
        self.win = win
        self.old = _password_field("oldPassword")
        self.new = _password_field("newPassword")
        self.again = _password_field("newPasswordAgain")
        self.form.addRow("原密码：", self.old)
        self.form.addRow("新密码：", self.new)
        self.form.addRow("再次输入：", self.again)

    def apply(self) -> None:
        new, old = self.passwords(self.new, self.again), self.old.text()
        changed(self.win, perform(self.win.db, lambda session: change_own_password(session, old, new)))


class AccountsTab(QWidget):
    def __init__(self, win) -> None:
        super().__init__()
        self.win = win
        layout = QVBoxLayout(self)
        self.state = QLabel()
        self.state.setObjectName("signInState")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        bar = QHBoxLayout()
        for text, slot, name in (
            ("新增账号…", self.add, "addAccount"),
            ("修改角色…", self.change_role, "changeRole"),
            ("启用/停用", self.toggle_active, "toggleAccount"),
            ("重设密码…", self.reset_password, "resetPassword"),
            ("关闭登录…", self.turn_off, "turnOffSignIn"),
        ):
            button = requires(QPushButton(text), "manage")
            button.setObjectName(name)
            button.clicked.connect(lambda _c=False, s=slot: s())
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.model = ListModel(
            [
                Column("账号", lambda a: a.name, width=160),
                Column("角色", lambda a: a.role_label, width=90),
                Column("状态", _status, width=200),
                Column("权限", lambda a: ROLE_NOTES[a.role]),
            ]
        )
        self.view = make_table(self.model, sortable=False)
        self.view.setObjectName("accountTable")
        layout.addWidget(self.view, 1)
        layout.addWidget(
            QLabel(
                "密码经加盐散列后保存，不保存明文；连续输错 5 次密码，账号暂停登录 30 秒起，"
                "每再错一次加倍，最长 15 分钟。所有修改都记录操作的账号。"
            )
        )

    def refresh(self) -> None:
        with self.win.db.reading() as session:
            accounts = list_accounts(session)
        self.model.set_rows(accounts)
        if any(a.active for a in accounts):
            self.state.setText(
                f"已启用登录：共 {len(accounts)} 个账号。打开本数据库时须输入账号和密码。"
                "身份证号码和电话号码在数据库和备份中加密保存，只有登录后才能读出。"
            )
        else:
            self.state.setText(
                "未启用登录：本机打开程序的人可以使用全部功能，修改记录以电脑用户名记入历史。"
                "数据库文件和备份已设为只有本机当前用户可读，但拿到文件副本的人仍能读出其中的身份证号码和电话号码。"
                "建议新增第一个账号（管理员）以启用登录：启用后这些号码在数据库和备份中加密保存。"
            )

    def _run(self, action) -> bool:
        if run_action(self.win, action, failure="账号", parent=self) is None:  # the settings page, accounts
            return False  # included, is read again by the window
        self._follow_own_account()
        return True

    def _follow_own_account(self) -> None:
        """An administrator who changed their own role, or disabled themselves, has the new rights at once."""
        actor = self.win.db.actor
        if not actor.signed_in:
            return
        with self.win.db.reading() as session:
            mine = next((a for a in list_accounts(session) if a.name == actor.name), None)
        if mine is not None and mine.active:
            self.win.db.actor = Actor(mine.name, mine.role, signed_in=True)
        else:
            self.win.db.actor = NOT_SIGNED_IN
            forget_key(self.win.db)
        self.win.apply_role()

    def _selected(self):
        account = selected_row(self.view)
        if account is None:
            QMessageBox.information(self, "账号", "请先在表中选择一个账号。")
        return account

    def add(self) -> None:
        if self.win.ask(AccountDialog(self.win)) == QDialog.DialogCode.Accepted:
            self.refresh()

    def reset_password(self) -> None:
        account = self._selected()
        if account is not None:
            self.win.ask(AccountDialog(self.win, account.name))
            self.refresh()

    def change_role(self) -> None:
        account = self._selected()
        if account is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(f"修改角色：{account.name}")
        box = QVBoxLayout(dialog)
        combo = QComboBox()
        combo.setObjectName("newRole")
        for code, label in ROLE.items():
            combo.addItem(f"{label}（{ROLE_NOTES[code].split('：', 1)[1]}）", code)
        combo.setCurrentIndex(list(ROLE).index(account.role))
        box.addWidget(combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        box.addWidget(buttons)
        dialog.role = combo
        if self.win.ask(dialog) == QDialog.DialogCode.Accepted:
            self._run(lambda s: update_account(s, account.name, role=combo.currentData()))

    def toggle_active(self) -> None:
        account = self._selected()
        if account is not None:
            self._run(lambda s: update_account(s, account.name, active=not account.active))

    def turn_off(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "关闭登录",
            "关闭登录将删除全部账号，之后打开本数据库不再需要登录，任何人都可以使用全部功能；"
            "数据库中加密保存的身份证号码和电话号码将恢复为明文（已有备份仍保持加密，凭备份中的账号打开）。确定关闭吗？",
            parent=self,
        )
        box.addButton("关闭登录并删除账号", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        self.win.ask(box)
        clicked = box.clickedButton()
        if clicked is None or box.buttonRole(clicked) != QMessageBox.ButtonRole.AcceptRole:
            return
        if self._run(turn_off_sign_in):
            self.win.db.actor = local_actor()
            self.win.apply_role()


def _status(account) -> str:
    if not account.active:
        return "已停用"
    if account.locked_until and account.locked_until > dt.datetime.now():
        return f"密码错误过多，暂停登录至 {account.locked_until:%H:%M:%S}"
    return "启用"
