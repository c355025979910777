"""Names a sheet writes its own way (桃源卫生院), with the registered names the import proposes for each: the clerk
confirms which is meant, or none. Nothing is taken without her choice."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QGridLayout, QLabel, QVBoxLayout

from desktop.excel.importer import ImportReport

NOT_TAKEN = "（不采用，仍按问题处理）"


def proposed_names(report: ImportReport) -> list[tuple[str, str, str, tuple[str, ...], int]]:
    """Each distinct name written with proposals: (field, field label, as written, proposals, cells)."""
    out: dict[tuple[str, str], list] = {}
    for p in report.problems:
        if p.proposals and isinstance(p.value, str):
            entry = out.setdefault((p.field, p.value.strip()), [p.field, p.header, p.value.strip(), p.proposals, 0])
            entry[4] += 1
    return [tuple(v) for v in out.values()]


class NameProposalsDialog(QDialog):
    def __init__(self, parent, report: ImportReport) -> None:
        super().__init__(parent)
        self.setWindowTitle("确认名称")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "表格中以下名称与登记的名称不完全一致。请为每个名称选择它所指的登记名称；"
            "选定后重新检查，导入成功后下次同样表头的文件也按此读取。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        for j, title in enumerate(("列名", "表格中写的", "单元格数", "是指")):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, j)
        self.choices: list[tuple[str, str, QComboBox]] = []
        for i, (name, label, written, meant, cells) in enumerate(proposed_names(report), 1):
            box = QComboBox()
            box.addItems([NOT_TAKEN, *meant])  # nothing is confirmed until the clerk chooses
            box.setMinimumWidth(260)
            for j, widget in enumerate((QLabel(label), QLabel(written), QLabel(str(cells)), box)):
                grid.addWidget(widget, i, j)
            self.choices.append((name, written, box))
        layout.addLayout(grid)
        buttons = QDialogButtonBox()
        buttons.addButton("采用所选名称并重新检查", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> list[tuple[str, str, str]]:
        """(field, as written, the registered name meant) for each name the clerk confirmed."""
        return [(name, written, box.currentText()) for name, written, box in self.choices
                if box.currentText() != NOT_TAKEN]  # fmt: skip
