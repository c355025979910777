"""``countyhealth exchange``: exchange files between a township, its county and the city."""

from __future__ import annotations

import argparse
from pathlib import Path


def _period(text: str):
    from desktop.periods import Period, PeriodError

    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _in_session(args: argparse.Namespace, work, *, needs: tuple[str, str] | None = None):
    """Open ``--db`` (signing in where required), run ``work(session, user)`` in one session, commit, close."""
    from desktop.cli import open_db

    db = open_db(args)
    try:
        if needs:
            db.actor.require(*needs)
        with db.session() as session:
            result = work(session, db.actor.name)
            session.commit()
        return result
    finally:
        db.close()


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.exchange.export import export_area

    summary = _in_session(  # the commit keeps the signing key, made on the first export
        args,
        lambda s, user: export_area(
            s, period=args.period, out=Path(args.out), user=user, area_code=args.area, to=args.to
        ),
    )
    counts = summary.counts
    print(
        f"已导出{summary.sender}{args.period.label}交换文件：{summary.path}\n"
        f"机构 {counts['facilities']:,} 个，人员 {counts['staff']:,} 人，建设项目 {counts['projects']:,} 个，"
        f"重点任务 {counts['key_tasks']:,} 项；共 {sum(counts.values()):,} 条记录。\n"
        f"已加密：只有“{summary.receiver}”的数据库能打开。\n"
        f"签名指纹：{summary.fingerprint}（接收方首次导入时可电话核对）"
    )
    return 0


def cmd_key(args: argparse.Namespace) -> int:
    from desktop.exchange.identity import write_key_file

    path, printed = _in_session(args, lambda s, _user: write_key_file(s, Path(args.out)))  # the commit keeps the key
    print(f"已导出本库的接收密钥：{path}\n接收密钥指纹：{printed}\n"
          "请把此文件发给下级单位，并在对方登记时电话核对指纹。文件不含任何机密，可通过普通渠道发送。")  # fmt: skip
    return 0


def cmd_receiver(args: argparse.Namespace) -> int:
    from desktop.exchange.container import fingerprint
    from desktop.exchange.identity import register_receiver

    receiver, old = _in_session(
        args,
        lambda s, user: register_receiver(s, Path(args.file), user=user, reason=args.reason),
        needs=("manage", "登记接收单位的密钥"),
    )
    new = fingerprint(receiver.public_key)
    change = f"（原指纹 {old}）" if old else ""
    print(f"已登记接收单位“{receiver.name}”（{receiver.division_code}），接收密钥指纹 {new}{change}；"
          "原因已记入修改记录。此后导出的交换文件只有该单位的数据库能打开。")  # fmt: skip
    return 0


def cmd_receivers(args: argparse.Namespace) -> int:
    from desktop.exchange.container import fingerprint
    from desktop.exchange.identity import receivers

    rows = _in_session(args, lambda s, _user: [(r.name, r.division_code, fingerprint(r.public_key),
                                                r.registered_by, r.registered_at) for r in receivers(s)])  # fmt: skip
    if not rows:
        print("尚未登记接收单位：请上级单位导出接收密钥文件（.chk），核对指纹后用 exchange receiver 登记。")
    for name, code, printed, by, at in rows:
        print(f"{name}\t{code}\t接收密钥指纹 {printed}\t{by} 登记于 {at:%Y-%m-%d}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.exchange.approval import receive_file

    plan, receipt = _in_session(args, lambda s, user: receive_file(s, Path(args.file), user=user, dry_run=args.dry_run))
    print(f"{plan.sender_name}（{plan.sender_code}）{plan.period.label}交换文件：")
    for tp in plan.tables.values():
        if tp.new or tp.changed or tp.removed or tp.missing or tp.unchanged:
            print(f"  {tp.spec.label}：{tp.summary()}")
            for line in tp.changes():
                print(f"    {line}")
    if not plan.confirmed:
        first = "首次收到该单位的文件" if plan.first_from_sender else "该单位的签名尚未确认"
        print(f"{first}，签名指纹：{plan.fingerprint}（请与报送单位电话核对；一致后由管理员确认，才能审核）")
    for p in plan.problems:
        print(f"  {p.where}：{p.message}")
    if plan.problems:
        print(f"发现 {len(plan.problems)} 处问题，未导入任何记录。")
        return 2
    if args.dry_run:
        print("试导入：未写入数据库。")
        return 0
    print(f"已收下（待审核，编号 {receipt.id}）：审核通过后才计入本库的数据。")
    if not plan.confirmed:
        print(f"确认指纹：countyhealth exchange confirm --from {plan.sender_code} --reason 原因")
    print(f"审核：countyhealth exchange approve --from {plan.sender_code} --period {plan.period}")
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    from desktop.cli.demo import progress_printer
    from desktop.exchange.approval import approve

    plan, written = _in_session(
        args,
        lambda s, user: approve(s, args.sender, args.period, user=user, progress=progress_printer("合并")),
        needs=("manage", "审核下级报送的数据"),
    )
    print(f"已审核通过{plan.sender_name}{plan.period.label}数据并锁定：写入 {written:,} 条记录。")
    return 0


def cmd_reopen(args: argparse.Namespace) -> int:
    from desktop.exchange.approval import reopen

    receipt = _in_session(
        args,
        lambda s, user: reopen(s, args.sender, args.period, user=user, reason=args.reason),
        needs=("manage", "重新打开已审核的数据"),
    )
    print(f"已重新打开{receipt.sender_name}{args.period.label}数据（原因：{args.reason.strip()}），可重新报送或修改。")
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    from desktop.exchange.approval import rekey

    old, new = _in_session(
        args,
        lambda s, user: rekey(s, Path(args.file), user=user, reason=args.reason),
        needs=("manage", "改认报送单位的签名密钥"),
    )
    print(f"已改认新密钥：指纹 {old} → {new}（原因已记入修改记录）。现在可以导入此文件。")
    return 0


def cmd_confirm(args: argparse.Namespace) -> int:
    from desktop.exchange.approval import confirm
    from desktop.exchange.container import fingerprint

    sender = _in_session(
        args,
        lambda s, user: confirm(s, args.sender, user=user, reason=args.reason),
        needs=("manage", "确认报送单位的签名指纹"),
    )
    print(f"已确认“{sender.name}”（{sender.division_code}）的签名指纹 {fingerprint(sender.public_key)}"
          "（原因已记入修改记录）。现在可以审核该单位的文件。")  # fmt: skip
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from desktop.exchange.approval import UNCONFIRMED, period_status, status_summary

    rows = _in_session(args, lambda s, _user: period_status(s, args.period))
    if not rows:
        print("本库尚未设置所属地区，或其下还没有地区。")
        return 0
    for row in rows:
        when = ""
        if row.receipt is not None:
            when = f"（收到 {row.receipt.received_at:%Y-%m-%d %H:%M}，{row.receipt.file_name}）"
        if row.label == UNCONFIRMED:
            when += f"（签名指纹 {row.fingerprint}）"
        print(f"{row.name}\t{row.label}{when}")
    print(status_summary(rows))
    return 0


def register(sub) -> None:
    from desktop.cli import _parser, add_db_option

    exchange = sub.add_parser(
        "exchange", help="数据交换：下级导出交换文件，上级导入、审核", description="乡镇与县、县与市之间的离线数据交换"
    )
    steps = exchange.add_subparsers(dest="step", title="步骤", metavar="步骤", required=True, parser_class=_parser)

    export = steps.add_parser("export", help="导出本地区的交换文件（加密给接收单位，并签名）")
    add_db_option(export)
    export.add_argument("--period", required=True, type=_period, help="报送期，如 2026Q3")
    export.add_argument("--out", required=True, help="输出文件（.chx）")
    export.add_argument("--area", help="以哪个地区的名义导出（区划代码；默认：本库所属地区）")
    export.add_argument("--to", metavar="区划代码", help="报送给哪个接收单位（默认：唯一登记的接收单位）")
    export.set_defaults(func=cmd_export)

    key = steps.add_parser("key", help="导出本库的接收密钥文件（.chk），供下级登记")
    add_db_option(key)
    key.add_argument("--out", required=True, help="输出文件（.chk）")
    key.set_defaults(func=cmd_key)

    receiver = steps.add_parser("receiver", help="登记上级单位的接收密钥（电话核对指纹后；须写明原因）")
    receiver.add_argument("file", help="上级单位发来的接收密钥文件（.chk）")
    add_db_option(receiver)
    receiver.add_argument("--reason", required=True, help="登记的原因（记入修改记录）")
    receiver.set_defaults(func=cmd_receiver)

    listed = steps.add_parser("receivers", help="已登记的接收单位")
    add_db_option(listed)
    listed.set_defaults(func=cmd_receivers)

    imported = steps.add_parser("import", help="导入下级的交换文件（核对签名，待审核）")
    imported.add_argument("file", help="交换文件（.chx）")
    add_db_option(imported)
    imported.add_argument("--dry-run", action="store_true", help="只检查并列出将要发生的变化，不写入")
    imported.set_defaults(func=cmd_import)

    for name, helptext, func in (("approve", "审核通过并锁定该期数据", cmd_approve),
                                 ("reopen", "重新打开已审核的数据（须写明原因）", cmd_reopen)):  # fmt: skip
        step = steps.add_parser(name, help=helptext)
        add_db_option(step)
        step.add_argument("--from", dest="sender", required=True, metavar="区划代码", help="报送单位的区划代码")
        step.add_argument("--period", required=True, type=_period, help="报送期，如 2026Q3")
        if name == "reopen":
            step.add_argument("--reason", required=True, help="重新打开的原因（记入修改记录）")
        step.set_defaults(func=func)

    rekeyed = steps.add_parser("rekey", help="改认报送单位的新签名密钥（电话核实后；须写明原因）")
    rekeyed.add_argument("file", help="该单位用新密钥签名的交换文件（.chx）")
    add_db_option(rekeyed)
    rekeyed.add_argument("--reason", required=True, help="改认的原因（记入修改记录）")
    rekeyed.set_defaults(func=cmd_rekey)

    confirmed = steps.add_parser("confirm", help="确认首次报送单位的签名指纹（电话核对后；须写明原因）")
    add_db_option(confirmed)
    confirmed.add_argument("--from", dest="sender", required=True, metavar="区划代码", help="报送单位的区划代码")
    confirmed.add_argument("--reason", required=True, help="确认的原因（记入修改记录）")
    confirmed.set_defaults(func=cmd_confirm)

    status = steps.add_parser("status", help="本期各下级的报送与审核情况")
    add_db_option(status)
    status.add_argument("--period", required=True, type=_period, help="报送期，如 2026Q3")
    status.set_defaults(func=cmd_status)
