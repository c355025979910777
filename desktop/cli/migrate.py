"""``countyhealth migrate``: a bureau's whole database copied to another (its SQLite file to a PostgreSQL server)."""

from __future__ import annotations

import argparse
import sys


def cmd_migrate(args: argparse.Namespace) -> int:
    from db import open_database
    from db.copying import Cancelled, CopyError, copy_database
    from db.engine import to_url
    from desktop.cli import UserError, open_db
    from desktop.cli.demo import progress_printer

    if to_url(args.source) == to_url(args.target):
        raise UserError("源数据库与目标数据库是同一个。")
    source = open_db(argparse.Namespace(db=args.source, user=args.user))
    try:
        source.actor.require("manage", "复制整个数据库")
        target = open_database(args.target)
        try:
            print(f"从 {source.display_name} 复制到 {target.display_name} …", file=sys.stderr)
            try:
                checks = copy_database(source, target, progress=progress_printer("复制记录"))
            except CopyError as exc:
                raise UserError(str(exc)) from None
            except (Cancelled, KeyboardInterrupt):
                print("\n已取消：目标数据库未写入任何记录。", file=sys.stderr)
                return 1
        finally:
            target.close()
    finally:
        source.close()
    width = max(len(c.label) for c in checks)
    print(f"{'表'.ljust(width, '　')}  {'源':>9}  {'目标':>9}  校验")
    for c in checks:
        verdict = "一致" if c.ok else "不一致"
        print(f"{c.label.ljust(width, '　')}  {c.source_rows:>9,}  {c.target_rows:>9,}  {verdict}")
    bad = [c for c in checks if not c.ok]
    total = sum(c.target_rows for c in checks)
    if bad:
        names = "、".join(c.label for c in bad)
        print(f"错误：复制后校验不一致（{names}），请勿使用目标数据库，并联系技术人员。", file=sys.stderr)
        return 2
    print(f"复制完成并通过校验：{len(checks)} 张表共 {total:,} 条记录，行数与校验和（SHA-256）全部一致。")
    return 0


def register(sub) -> None:
    from desktop.cli import add_user_option

    migrate = sub.add_parser(
        "migrate",
        help="把整个数据库复制到另一处（如从本机文件到 PostgreSQL 服务器）",
        description="把源数据库的全部记录（含修改记录和账号）复制到一个空的目标数据库，复制后逐表核对行数和校验和。"
        "任何一步出错或中途取消，目标数据库都不会留下记录。",
    )
    migrate.add_argument("--from", dest="source", required=True, metavar="源", help="源数据库：文件路径或 URL")
    migrate.add_argument(
        "--to", dest="target", required=True, metavar="目标",
        help="目标数据库：新文件路径，或 PostgreSQL 的 URL（如 postgresql://用户@服务器/库名，库须已建好且为空）",
    )  # fmt: skip
    add_user_option(migrate)
    migrate.set_defaults(func=cmd_migrate)
