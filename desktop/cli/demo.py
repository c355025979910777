"""``countyhealth demo`` and ``countyhealth info``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time


def progress_printer(label: str):
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] > 0.5 or done == total:
            last[0] = now
            print(f"\r{label}：{done}/{total}（{done * 100 // max(total, 1)}%）", end="", file=sys.stderr)
            if done == total:
                print(file=sys.stderr)

    return progress


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def cmd_demo(args: argparse.Namespace) -> int:
    from desktop.cli import open_db
    from desktop.demo import DemoOptions, write_demo

    options = DemoOptions(scale=args.scale, seed=args.seed, as_of=args.as_of)
    db = open_db(args, create=True)
    try:
        started = time.perf_counter()
        summary = write_demo(db, options, progress=progress_printer("写入示范数据"))
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
    from desktop.cli import open_db
    from desktop.figures import headline_figures
    from desktop.overview import overview
    from desktop.periods import Period

    db = open_db(args)
    today = dt.date.today()
    try:
        with db.session() as session:
            o = overview(session)
            now = headline_figures(session, Period.quarter_of(today), today=today, findings=False)
    finally:
        db.close()
    print(f"数据库：{db.path or db.url}")
    print(f"所属地区：{o.area_name or '（未设置）'}    单位：{o.bureau_name or '（未设置）'}")
    print(
        f"区划 {o.divisions} 个，机构 {now.facilities} 个，在岗人员 {now.staff_on_post} 人，"
        f"建设项目 {o.projects} 个，重点任务 {o.key_tasks} 项"
    )
    return 0


def register(sub) -> None:
    from desktop.cli import add_db_option

    demo = sub.add_parser(
        "demo", help="生成示范县（或示范市）数据", description="向空数据库写入一个虚构但逼真的示范县或示范市"
    )
    add_db_option(demo)
    demo.add_argument(
        "--scale",
        choices=("county", "city"),
        default="county",
        help="county：一个县（约2500人）；city：十个县组成的市（约25000人）",
    )
    demo.add_argument("--seed", type=int, default=2026, help="随机种子；相同种子生成相同数据")
    demo.add_argument("--as-of", type=parse_date, default=dt.date(2026, 9, 30), help="数据截止日期（默认 2026-09-30）")
    demo.set_defaults(func=cmd_demo)

    info = sub.add_parser("info", help="显示数据库概况", description="打开（必要时升级）数据库并显示各类记录数")
    add_db_option(info)
    info.set_defaults(func=cmd_info)
