"""``countyhealth plans``: the development plans (十四五, 十五五) and their indicators."""

from __future__ import annotations

import argparse
import json

from db.codes import INDICATOR_ATTRIBUTE
from db.errors import UserError


def _number(value: float | None, year: int | None = None) -> str:
    shown = "—" if value is None else f"{value:g}"
    return f"{shown}（{year}年）" if year else shown


def cmd_list(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from db.models import Indicator, Plan
    from desktop.cli import open_db
    from desktop.textable import table

    db = open_db(args)
    try:
        with db.session() as session:
            counts = dict(session.execute(select(Indicator.plan_id, func.count()).group_by(Indicator.plan_id)).all())
            plans = session.scalars(select(Plan).order_by(Plan.start_year, Plan.id)).all()
            body = [[p.name, f"{p.start_year}～{p.end_year}年", counts.get(p.id, 0), p.source or ""] for p in plans]
    finally:
        db.close()
    if args.json:
        print(
            json.dumps(
                [dict(zip(("name", "years", "indicators", "source"), r, strict=True)) for r in body], ensure_ascii=False
            )
        )
        return 0
    if not body:
        print("尚未录入规划。")
        return 0
    print(table(["规划", "规划期", "指标数", "规划文件"], body, numeric=(2,)))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from db.models import Plan
    from desktop.cli import open_db
    from desktop.norm_parameters import INDICATOR_NAMES
    from desktop.textable import table

    db = open_db(args)
    try:
        with db.session() as session:
            plan = session.scalar(select(Plan).where(Plan.name == args.name.strip()))
            if plan is None:
                names = "、".join(session.scalars(select(Plan.name).order_by(Plan.start_year)))
                raise UserError(f"没有名为“{args.name}”的规划。已录入的规划：{names or '无'}")
            title = f"“{plan.name}”规划（{plan.start_year}～{plan.end_year}年）{plan.source or ''}"
            body = [
                [
                    i.domain,
                    i.name,
                    i.unit,
                    f"{_number(i.baseline_value)}（{i.baseline_year}年）"
                    if i.baseline_year
                    else _number(i.baseline_value),
                    ("≥" if i.direction == "at_least" else "≤")
                    + (f"{_number(i.target_value)}（{i.target_year}年）" if i.target_year else _number(i.target_value)),
                    INDICATOR_ATTRIBUTE[i.attribute],
                    f"由台账计算（{INDICATOR_NAMES.get(i.computed_by, i.computed_by)}）" if i.computed_by else "填报",
                ]
                for i in plan.indicators
            ]
    finally:
        db.close()
    print(title)
    print(table(["领域", "指标", "单位", "基期值", "目标值", "属性", "数值来源"], body))
    return 0


def register(sub) -> None:
    from desktop.cli import add_db_option

    plans = sub.add_parser("plans", help="规划及其指标", description="查看已录入的发展规划（如十四五、十五五）及其指标")
    actions = plans.add_subparsers(dest="action", required=True, metavar="操作")
    listed = actions.add_parser("list", help="列出已录入的规划")
    add_db_option(listed)
    listed.add_argument("--json", action="store_true", help="以 JSON 输出")
    listed.set_defaults(func=cmd_list)
    show = actions.add_parser("show", help="列出一个规划的全部指标")
    add_db_option(show)
    show.add_argument("name", help="规划名称，如 十四五")
    show.set_defaults(func=cmd_show)
