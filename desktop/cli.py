"""The ``countyhealth`` command: a thin shell over the core, for staff and for scripts."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Sequence

from desktop import PRODUCT_NAME, __version__


def _progress_printer(label: str):
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] > 0.5 or done == total:
            last[0] = now
            print(f"\r{label}：{done}/{total}（{done * 100 // max(total, 1)}%）", end="", file=sys.stderr)
            if done == total:
                print(file=sys.stderr)

    return progress


def cmd_demo(args: argparse.Namespace) -> int:
    from db import open_database
    from desktop.demo import DemoOptions, write_demo

    options = DemoOptions(scale=args.scale, seed=args.seed, as_of=args.as_of)
    db = open_database(args.db)
    try:
        started = time.perf_counter()
        summary = write_demo(db, options, progress=_progress_printer("写入示范数据"))
        elapsed = time.perf_counter() - started
    finally:
        db.close()
    rows = summary.rows
    names = "、".join(c.name + "县" for c in summary.counties)
    print(
        f"已写入示范数据（{names}）：区划 {rows.get('divisions', 0)} 个，机构 {rows.get('facilities', 0)} 个，"
        f"人员 {rows.get('staff', 0)} 人，建设项目 {rows.get('projects', 0)} 个，"
        f"重点任务 {rows.get('key_tasks', 0)} 项；用时 {elapsed:.1f} 秒。"
    )
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from db import open_database
    from desktop.overview import overview

    db = open_database(args.db)
    try:
        with db.session() as session:
            o = overview(session)
    finally:
        db.close()
    print(f"数据库：{db.path or db.url}")
    print(f"所属地区：{o.area_name or '（未设置）'}    单位：{o.bureau_name or '（未设置）'}")
    print(
        f"区划 {o.divisions} 个，机构 {o.facilities} 个，在岗人员 {o.staff_on_post} 人，"
        f"建设项目 {o.projects} 个，重点任务 {o.key_tasks} 项"
    )
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def _parser(**kwargs: object) -> argparse.ArgumentParser:
    """An ArgumentParser whose own words (help option, section titles) are Chinese too."""
    parser = argparse.ArgumentParser(add_help=False, **kwargs)
    parser.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    parser._optionals.title = "选项"
    parser._positionals.title = "参数"
    return parser


def build_parser() -> argparse.ArgumentParser:
    from desktop.paths import default_database_path

    parser = _parser(prog="countyhealth", description=f"{PRODUCT_NAME}（CountyHealth Desk）命令行工具")
    parser.add_argument("--version", action="version", version=f"countyhealth {__version__}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", title="子命令", metavar="子命令", required=True, parser_class=_parser)
    db_help = f"数据库文件路径或 SQLAlchemy URL（默认：{default_database_path()}）"

    demo = sub.add_parser(
        "demo", help="生成示范县（或示范市）数据", description="向空数据库写入一个虚构但逼真的示范县或示范市"
    )
    demo.add_argument("--db", default=str(default_database_path()), help=db_help)
    demo.add_argument(
        "--scale",
        choices=("county", "city"),
        default="county",
        help="county：一个县（约2500人）；city：十个县组成的市（约25000人）",
    )
    demo.add_argument("--seed", type=int, default=2026, help="随机种子；相同种子生成相同数据")
    demo.add_argument("--as-of", type=_date, default=dt.date(2026, 9, 30), help="数据截止日期（默认 2026-09-30）")
    demo.set_defaults(func=cmd_demo)

    info = sub.add_parser("info", help="显示数据库概况", description="打开（必要时升级）数据库并显示各类记录数")
    info.add_argument("--db", default=str(default_database_path()), help=db_help)
    info.set_defaults(func=cmd_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from db import DatabaseOpenError
    from desktop.demo import DemoError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (DatabaseOpenError, DemoError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
