"""Started in a fresh process by bench_window: show a window, wait until it has painted, exit.

``app DB T0``: the app's main window on a database, usable: the dashboard's counts, indicators and bed
chart drawn (the findings are counted off the main thread, as in use, and are not waited for).
``bare T0``: a bare PySide6 QMainWindow, shown.
Prints the seconds from T0 (the parent's time.time() when it started this process) to the first paint.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    painted: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.time())
                QTimer.singleShot(0, QApplication.quit)
            return False

    started = float(sys.argv[-1])
    app = QApplication([])
    if sys.argv[1] == "bare":
        window = QMainWindow()
    else:
        from db import open_database
        from desktop.ui.main_window import MainWindow

        window = MainWindow(open_database(sys.argv[2]))
    watcher = FirstPaint()
    app.installEventFilter(watcher)  # the first widget of the window to paint
    window.show()
    QTimer.singleShot(30_000, app.quit)  # never hang a benchmark
    app.exec()
    QThreadPool.globalInstance().waitForDone()  # let the background check end before the process does
    print(painted[0] - started)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
