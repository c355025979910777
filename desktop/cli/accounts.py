"""``countyhealth account``: the accounts of a database from the command line (for an office's scripts and tests
as much as for a clerk): add, list, set a password, disable. The first account turns sign-in on and must be an
administrator; after it, only an administrator (``--user``) manages them."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from db.codes import ROLE
from db.errors import UserError

NEW_PASSWORD = "COUNTYHEALTH_NEW_PASSWORD"


def _role(text: str) -> str:
    """A role by its Chinese name (管理员, 录入员, 查看员) or its code."""
    text = text.strip()
    for code, label in ROLE.items():
        if text in (code, label):
            return code
    raise argparse.ArgumentTypeError(f"角色应为{'、'.join(ROLE.values())}之一")


def _new_password(name: str, first: bool) -> str:
    """The account's password: from COUNTYHEALTH_NEW_PASSWORD, or (for the first account, when no one signs in)
    COUNTYHEALTH_PASSWORD, or asked twice at a terminal."""
    given = os.environ.get(NEW_PASSWORD) or (os.environ.get("COUNTYHEALTH_PASSWORD") if first else None)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise UserError(f"请在终端中运行以输入账号“{name}”的密码，或设置环境变量 {NEW_PASSWORD}")
    password = getpass.getpass(f"账号“{name}”的新密码：")
    if getpass.getpass("再输入一次：") != password:
        raise UserError("两次输入的密码不一致，未作改动")
    return password


def _run(args: argparse.Namespace, work) -> None:
    from desktop.cli import open_db

    db = open_db(args)
    try:
        with db.session() as session:
            said = work(session)
            session.commit()
    finally:
        db.close()
    if said:
        print(said)


def cmd_add(args: argparse.Namespace) -> int:
    from desktop.accounts import add_account, sign_in_required

    def work(session) -> str:
        first = not sign_in_required(session)
        account = add_account(session, args.name, args.role, _new_password(args.name, first))
        then = "；本数据库自此需要登录，身份证号码和电话号码已加密保存（含已有备份）" if first else ""
        return f"已添加账号“{account.name}”（{account.role_label}）{then}。"

    _run(args, work)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from desktop.accounts import list_accounts
    from desktop.textable import table

    def work(session) -> str:
        rows = [
            [
                a.name,
                a.role_label,
                "启用" if a.active else "停用",
                a.locked_until.strftime("%H:%M") if a.locked_until else "",
            ]
            for a in list_accounts(session)
        ]
        return table(["账号", "角色", "状态", "暂停登录至"], rows) if rows else "尚未设置账号：本数据库不需要登录。"

    _run(args, work)
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    from desktop.accounts import update_account

    def work(session) -> str:
        update_account(session, args.name, password=_new_password(args.name, False))
        return f"已重设账号“{args.name}”的密码。"

    _run(args, work)
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    from desktop.accounts import update_account

    def work(session) -> str:
        update_account(session, args.name, active=False)
        return f"已停用账号“{args.name}”。"

    _run(args, work)
    return 0


def register(sub) -> None:
    from desktop.cli import add_db_option

    account = sub.add_parser(
        "account",
        help="管理账号（添加、列出、重设密码、停用）",
        description="管理本数据库的登录账号。第一个账号必须是管理员，添加后即需登录；之后须以管理员（--user）操作。"
        f"新账号的密码在提示时输入，或取自环境变量 {NEW_PASSWORD}。",
    )
    actions = account.add_subparsers(dest="action", required=True, metavar="操作")
    add = actions.add_parser("add", help="添加账号")
    add_db_option(add)
    add.add_argument("name", help="账号名")
    add.add_argument("--role", type=_role, required=True, help="角色：管理员、录入员或查看员")
    add.set_defaults(func=cmd_add)
    listed = actions.add_parser("list", help="列出账号")
    add_db_option(listed)
    listed.set_defaults(func=cmd_list)
    passwd = actions.add_parser("passwd", help="重设账号的密码（管理员）")
    add_db_option(passwd)
    passwd.add_argument("name", help="账号名")
    passwd.set_defaults(func=cmd_passwd)
    disable = actions.add_parser("disable", help="停用账号（管理员）")
    add_db_option(disable)
    disable.add_argument("name", help="账号名")
    disable.set_defaults(func=cmd_disable)
