"""The ``countyhealth`` command: a thin shell over the core, for staff and for scripts.

Each module of this package adds the subcommands of one area with ``register(sub)``.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence

from desktop import PRODUCT_NAME, __version__


class UserError(Exception):
    """A problem to report in one Chinese line, with exit code 2."""


def _parser(**kwargs: object) -> argparse.ArgumentParser:
    """An ArgumentParser whose own words (help option, section titles) are Chinese too."""
    parser = argparse.ArgumentParser(add_help=False, **kwargs)
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


def build_parser() -> argparse.ArgumentParser:
    from desktop.cli import backup, checks, demo, excel, norms

    parser = _parser(prog="countyhealth", description=f"{PRODUCT_NAME}（CountyHealth Desk）命令行工具")
    parser.add_argument("--version", action="version", version=f"countyhealth {__version__}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", title="子命令", metavar="子命令", required=True, parser_class=_parser)
    for module in (demo, checks, norms, excel, backup):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from db import DatabaseOpenError
    from db.backups import BackupError
    from desktop.checks.runner import CheckError
    from desktop.demo import DemoError
    from desktop.excel.errors import ExcelError
    from desktop.norms import NormError
    from desktop.periods import PeriodError

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `countyhealth check | head` ends quietly
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ExcelError as exc:  # an unreadable or refused file
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except (DatabaseOpenError, DemoError, CheckError, NormError, PeriodError, UserError, BackupError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
