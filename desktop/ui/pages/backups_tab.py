"""设置 › 备份与恢复: the verified backups beside the database, a backup now, a restore with a preview."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from db.backups import ON_SERVER, BackupError, backup_folder, describe, list_backups, make_backup, reason_label, verify
from desktop.ui import file_dialogs
from desktop.ui.errors import show_error
from desktop.ui.pages.base import make_table, requires, selected_row
from desktop.ui.tablemodel import Column, ListModel


class BackupsTab(QWidget):
    def __init__(self, win) -> None:
        super().__init__()
        self.win = win
        layout = QVBoxLayout(self)
        self.where = QLabel()
        self.where.setWordWrap(True)
        layout.addWidget(self.where)
        self.buttons = QWidget()  # hidden for a server database, which the server's own tools back up
        bar = QHBoxLayout(self.buttons)
        bar.setContentsMargins(0, 0, 0, 0)
        now = requires(QPushButton("立即备份"), "manage")  # a copy of every whole number: an administrator's
        now.setObjectName("backupNow")
        now.clicked.connect(self.backup_now)
        bar.addWidget(now)
        chosen = requires(QPushButton("从所选备份恢复…"), "manage")
        chosen.setObjectName("restoreSelected")
        chosen.clicked.connect(lambda: self.restore_from(self.selected_path()))
        bar.addWidget(chosen)
        other = requires(QPushButton("从其他备份文件恢复…"), "manage")
        other.clicked.connect(self.restore_from_file)
        bar.addWidget(other)
        bar.addStretch(1)
        layout.addWidget(self.buttons)
        self.model = ListModel(
            [
                Column("备份时间", lambda b: f"{b.created:%Y-%m-%d %H:%M}", width=140),
                Column("类型", lambda b: reason_label(b.reason), width=170),
                Column("内容", lambda b: b.contents, width=330),
                Column("文件", lambda b: b.path.name, tooltip=lambda b: str(b.path)),
            ]
        )
        self.view = make_table(self.model, sortable=False)
        self.view.setObjectName("backupTable")
        layout.addWidget(self.view, 1)
        layout.addWidget(
            QLabel(
                "自动备份：每次导入前、每次升级前、每天第一次关闭时。"
                "自动备份保留最近 7 天、4 周、12 个月各一份；手动备份不会被自动删除。"
            )
        )

    def refresh(self) -> None:
        path = self.win.db.path
        self.buttons.setVisible(path is not None)
        if path is None:
            self.where.setText(ON_SERVER)
            self.model.set_rows([])
            return
        self.where.setText(f"备份文件夹：{backup_folder(path)}")
        self.model.set_rows(list_backups(path))

    def selected_path(self) -> Path | None:
        info = selected_row(self.view)
        return info.path if info is not None else None

    def backup_now(self) -> None:
        if self.win.db.path is None:
            return
        try:
            info = make_backup(self.win.db.path)
        except BackupError as exc:
            show_error(self, "备份失败", exc)
            return
        self.refresh()
        self.win.statusBar().showMessage(f"已备份并通过完整性检查：{info.path.name}", 10000)

    def restore_from_file(self) -> None:
        start = str(backup_folder(self.win.db.path)) if self.win.db.path else ""
        path, _ = file_dialogs.open_file_name(self, "选择备份文件", start, "台账数据库 (*.db *.bak)")
        if path:
            self.restore_from(Path(path))

    def restore_from(self, path: Path | None) -> None:
        if path is None:
            QMessageBox.information(self, "恢复", "请先在表中选择一份备份。")
            return
        try:
            verify(path)
            info = describe(path)
        except BackupError as exc:
            show_error(self, "无法恢复", exc)
            return
        box = QMessageBox(QMessageBox.Icon.Question, "从备份恢复", "用这份备份替换当前数据库？", parent=self)
        box.setInformativeText(
            f"{info.preview}\n\n恢复前，当前数据库会先备份一份；恢复后，备份之后所做的修改将不在数据库中。"
        )
        box.addButton("恢复", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        self.win.ask(box)
        clicked = box.clickedButton()
        if clicked is None or box.buttonRole(clicked) != QMessageBox.ButtonRole.AcceptRole:
            return
        self.win.restore_backup(path)
