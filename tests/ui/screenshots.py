"""Save a PNG of every page of the window on the demo county: ``python -m tests.ui.screenshots OUTDIR``."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

TODAY = dt.date(2026, 11, 23)


def cjk_families() -> list[str]:
    from PySide6.QtGui import QFontDatabase

    return QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)


def save_pages(window, folder: Path) -> list[Path]:
    """Show each page in turn and grab the whole window into ``NN-key.png``."""
    from PySide6.QtWidgets import QApplication

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, key in enumerate(window.pages):
        window.show_page(key)
        QApplication.processEvents()  # pages fill some parts right after they are shown
        QApplication.processEvents()
        path = folder / f"{i + 1:02d}-{key}.png"
        if not window.grab().save(str(path)):
            raise OSError(f"cannot write {path}")
        out.append(path)
    return out


def main(argv: list[str]) -> int:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from db import open_database
    from desktop.demo import DemoOptions, write_demo
    from desktop.ui import tasks
    from desktop.ui.main_window import MainWindow
    from desktop.ui.translations import install_chinese_translations

    folder = Path(argv[0] if argv else "build/screenshots")
    app = QApplication.instance() or QApplication([])
    install_chinese_translations(app)
    tasks.RUN_SYNCHRONOUSLY = True
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "demo.db")
        write_demo(db, DemoOptions())
        window = MainWindow(db, today=TODAY)
        window.resize(1366, 800)
        window.show()
        for path in save_pages(window, folder):
            print(path)
        window.close()
    print("CJK fonts:", ", ".join(cjk_families()) or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
