"""``countyhealth setup``: a real county (or city) from the official division codes, on a bureau's first day;
with ``--update``, its divisions brought to the catalogue's edition later."""

from __future__ import annotations

import argparse

from db.errors import UserError


def cmd_setup(args: argparse.Namespace) -> int:
    from desktop.cli import open_db
    from desktop.division_setup import AlreadySetUp, find_area, set_up_area, update_area

    find_area(args.division)  # an unknown code is refused before any file is made
    db = open_db(args, create=not args.update)
    try:
        if args.update:
            summary = update_area(db, args.division, user=db.actor.name)
        else:
            try:
                summary = set_up_area(db, args.division, user=db.actor.name)
            except AlreadySetUp as exc:
                raise UserError(f"{exc}要按统计用区划代码更新现有的行政区划，请加上 --update 参数。") from None
    finally:
        db.close()
    print(summary.describe())
    return 0


def register(sub) -> None:
    from desktop.cli import add_db_option

    setup = sub.add_parser(
        "setup",
        help="按统计用区划代码建立本县（市）的乡镇和村",
        description="在新数据库中按 2023 年统计用区划代码建立本县（或本市）及其全部乡镇（街道）和村（社区），"
        "并填好县域信息中的地区名称和代码；加 --update 则按统计用区划代码更新已有数据库中的行政区划",
    )
    add_db_option(setup)
    setup.add_argument(
        "--division", required=True, metavar="代码", help="6 位县级代码（如 430922）或 4 位市级代码（如 4309）"
    )
    setup.add_argument(
        "--update",
        action="store_true",
        help="更新已有的行政区划：新增、更名，代码中已没有的标记为撤销（不删除）",
    )
    setup.set_defaults(func=cmd_setup)
