"""The app's file choosers list the database's folder without opening the database: on Linux, closing any
descriptor of a file drops every POSIX lock the process holds on it, SQLite's own included."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QFileSystemModel

from desktop.ui.file_dialogs import _dialog

pytestmark = [
    pytest.mark.sqlite_only,
    pytest.mark.skipif(not Path("/proc/locks").exists(), reason="reads the kernel's lock table (Linux)"),
]


def _posix_locks_on(path: Path) -> list[str]:
    inode = f":{os.stat(path).st_ino} "
    lines = Path("/proc/locks").read_text().splitlines()
    return [line.split(":", 1)[1].strip() for line in lines if "POSIX" in line and inode in line]  # less its number


def _list_folder(qtbot, dialog: QFileDialog, folder: Path) -> None:
    model = dialog.findChild(QFileSystemModel)
    with qtbot.waitSignal(model.directoryLoaded, timeout=10_000):
        dialog.show()
    qtbot.waitUntil(lambda: model.rowCount(model.index(str(folder))) >= 1, timeout=10_000)
    qtbot.wait(1000)  # icons and types are fetched after the listing (the control below sees it within this)


@pytest.mark.parametrize(
    ("filters", "mode"),
    [
        ("台账数据库 (*.db *.sqlite);;所有文件 (*)", QFileDialog.AcceptMode.AcceptOpen),
        ("PDF 文件 (*.pdf)", QFileDialog.AcceptMode.AcceptSave),
    ],
)
def test_a_file_dialog_on_the_database_folder_leaves_sqlite_locks_held(qtbot, db, filters, mode):
    folder = db.path.parent
    (folder / "上季度报告.pdf").write_bytes(b"%PDF-1.4\n")
    session = db.session()
    try:
        session.connection().exec_driver_sql("SELECT count(*) FROM facilities").scalar()  # a read in progress
        held = _posix_locks_on(db.path)
        assert held, "SQLite holds a shared lock on the file while it reads"
        dialog = _dialog(None, "生成季度报告", str(folder), filters, mode)
        qtbot.addWidget(dialog)
        _list_folder(qtbot, dialog, folder)
        dialog.close()
        assert _posix_locks_on(db.path) == held
    finally:
        session.close()


def test_qt_s_own_dialog_would_have_dropped_them(qtbot, db):
    """The same check against a plain QFileDialog, so the test above cannot pass by not looking."""
    folder = db.path.parent
    session = db.session()
    try:
        session.connection().exec_driver_sql("SELECT count(*) FROM facilities").scalar()
        assert _posix_locks_on(db.path)
        dialog = QFileDialog(None, "对照", str(folder), "所有文件 (*)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: _posix_locks_on(db.path) == [], timeout=10_000)
        dialog.close()
    finally:
        session.close()
