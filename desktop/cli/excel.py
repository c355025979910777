"""``countyhealth export``: the submission sheets as one workbook."""

from __future__ import annotations

import argparse
import getpass


def cmd_export(args: argparse.Namespace) -> int:
    from db import open_database
    from desktop.cli.checks import resolve_period
    from desktop.excel.export import export_workbook
    from desktop.excel.sheets import SHEETS

    keys = list(SHEETS) if args.sheet == "all" else [args.sheet]
    period = resolve_period(args)
    db = open_database(args.db)
    try:
        result = export_workbook(
            db, keys, period, args.out, user=args.user or getpass.getuser(), unmask_ids=args.unmask_ids
        )
    finally:
        db.close()
    sheets = "、".join(f"{SHEETS[k][0]}（{n} 行）" for k, n in result.rows.items())
    print(f"已导出 {period.label}：{sheets}")
    print(f"文件：{result.path}")
    print(f"SHA-256：{result.sha256}（已记入上报记录）")
    return 0


def register(sub) -> None:
    from desktop.cli import add_db_option
    from desktop.cli.checks import add_period_options
    from desktop.excel.sheets import SHEETS

    names = "；".join(f"{k}：{label}" for k, (label, _) in SHEETS.items())
    export = sub.add_parser(
        "export", help="导出上报报表（Excel）", description=f"导出上报报表。报表：{names}；all：全部"
    )
    export.add_argument("sheet", choices=[*SHEETS, "all"], metavar="SHEET", help="报表名称，或 all 导出全部")
    add_db_option(export)
    add_period_options(export)
    export.add_argument("--out", required=True, help="输出文件（.xlsx）")
    export.add_argument("--unmask-ids", action="store_true", help="显示完整身份证号码（默认只显示前6位和后4位）")
    export.add_argument("--user", help="导出人（默认为当前系统用户）")
    export.set_defaults(func=cmd_export)
