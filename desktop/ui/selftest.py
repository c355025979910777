"""``countyhealth-desk --self-test``: prove this installation works, without a screen and without the user's data.

Each step runs the real code on a fresh database in a temporary folder: migrations, the demo county, the
checks, one workbook and the PDF report (both read back), and the main window painted offscreen. One line
per step goes to stdout and to a log file (a windowed Windows build has no stdout); the exit code is 0
only if every step passed, and the failing step is named.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from desktop import PRODUCT_NAME, __version__

Step = tuple[str, Callable[[dict], str]]


def _database(ctx: dict) -> str:
    from db import open_database
    from db.engine import current_revision
    from db.migrations import HEAD

    ctx["db"] = db = open_database(ctx["folder"] / "自检 数据库.db")
    revision = current_revision(db.engine)
    if revision != HEAD:
        raise RuntimeError(f"数据库结构版本为 {revision}，应为 {HEAD}")
    return f"结构版本 {revision}"


def _demo(ctx: dict) -> str:
    from desktop.demo import DemoOptions, write_demo

    summary = write_demo(ctx["db"], DemoOptions())
    return f"人员 {summary.rows['staff']:,} 人，机构 {summary.rows['facilities']:,} 个"


def _checks(ctx: dict) -> str:
    from desktop.checks.runner import run_checks
    from desktop.operations import perform
    from desktop.periods import Period

    ctx["period"] = period = Period.last_complete_quarter(dt.date.today())
    run = perform(ctx["db"], lambda session: run_checks(session, period)).value  # the default norms loaded first
    if not run.findings:
        raise RuntimeError("示范数据应有核查问题，但一条也没有")
    return f"{period.label}：{len(run.findings):,} 条问题"


def _workbook(ctx: dict) -> str:
    from openpyxl import load_workbook

    from desktop.excel.export import export_workbook

    path = ctx["folder"] / "自检 人员花名册.xlsx"
    result = export_workbook(ctx["db"], ["staff"], ctx["period"], path, user="自检")
    ws = load_workbook(path, read_only=True).worksheets[0]
    names = sum(1 for row in ws.iter_rows(values_only=True) if row and isinstance(row[0], int))
    if names != result.rows["staff"]:
        raise RuntimeError(f"写入 {result.rows['staff']} 行，读回 {names} 行")
    return f"{names:,} 行，读回一致"


def _report(ctx: dict) -> str:
    from desktop.report.build import build_report

    path = ctx["folder"] / "自检 季度报告.pdf"
    result = build_report(ctx["db"], ctx["period"], path)
    data = path.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:] or pages != result.pages:
        raise RuntimeError(f"PDF 不完整：读回 {pages} 页，应为 {result.pages} 页")
    embedded = "已嵌入" if result.font.embedded else "未嵌入，请安装中文字体"
    return f"{pages} 页，字体 {result.font.family}（{embedded}）"


def _word_report(ctx: dict) -> str:
    from docx import Document

    from desktop.report.build import build_report

    path = ctx["folder"] / "自检 季度报告.docx"
    build_report(ctx["db"], ctx["period"], path)
    doc = Document(str(path))  # python-docx's own template and the chart's picture are in the bundle
    pictures = len(doc.inline_shapes)
    if not doc.tables or not pictures or "特此报告。" not in [p.text for p in doc.paragraphs]:
        raise RuntimeError("Word 文件读回不完整")
    return f"{len(doc.tables)} 个表格，{pictures} 幅图"


def _exchange(ctx: dict) -> str:
    import psycopg
    from sqlalchemy import create_engine

    from db.models import ExchangeReceiver
    from db.sealing import new_box_pair
    from desktop.exchange.container import BoxKeys, read_file
    from desktop.exchange.export import ExportSummary, export_area
    from desktop.operations import perform

    private, public = new_box_pair()  # a receiver of our own making: the file is sealed for it and opened back

    def export(session) -> ExportSummary:
        session.add(ExchangeReceiver(division_code="000000000000", name="自检", public_key=public,
                                     registered_at=dt.datetime.now(), registered_by="自检"))  # fmt: skip
        return export_area(
            session, period=ctx["period"], out=ctx["folder"] / "自检 交换文件.chx", user="自检", to="000000000000"
        )

    summary = perform(ctx["db"], export).value
    back = read_file(summary.path, BoxKeys(private, public))  # opened, the signature and the checksum verified
    if back.header["counts"] != summary.counts:
        raise RuntimeError("交换文件读回的记录数与导出时不同")
    driver = create_engine("postgresql+psycopg://selftest@127.0.0.1:1/selftest").dialect.loaded_dbapi
    rows = sum(summary.counts.values())
    return (f"{rows:,} 条记录，SM4 加密与签名校验通过；"
            f"服务器驱动 {driver.__name__} {psycopg.__version__}（{psycopg.pq.__impl__}）")  # fmt: skip


def _window(ctx: dict) -> str:
    from PySide6.QtWidgets import QApplication

    from desktop.ui.main_window import MainWindow, settings

    app = QApplication.instance() or QApplication([sys.argv[0], "-platform", "offscreen"])
    # The window remembers its file and, as it closes, its size: the user's own settings must not take ours.
    kept = {key: settings().value(key) for key in ("recent", "geometry")}
    window = MainWindow(ctx["db"])
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    for key in window.pages:  # each page's module is imported when first shown: all of them are in the bundle
        window.show_page(key)
        app.processEvents()
    window.show_page("dashboard")
    app.processEvents()
    image = window.grab().toImage()
    title = window.windowTitle()
    from desktop.ui.tasks import stop_all

    # Closed as the clerk closes it: closeEvent stops its checks and its timers. Hiding it left a timer that
    # started a check as the window was deleted; its worker then emitted to signals torn down at exit
    # ("Signal source has been deleted", and now and then a segmentation fault, with PySide6 6.9).
    window.close()
    window.deleteLater()
    app.processEvents()
    stop_all()  # nothing the last events started outlives the window
    for key, value in kept.items():
        settings().setValue(key, value) if value is not None else settings().remove(key)
    if image.isNull() or image.width() < 100:
        raise RuntimeError("主窗口未能绘制")
    if "清溪县" not in title:
        raise RuntimeError(f"窗口标题不对：{title}")
    return f"{image.width()}×{image.height()}，{window.nav.count()} 个页面"


STEPS: list[Step] = [
    ("数据库：新建并升级到最新结构", _database),
    ("示范数据：写入清溪县", _demo),
    ("规范核查：运行全部规则", _checks),
    ("Excel：导出人员花名册并读回", _workbook),
    ("PDF：生成季度报告并读回", _report),
    ("Word：生成季度报告并读回", _word_report),
    ("数据交换：导出加密的交换文件，解密并校验签名", _exchange),
    ("窗口：离屏打开主窗口并绘制", _window),
]


def run_self_test(log_path: Path | None = None, out=print) -> int:
    """Run every step; return 0 if all passed, else the number of the first that failed."""
    if "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    lines: list[str] = []

    def say(text: str) -> None:
        lines.append(text)
        out(text)

    say(f"{PRODUCT_NAME} {__version__} 自检（{dt.datetime.now():%Y-%m-%d %H:%M:%S}，Python {sys.version.split()[0]}）")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="countyhealth-selftest-") as tmp:
        ctx: dict = {"folder": Path(tmp)}
        try:
            for number, (name, step) in enumerate(STEPS, 1):
                started = time.perf_counter()
                try:
                    detail = step(ctx)
                except Exception as exc:  # any failure is the answer: name the step, keep the traceback
                    say(f"[{number}/{len(STEPS)}] {name} … 失败：{exc}")
                    lines.append(traceback.format_exc())
                    failed = number
                    break
                say(f"[{number}/{len(STEPS)}] {name} … 通过（{detail}，{time.perf_counter() - started:.1f} 秒）")
        finally:
            if "db" in ctx:
                ctx["db"].close()
    say(f"自检未通过：第 {failed} 步（{STEPS[failed - 1][0]}）" if failed else "自检全部通过")
    if log_path is not None:
        try:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            log_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            out(f"记录已写入：{log_path}")
        except OSError as exc:
            out(f"记录未能写入 {log_path}：{exc}")
    return failed
