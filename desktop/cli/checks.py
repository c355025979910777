"""``countyhealth check``, ``figures``, ``indicators`` and ``subsidies``: findings and figures of a period."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json

from db.codes import INDICATOR_ATTRIBUTE, SEVERITY
from desktop.checks.findings import cn_date
from desktop.periods import Period


def add_period_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--year", type=Period.year_option, help="报告年度，如 2026")
    group.add_argument("--period", help="报告季度，如 2026Q3（默认：最近一个已结束的季度）")


def resolve_period(args: argparse.Namespace):
    from desktop.periods import Period

    if args.year is not None:
        return Period(args.year)
    if args.period:
        return Period.parse(args.period)
    return Period.last_complete_quarter(dt.date.today())


def _dump(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _area(session) -> str:
    from desktop.overview import overview

    return overview(session).area_name or ""


def cmd_check(args: argparse.Namespace) -> int:
    from desktop.checks.runner import run_checks
    from desktop.cli import open_db

    period = resolve_period(args)
    db = open_db(args)
    try:
        with db.session() as session:
            run = run_checks(session, period, rule_ids=args.rule or None)
            session.commit()  # keeps the default norms loaded on first use
            area = _area(session)
    finally:
        db.close()
    if args.json:
        _dump([f.as_dict() for f in run.findings])
        return 0
    counts = {s: sum(1 for f in run.findings if f.severity == s) for s in SEVERITY}
    print(f"{area}{period.label}核查结果（核查日期 {run.as_of}，按该日生效的规范）")
    print(
        f"共发现问题 {len(run.findings)} 条："
        + "，".join(f"{SEVERITY[s]} {n} 条" for s, n in counts.items())
        + f"；运行规则 {len(run.rules_run)} 条"
        + (f"，已停用 {len(run.rules_off)} 条" if run.rules_off else "")
        + (f"，无判定依据 {len(run.rules_idle)} 条" if run.rules_idle else "")
    )
    for rule_id, findings in run.by_rule().items():
        first = findings[0]
        print(f"\n【{first.severity_label}】{first.rule_name}（{rule_id}）{len(findings)} 条")
        rule_source = run.norms[rule_id].source
        print(f"  依据：{rule_source}")
        for i, f in enumerate(findings, 1):  # a finding about a document of its own (a task's) cites it
            print(f"  {i}. {f.cited(rule_source)}")
    clean = [run.norms[r].name for r in run.rules_run if r not in run.by_rule()]
    if clean:
        print(f"\n未发现问题的规则：{'、'.join(clean)}")
    for rule_id, why in run.rules_idle.items():
        print(f"无判定依据的规则：{run.norms[rule_id].name}（{why}）")
    return 0


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def cmd_indicators(args: argparse.Namespace) -> int:
    from desktop.cli import open_db
    from desktop.indicators import indicator_table
    from desktop.plans import plan_in_force, targets_note
    from desktop.textable import table

    db = open_db(args)
    try:
        with db.session() as session:
            rows = indicator_table(session, args.year)
            plan = plan_in_force(session, args.year)
            area = _area(session)
    finally:
        db.close()
    if args.json:
        _dump([dataclasses.asdict(r) | {"verdict": r.verdict} for r in rows])
        return 0
    verdicts = {"met": "达标", "not_met": "未达标", None: "—"}
    print(f"{area}规划指标监测（{args.year}年）")
    print(targets_note(plan, args.year))
    body = [
        [
            r.domain,
            r.name,
            r.unit,
            _number(r.baseline_value),
            ("≥" if r.direction == "at_least" else "≤") + _number(r.target_value),
            _number(r.value) if r.value is not None else (r.reason or "—"),
            "计算" if r.computed else "填报",
            verdicts[r.verdict],
            INDICATOR_ATTRIBUTE[r.attribute],
        ]
        for r in rows
    ]
    headers = ["领域", "指标", "单位", "基期值", "目标值", f"{args.year}年", "来源", "判定", "属性"]
    print(table(headers, body, numeric=(3, 4, 5)))
    return 0


def cmd_figures(args: argparse.Namespace) -> int:
    from desktop.cli import open_db
    from desktop.figures import headline_figures
    from desktop.textable import table

    period = resolve_period(args)
    db = open_db(args)
    try:
        with db.session() as session:
            figures = headline_figures(session, period)
            session.commit()  # keeps the default norms loaded on first use
            area = _area(session)
    finally:
        db.close()
    if args.json:
        _dump(figures.as_dict())
        return 0
    print(f"{area}{period.label}主要数据（截至{cn_date(figures.as_of)}）")
    print(table(["项目", "数值"], [list(line) for line in figures.lines()], numeric=(1,)))
    return 0


def cmd_subsidies(args: argparse.Namespace) -> int:
    from desktop.cli import open_db
    from desktop.subsidies import subsidy_roster
    from desktop.textable import table

    period = resolve_period(args)
    db = open_db(args)
    try:
        with db.session() as session:
            roster = subsidy_roster(session, period)
            session.commit()
    finally:
        db.close()
    if args.json:
        _dump([dataclasses.asdict(line) for line in roster.lines])
        return 0
    body = [[x.township, x.facility, x.name, x.category, x.monthly_yuan, x.basis] for x in roster.lines]
    print(table(["乡镇", "机构", "姓名", "类别", "月补贴（元）", "依据"], body, numeric=(4,)))
    print(f"\n{period.label}：{roster.summary()}。")
    for x in roster.withheld:
        print(f"不予发放：{x.facility}{x.name}（{x.basis}）")
    return 0


def register(sub) -> None:
    from desktop.checks.runner import check_rule_ids
    from desktop.cli import add_db_option

    check = sub.add_parser(
        "check",
        help="按规范核查并列出问题清单",
        description="按报告期当日生效的规范核查全部记录，列出问题清单；无论发现多少问题，运行成功即返回 0。",
    )
    add_db_option(check)
    add_period_options(check)
    check.add_argument("--json", action="store_true", help="以 JSON 数组输出")
    check.add_argument(
        "--rule", action="append", metavar="ID", help=f"只运行指定规则（可重复）：{'、'.join(check_rule_ids())}"
    )
    check.set_defaults(func=cmd_check)

    fig = sub.add_parser(
        "figures",
        help="主要数据（机构、在岗人员、床位、补贴、问题）",
        description="列出报告期的主要数据；工作台、各页面、报表和季度报告中的同一数据均与此一致",
    )
    add_db_option(fig)
    add_period_options(fig)
    fig.add_argument("--json", action="store_true", help="以 JSON 输出")
    fig.set_defaults(func=cmd_figures)

    ind = sub.add_parser(
        "indicators", help="规划指标监测表", description="列出规划指标的基期值、目标值和指定年度的数值"
    )
    add_db_option(ind)
    ind.add_argument("--year", type=Period.year_option, required=True, help="年度，如 2026")
    ind.add_argument("--json", action="store_true", help="以 JSON 数组输出")
    ind.set_defaults(func=cmd_indicators)

    sub_ = sub.add_parser("subsidies", help="生活补贴名册", description="列出报告期内享受每月生活补贴的人员及依据")
    add_db_option(sub_)
    add_period_options(sub_)
    sub_.add_argument("--json", action="store_true", help="以 JSON 数组输出")
    sub_.set_defaults(func=cmd_subsidies)
