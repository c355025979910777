"""``countyhealth-desk``: start the window on a database (the embedded default unless told)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from desktop import PRODUCT_NAME, __version__


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    from desktop.paths import default_database_path

    parser = argparse.ArgumentParser(prog="countyhealth-desk", description=f"{PRODUCT_NAME}（窗口程序）")
    parser.add_argument(
        "--db",
        default=str(default_database_path()),
        help="数据库文件路径或 SQLAlchemy URL（默认：本机用户数据目录中的内置数据库）",
    )
    parser.add_argument("--version", action="version", version=f"countyhealth-desk {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="不打开窗口，在临时文件夹中自检（建库、示范数据、核查、Excel、PDF、窗口），结果同时写入日志文件",
    )
    parser.add_argument("--save-manual", metavar="FILE.pdf", help="把使用说明保存为 PDF 文件后退出（安装包用）")
    # For the cold-start benchmarks (tests/benchmarks/bench_window.py, bench_bundle.py): print the seconds
    # from T0 (the caller's time.time()) to the main window's first paint and the peak resident MB so far,
    # then quit; the same measure for the bundle and the venv.
    parser.add_argument("--benchmark-start", type=float, metavar="T0", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)  # --version exits here, before Qt loads
    from desktop.logs import setup_logging

    setup_logging()
    if args.self_test:
        from desktop.paths import log_dir
        from desktop.ui.selftest import run_self_test

        return 1 if run_self_test(log_dir() / "selftest.log", out=_print) else 0
    if args.save_manual:  # the installers ship the manual as a PDF beside the program, made by the program itself
        from PySide6.QtWidgets import QApplication

        from desktop.ui.help_viewer import save_manual_pdf

        app = QApplication.instance() or QApplication([sys.argv[0]])
        save_manual_pdf(args.save_manual)
        _print(f"已保存使用说明：{args.save_manual}")
        return 0

    from importlib.resources import files

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from desktop.ui.errors import install_error_hooks
    from desktop.ui.main_window import MainWindow
    from desktop.ui.translations import install_chinese_translations

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName(PRODUCT_NAME)
    app.setOrganizationName("CountyHealthDesk")
    app.setWindowIcon(QIcon(str(files("resources").joinpath("icons/app.svg"))))
    install_chinese_translations(app)
    previous_hook = install_error_hooks()
    # The window paints first, empty, and opens the database right after: what opening costs (SQLAlchemy, the
    # schema's check, the first figures) is not spent before the clerk sees the program has started.
    window = MainWindow(None)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    outcome = {"code": 0}
    if args.benchmark_start is not None:
        _report_first_paint(app, window, args.benchmark_start)
    window.show()
    window.when_painted(lambda: _open_in(window, args.db, outcome, first_start=args.benchmark_start is None))
    try:
        app.exec()
        return outcome["code"]
    finally:
        from desktop.ui.tasks import stop_all

        stop_all()  # a background check still running when the loop ends must not outlive the app
        sys.excepthook = previous_hook


def _open_in(window, target: str, outcome: dict, *, first_start: bool) -> None:
    """Open ``target`` into the painted window, asking for a server's password, offering a damaged file's
    backup and the sign-in as needed; the window closes (the program ends) when it cannot be opened."""
    from PySide6.QtWidgets import QMessageBox

    from db import DamagedDatabaseError, open_database
    from db.engine import to_url, without_password
    from db.errors import ServerAuthError

    def give_up(code: int) -> None:
        outcome["code"] = code
        window.close()

    try:
        try:
            db = open_database(target)
        except ServerAuthError as exc:  # a server given without its password (as it should be): ask for it
            db = _ask_server_password(window, exc)
            if db is None:
                return give_up(1)
        except DamagedDatabaseError as exc:
            from desktop.ui.damaged import offer_restore

            if not offer_restore(window, target, exc, QMessageBox.exec):
                return give_up(1)
            db = open_database(target)
    except Exception as exc:  # the clerk's sentence; a bug is logged and its message names the log
        from desktop.ui.errors import message_for

        shown = target if "://" not in target else without_password(to_url(target)).render_as_string()
        QMessageBox.critical(window, PRODUCT_NAME, f"无法打开数据库：\n{shown}\n\n{message_for(exc)}")
        return give_up(1)
    from desktop.ui.sign_in import sign_in

    if not sign_in(window, db, lambda dialog: dialog.exec()):
        db.close()
        return give_up(0)
    window.attach(db)
    if window.is_empty and first_start:
        window.first_start()


def _report_first_paint(app, window, started: float) -> None:
    """For the cold-start benchmarks: print the seconds from T0 to the first paint and the peak MB by then;
    then the seconds from the first paint until the dashboard shows all its figures (its details and the
    findings), and quit."""
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint and not hasattr(self, "seen"):
                self.seen = time.time()
                _print(f"{self.seen - started:.3f} {_peak_resident_mb():.1f}")
                app.removeEventFilter(self)
            return False

    def filled() -> None:
        _print(f"figures {time.time() - app._first_paint.seen:.3f}")
        QTimer.singleShot(0, app.quit)

    app._first_paint = FirstPaint()  # kept alive with the application
    app.installEventFilter(app._first_paint)
    window.dashboard_filled.connect(filled)
    QTimer.singleShot(60_000, app.quit)  # never hang a benchmark


def _peak_resident_mb() -> float:
    """This process's peak resident memory so far (for --benchmark-start; 0 where /proc is not there)."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _print(text: str) -> None:
    """stdout may be missing (a windowed Windows build) or not UTF-8 (a Windows console): never fail on it."""
    if sys.stdout is None:
        return
    try:
        print(text, flush=True)
    except UnicodeEncodeError:
        print(text.encode(sys.stdout.encoding or "ascii", "replace").decode(sys.stdout.encoding or "ascii"))


if __name__ == "__main__":
    sys.exit(main())


def _ask_server_password(parent, exc):
    """The server's password, asked for until it opens or the clerk gives up (None)."""
    from PySide6.QtWidgets import QDialog

    from db import open_database
    from db.errors import ServerAuthError
    from desktop.ui.server_dialog import ServerDialog

    while True:
        dialog = ServerDialog(parent, url=exc.url, reason=str(exc))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        try:
            return open_database(dialog.target())
        except ServerAuthError as again:
            exc = again
