"""``countyhealth plans``: the development plans (十四五, 十五五) and their indicators: listed, shown, a plan added,
its indicators imported from a sheet (the 规划指标 template or a bureau's own table) and exported as that template."""

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


def cmd_add(args: argparse.Namespace) -> int:
    from desktop.cli import open_db
    from desktop.records.editing import create_record
    from desktop.records.types import PLAN

    start, _dash, end = args.years.replace("～", "-").replace("—", "-").partition("-")
    raw = {"name": args.name, "start_year": start.strip(), "end_year": end.strip(), "source": args.source}
    db = open_db(args)
    try:
        with db.session() as session:
            plan = create_record(session, PLAN, raw, user=db.actor.name)  # a refusal says why, field by field
            session.commit()
            said = f"已添加“{plan.name}”规划（{plan.start_year}～{plan.end_year}年）。"
    finally:
        db.close()
    print(said + "指标可用 countyhealth plans import 从表格导入，或在窗口的“规划指标”页逐项录入。")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.cli.excel import cmd_import as import_sheet

    args.kind, args.good_rows_only, args.mapping, args.save_mapping = "indicators", False, None, None
    return import_sheet(args)


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.cli.excel import cmd_template

    args.kind, args.with_records, args.unmask_ids = "indicators", True, False
    return cmd_template(args)


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
    add = actions.add_parser("add", help="添加一个规划（其指标另行导入或录入）")
    add_db_option(add)
    add.add_argument("name", help="规划名称，如 十五五")
    add.add_argument("--years", required=True, help="规划期，如 2026-2030")
    add.add_argument("--source", help="规划文件，如《××县“十五五”卫生健康事业发展规划》")
    add.set_defaults(func=cmd_add)
    imported = actions.add_parser(
        "import",
        help="从表格导入规划指标",
        description="导入规划指标表（每行的“所属规划”须为已添加的规划）；有问题时不写入任何数据",
    )
    add_db_option(imported)
    imported.add_argument("file", help="规划指标表（.xlsx、.xls、.et、.csv 等）")
    imported.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    imported.add_argument("--problems", metavar="FILE.xlsx", help="把问题标注到一个新工作簿中")
    imported.set_defaults(func=cmd_import)
    export = actions.add_parser("export", help="导出全部规划指标（规划指标导入模板，可修改后再导入）")
    add_db_option(export)
    export.add_argument("--out", required=True, help="输出文件（.xlsx）")
    export.set_defaults(func=cmd_export)
