"""The cold-start baseline, started in a fresh process: a bare PySide6 QMainWindow shown, then exit.

``python -m tests.benchmarks.start_window T0`` prints the seconds from T0 (the parent's time.time() when it started this
process) to the window's first paint and its own peak resident MB, as the app's ``--benchmark-start`` does.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from tests.benchmarks.harness import peak_mb  # standard library only: the bare window stays bare

    started = float(sys.argv[-1])
    painted: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.time() - started)
                QTimer.singleShot(0, QApplication.quit)
            return False

    app = QApplication([])
    window = QMainWindow()
    watcher = FirstPaint()
    app.installEventFilter(watcher)
    window.show()
    QTimer.singleShot(30_000, app.quit)  # never hang a benchmark
    app.exec()
    print(f"{painted[0]:.3f} {peak_mb():.1f}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
