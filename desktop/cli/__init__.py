"""The ``countyhealth`` command: a thin shell over the core, for staff and for scripts.

Each module of this package adds the subcommands of one area with ``register(sub)``.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence

from db.errors import UserError
from desktop import PRODUCT_NAME, __version__

__all__ = ["UserError", "main"]


# argparse's own refusals, in the words a clerk reads (argparse has no Chinese catalogue of its own).
_ARGPARSE_MESSAGES = (
    (r"argument (\S+): invalid int value: '(.*)'", "参数 {0} 的值“{1}”不是整数"),
    (r"argument (\S+): invalid float value: '(.*)'", "参数 {0} 的值“{1}”不是数字"),
    (r"argument (\S+): invalid choice: '(.*)' \(choose from (.*)\)", "参数 {0} 的值“{1}”无效，可选：{2}"),
    (r"argument (\S+): expected one argument", "参数 {0} 后面需要一个值"),
    (r"argument (\S+): not allowed with argument (\S+)", "参数 {0} 不能与 {1} 同时使用"),
    (r"argument (\S+): (.*)", "参数 {0}：{1}"),
    (r"the following arguments are required: (.*)", "缺少必填参数：{0}"),
    (r"unrecognized arguments: (.*)", "无法识别的参数：{0}"),
    (r"one of the arguments (.*) is required", "须指定以下参数之一：{0}"),
)


class _ChineseHelpFormatter(argparse.HelpFormatter):
    def _format_usage(self, usage, actions, groups, prefix):
        return super()._format_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _ChineseParser(argparse.ArgumentParser):
    def error(self, message: str):
        import re

        for pattern, text in _ARGPARSE_MESSAGES:
            match = re.fullmatch(pattern, message, flags=re.DOTALL)
            if match:
                message = text.format(*match.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n")


def _parser(**kwargs: object) -> argparse.ArgumentParser:
    """An ArgumentParser whose own words (help option, section titles, refusals) are Chinese too."""
    kwargs.setdefault("formatter_class", _ChineseHelpFormatter)
    parser = _ChineseParser(add_help=False, **kwargs)
    parser.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    parser._optionals.title = "选项"
    parser._positionals.title = "参数"
    return parser


def add_db_option(parser: argparse.ArgumentParser) -> None:
    from desktop.paths import default_database_path

    parser.add_argument(
        "--db",
        default=str(default_database_path()),
        help=f"数据库文件路径或 SQLAlchemy URL（默认：{default_database_path()}）",
    )
    add_user_option(parser)


def add_user_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        help="账号：数据库已启用登录时必填（密码在提示时输入，或取自环境变量 COUNTYHEALTH_PASSWORD）；"
        "未启用登录时作为修改记录中的操作人（默认为当前系统用户）",
    )


def open_db(args: argparse.Namespace, *, create: bool = False):
    """Open the database of ``--db``; where sign-in is on, sign in as ``--user`` first. Only ``create``
    (the demo) makes a new file: elsewhere a mistyped path is an error, not a new empty database."""
    import getpass
    import os
    from pathlib import Path

    from db import Actor
    from desktop.accounts import AccountError, sign_in_required, sign_in_to

    if not create and "://" not in args.db and not Path(args.db).is_file():
        raise UserError(f"找不到数据库文件：{args.db}（新建请在窗口中用“文件 › 新建数据库”，或 countyhealth demo）")
    db = _open_asking_for_server_password(args.db)
    try:
        with db.session() as session:
            required = sign_in_required(session)
        if required:
            name = getattr(args, "user", None) or os.environ.get("COUNTYHEALTH_USER")
            if not name:
                raise UserError("本数据库已启用登录：请用 --user 指定账号（或设置环境变量 COUNTYHEALTH_USER）")
            password = os.environ.get("COUNTYHEALTH_PASSWORD")
            if password is None:
                if not sys.stdin.isatty():
                    raise UserError("本数据库已启用登录：请在终端中运行以输入密码，或设置 COUNTYHEALTH_PASSWORD")
                password = getpass.getpass(f"账号“{name}”的密码：")
            sign_in_to(db, name, password)
        elif getattr(args, "user", None):  # sign-in off: the name the history gives the changes
            db.actor = Actor(args.user.strip() or db.actor.name)
    except AccountError as exc:
        db.close()
        raise UserError(str(exc)) from None
    except BaseException:
        db.close()
        raise
    return db


def _open_asking_for_server_password(target: str):
    """A server that wants a password: asked for at a terminal (never read from the command line, where other
    users of the PC could see it), or taken by libpq from PGPASSWORD or .pgpass."""
    import getpass

    from db import open_database
    from db.errors import ServerAuthError

    try:
        return open_database(target)
    except ServerAuthError as exc:
        if not sys.stdin.isatty():
            raise UserError(f"{exc}请在终端中运行以输入密码，或设置环境变量 PGPASSWORD。") from None
        password = getpass.getpass(f"数据库服务器上用户“{exc.url.username}”的密码：")
        return open_database(exc.url.set(password=password).render_as_string(hide_password=False))


def build_parser() -> argparse.ArgumentParser:
    from desktop.cli import accounts, backup, checks, demo, excel, exchange, migrate, norms, plans, setup

    parser = _parser(prog="countyhealth", description=f"{PRODUCT_NAME}（CountyHealth Desk）命令行工具")
    parser.add_argument("--version", action="version", version=f"countyhealth {__version__}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", title="子命令", metavar="子命令", required=True, parser_class=_parser)
    for module in (demo, setup, checks, norms, plans, excel, exchange, backup, migrate, accounts):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from db.errors import Cancelled
    from desktop.excel.errors import ExcelError
    from desktop.exchange.container import ExchangeFileError

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `countyhealth check | head` ends quietly
    args = build_parser().parse_args(argv)
    from desktop.logs import setup_logging

    setup_logging()  # a bug's traceback, and a hard crash's stack (faulthandler), go to the user's log folder
    try:
        return args.func(args)
    except Cancelled as exc:
        print(str(exc), file=sys.stderr)
        return 130
    except (ExcelError, ExchangeFileError) as exc:  # an unreadable or refused file
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # the computer's refusal (a full disk, ...) in its sentence; anything else is a bug
        from desktop.logs import bug_message, explain, record_bug

        text = explain(exc)
        if text is not None:
            print(f"错误：{text}", file=sys.stderr)
            return 2
        print(f"错误：{bug_message(record_bug(exc, f'命令 {args.command}'))}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
