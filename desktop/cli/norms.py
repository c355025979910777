"""``countyhealth norms``: the rules in force, and dated changes to them."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from db.codes import SEVERITY
from desktop.norm_parameters import parameters_text


def _value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def cmd_list(args: argparse.Namespace) -> int:
    from desktop.cli import open_db
    from desktop.norms import ensure_defaults, norms_in_force
    from desktop.textable import table

    db = open_db(args)
    try:
        with db.session() as session:
            ensure_defaults(session)
            session.commit()
            norms = norms_in_force(session, args.date)
    finally:
        db.close()
    body = [
        [
            n.rule_id,
            n.name,
            "启用" if n.enabled else "停用",
            SEVERITY[n.severity],
            f"v{n.version}（{n.effective_from} 起）",
            parameters_text(n.rule_id, n.params),
        ]
        for n in norms.values()
    ]
    print(f"{args.date} 生效的规范")
    print(table(["编号", "名称", "状态", "严重程度", "版本", "参数"], body))
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from desktop.checks.findings import cn_date
    from desktop.cli import UserError, open_db
    from desktop.norms import change_norm, ensure_defaults, later_versions, periods_decided

    params = {}
    for item in args.param or []:
        if "=" not in item:
            raise UserError(f"参数应写成 名称=值，如 min=8：{item}")
        key, value = item.split("=", 1)
        params[key.strip()] = _value(value.strip())
    enabled = {"on": True, "off": False}.get(args.state) if args.state else None
    source = {
        key: value
        for key, value in (
            ("title", args.source_title),
            ("number", args.source_number),
            ("issuer", args.source_issuer),
            ("item", args.source_item),
        )
        if value is not None
    }
    if not params and enabled is None and not args.severity and not source:
        raise UserError("请至少指定一项修改：--param、--on/--off、--severity 或依据（--source-title 等）")
    db = open_db(args)
    try:
        with db.session() as session:
            ensure_defaults(session)
            later = later_versions(session, args.rule, args.effective_from)
            version = change_norm(
                session,
                args.rule,
                args.effective_from,
                params=params or None,
                enabled=enabled,
                severity=args.severity,
                note=args.note,
                source=source or None,
                carry_forward=args.carry_forward,
                user=db.actor.name,
            )
            session.commit()
            name = version.rule.name
            number = version.version
            next_one = later[0] if later else None
            next_said = (next_one.version, next_one.effective_from) if next_one else None
    finally:
        db.close()
    start = cn_date(args.effective_from)
    if next_said is None or args.carry_forward:
        also = "，此后已有的版本也采用本次修改" if next_said else ""
        changed = periods_decided(args.effective_from, None)
        print(f"已新增规则“{name}”第{number}版，自{start}起生效{also}；{changed}的核查结果随之改变，此前各期不受影响。")
    else:
        later_number, later_date = next_said
        changed = periods_decided(args.effective_from, later_date)
        print(
            f"已新增规则“{name}”第{number}版，自{start}起生效，至{cn_date(later_date)}起仍按第{later_number}版；"
            + (f"{changed}的核查结果随之改变。" if changed else "没有哪一期的核查结果因此改变。")
            + "如要此后的版本也采用本次修改，请加 --carry-forward 重新修改。"
        )
    return 0


def register(sub) -> None:
    from desktop.cli import add_db_option
    from desktop.cli.demo import parse_date

    norms = sub.add_parser("norms", help="查看或修改核查规范", description="查看某日生效的规范，或自某日起修改一条规范")
    actions = norms.add_subparsers(dest="action", title="操作", metavar="操作", required=True, parser_class=type(norms))
    show = actions.add_parser("list", help="列出某日生效的规范")
    add_db_option(show)
    show.add_argument("--date", type=parse_date, default=dt.date.today(), help="日期（默认今天）")
    show.set_defaults(func=cmd_list)

    change = actions.add_parser("set", help="自某日起修改一条规范（新增一个版本，旧版本保留）")
    add_db_option(change)
    change.add_argument("rule", help="规则编号，如 bed_band")
    change.add_argument("--from", dest="effective_from", type=parse_date, required=True, help="生效日期 YYYY-MM-DD")
    change.add_argument("--param", action="append", metavar="名称=值", help="修改的参数，如 --param floor=25（可重复）")
    change.add_argument("--carry-forward", action="store_true", help="生效日期之后已有版本的，这些版本也采用本次修改")
    change.add_argument("--source-title", metavar="文件名称", help="依据的文件名称，如 某省乡镇卫生院建设标准")
    change.add_argument("--source-number", metavar="文号", help="依据的文号，如 某卫发〔2026〕3号")
    change.add_argument("--source-issuer", metavar="发文单位", help="依据的发文单位")
    change.add_argument("--source-item", metavar="条款", help="依据的条款，如 第三条")
    state = change.add_mutually_exclusive_group()
    state.add_argument("--on", dest="state", action="store_const", const="on", help="启用该规则")
    state.add_argument("--off", dest="state", action="store_const", const="off", help="停用该规则")
    change.add_argument("--severity", choices=list(SEVERITY), help="严重程度：high 严重、medium 一般、low 提示")
    change.add_argument("--note", help="修改说明，如文件依据")
    change.set_defaults(func=cmd_set)
