"""``countyhealth export``: the submission sheets as one workbook."""

from __future__ import annotations

import argparse


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.cli import open_db
    from desktop.cli.checks import resolve_period
    from desktop.excel.export import export_workbook
    from desktop.excel.sheets import SHEETS

    keys = list(SHEETS) if args.sheet == "all" else [args.sheet]
    period = resolve_period(args)
    db = open_db(args)
    try:
        result = export_workbook(
            db, keys, period, args.out, user=db.actor.name, unmask_ids=args.unmask_ids, all_staff=args.all_staff
        )
    finally:
        db.close()
    sheets = "、".join(f"{SHEETS[k][0]}（{n} 行）" for k, n in result.rows.items())
    print(f"已导出 {period.label}：{sheets}")
    print(f"文件：{result.path}")
    print("已记入上报记录。")  # with the file's checksum, which a clerk has no use for on screen
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
    export.add_argument(
        "--unmask-ids",
        action="store_true",
        help="显示完整的身份证号码和电话号码（默认身份证号码只显示前6位和后4位；此操作会被记录）",
    )
    export.add_argument(
        "--all-staff", action="store_true", help="卫生人员花名册同时列出已离职、退休、调出的人员（注明在岗状态）"
    )
    export.set_defaults(func=cmd_export)
    register_import(sub)
    register_report(sub)


def cmd_template(args: argparse.Namespace) -> int:
    from desktop.cli import open_db
    from desktop.excel.templates import TEMPLATES, fill_template, write_template

    db = open_db(args)
    try:
        with db.session() as session:
            if args.with_records:
                path = fill_template(session, args.kind, args.out, unmask=args.unmask_ids)
                session.commit()  # the record of an unmasked file
            else:
                path = write_template(session, args.kind, args.out)
    finally:
        db.close()
    what = "（含现有记录）" if args.with_records else ""
    print(f"已生成{TEMPLATES[args.kind].label}导入模板{what}：{path}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:  # noqa: C901
    from desktop.cli import open_db
    from desktop.excel.importer import layout_mapping, run_import, write_problem_workbook
    from desktop.excel.mapping import ColumnMapping
    from desktop.excel.templates import TEMPLATES

    mapping = ColumnMapping.load(args.mapping) if args.mapping else None
    db = open_db(args)
    try:
        report = run_import(
            db,
            args.kind,
            args.file,
            user=db.actor.name,
            dry_run=args.dry_run,
            good_rows_only=args.good_rows_only,
            mapping=mapping,
        )
    finally:
        db.close()
    for layout in report.layouts:
        if layout.in_template_columns and not mapping:
            continue  # our own template: its columns are the fields' own
        how = "（上次确认的列对应）" if layout.remembered else "（按列对应文件）" if mapping else ""
        print(f"工作表“{layout.sheet}”第{layout.table.header_row}行为表头，列对应{how}：{layout.described()}")
    for layout in report.layouts:
        if layout.table.left_out:
            print(f"工作表“{layout.sheet}”未作为记录读取：{layout.left_out()}")
    if report.skipped_sheets:
        print(f"未找到表头、未导入的工作表：{'、'.join(report.skipped_sheets)}")
    if report.hidden_sheets:
        print(f"隐藏的工作表未导入：{'、'.join(report.hidden_sheets)}")
    if args.save_mapping and report.layouts:
        used = layout_mapping(report.layouts[0], args.kind)
        print(f"列对应已保存到：{_save_mapping(used, TEMPLATES[args.kind].rtype, args.save_mapping)}")
    print(f"{TEMPLATES[args.kind].label}导入：{report.summary()}")
    if report.ignored_columns:
        print(f"未导入的列：{'、'.join(report.ignored_columns)}")
    for p in report.problems:
        shown = report.shown_value(p)
        print(f"  {p.where}：{p.message}" + (f"（内容：{shown}）" if shown else ""))
    if report.readings:
        print("按常用写法读取：")
        for r in report.readings:
            print(f"  {r.header}：{r.shown}（{r.cells} 个单元格）")
    if report.notes:
        print(f"清理清单（{len(report.notes)} 处，已自动删除，不影响导入）：")
        for p in report.notes:
            print(f"  {p.where}：{p.message}")
    if args.problems and (report.problems or report.notes):
        print(f"问题已标注在：{write_problem_workbook(report, args.problems)}")
    if args.dry_run:
        print("试导入：未写入数据库。")
    elif report.problems and not args.good_rows_only:
        print("发现问题，未写入任何数据。可修改后重新导入，或加 --good-rows-only 只导入没有问题的行。")
    else:
        print(f"已写入 {report.written} 条记录。")
    return 2 if report.problems else 0


def _save_mapping(mapping, rtype, out: str):
    from pathlib import Path

    from db.files import as_write_error, written_whole

    try:
        with written_whole(out) as partial:
            partial.write_text(mapping.to_json(rtype), encoding="utf-8")
    except OSError as exc:
        raise as_write_error(exc, out) from None
    return Path(out)


def register_import(sub) -> None:
    from desktop.cli import add_db_option
    from desktop.excel.templates import TEMPLATES

    kinds = "；".join(f"{k}：{t.label}" for k, t in TEMPLATES.items())
    template = sub.add_parser(
        "template", help="生成导入模板（Excel）", description=f"生成供乡镇填报的导入模板。类型：{kinds}"
    )
    template.add_argument("kind", choices=list(TEMPLATES), metavar="KIND", help="模板类型")
    add_db_option(template)
    template.add_argument("--out", required=True, help="输出文件（.xlsx）")
    template.add_argument("--with-records", action="store_true", help="填入数据库中的现有记录，供核对修改")
    template.add_argument(
        "--unmask-ids", action="store_true", help="填入完整的身份证号码和电话号码（默认隐去中间几位；此操作会被记录）"
    )
    template.set_defaults(func=cmd_template)

    imp = sub.add_parser(
        "import",
        help="导入填好的模板",
        description=(
            "逐格检查后导入；有问题时默认不写入任何数据。重点任务台账中的“推进情况”列记为各任务今天的进展。"
            "返回值：0 全部写入，2 发现问题，1 文件无法读取。"
        ),
    )
    imp.add_argument("kind", choices=list(TEMPLATES), metavar="KIND", help=f"模板类型。{kinds}")
    imp.add_argument("file", help="填好的模板，或本单位自己的表格（.xlsx .xls .et .ods .csv）")
    add_db_option(imp)
    imp.add_argument("--dry-run", action="store_true", help="只检查、预览，不写入")
    imp.add_argument("--good-rows-only", action="store_true", help="有问题时只导入没有问题的行")
    imp.add_argument("--problems", metavar="FILE.xlsx", help="把问题标注在文件副本中另存为此文件")
    imp.add_argument(
        "--mapping", metavar="FILE.json", help="按此列对应文件读取各列（可先用 --save-mapping 保存后修改）"
    )
    imp.add_argument("--save-mapping", metavar="FILE.json", help="把本次使用（或建议）的列对应保存为此文件")
    imp.set_defaults(func=cmd_import)


def cmd_report(args: argparse.Namespace) -> int:
    from desktop.cli import open_db
    from desktop.cli.checks import resolve_period
    from desktop.report.build import build_report
    from desktop.report.content import Letterhead

    period = resolve_period(args)
    db = open_db(args)
    letterhead = Letterhead(doc_number=args.doc_number or "", addressee=args.addressee or "")
    try:
        result = build_report(db, period, args.out, letterhead=letterhead)
    finally:
        db.close()
    if result.pages:
        print(f"已生成{period.label}工作报告：{result.path}（{result.pages} 页，字体：{result.font.family}）")
    else:
        print(f"已生成{period.label}工作报告的 Word 文件：{result.path}（可修改后再签发）")
    if result.font.warning and result.pages:
        print(f"注意：{result.font.warning}")
    return 0


def register_report(sub) -> None:
    from desktop.cli import add_db_option
    from desktop.cli.checks import add_period_options

    report = sub.add_parser(
        "report",
        help="生成季度报告（PDF 或 Word）",
        description="按公文格式生成季度工作报告：PDF 可直接打印，Word 文件可修改后再签发（格式由扩展名决定）",
    )
    add_db_option(report)
    add_period_options(report)
    report.add_argument("--out", required=True, help="输出文件（.pdf 或 .docx）")
    report.add_argument(
        "--doc-number", metavar="字号", help="发文字号，如 清卫健〔2026〕15号（默认按县域信息的机关代字）"
    )
    report.add_argument("--addressee", metavar="机关", help="主送机关，如 县人民政府（默认按县域信息）")
    report.set_defaults(func=cmd_report)
