"""The main window: whose database this is, and what it holds."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from db import Database, DatabaseOpenError, open_database
from desktop import PRODUCT_NAME, __version__
from desktop.demo import Cancelled, DemoOptions, write_demo
from desktop.overview import Overview, overview
from desktop.ui.tasks import run_task


class CountCard(QFrame):
    """One figure with its label, as on a dashboard."""

    def __init__(self, label: str, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("countCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.unit = unit
        layout = QVBoxLayout(self)
        self.value = QLabel("—")
        self.value.setObjectName("cardValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caption = QLabel(label)
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.value)
        layout.addWidget(caption)

    def set_count(self, n: int) -> None:
        self.value.setText(f"{n:,} {self.unit}")


class MainWindow(QMainWindow):
    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.resize(1100, 700)
        self._build()
        self.refresh()

    def _build(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(32, 24, 32, 24)
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.subheading = QLabel()
        self.subheading.setObjectName("subheading")
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        grid = QGridLayout()
        self.cards = {
            "facilities": CountCard(self.tr("医疗卫生机构"), self.tr("个")),
            "staff_on_post": CountCard(self.tr("在岗人员"), self.tr("人")),
            "projects": CountCard(self.tr("建设项目"), self.tr("个")),
            "key_tasks": CountCard(self.tr("重点任务"), self.tr("项")),
            "villages": CountCard(self.tr("行政村（社区）"), self.tr("个")),
        }
        for i, card in enumerate(self.cards.values()):
            grid.addWidget(card, i // 3, i % 3)
        layout.addLayout(grid)
        self.empty_hint = QLabel(self.tr("数据库为空。可通过“文件 → 载入示范数据”熟悉软件，或导入本县数据。"))
        self.empty_hint.setWordWrap(True)
        layout.addWidget(self.empty_hint)
        layout.addStretch(1)
        self.setCentralWidget(central)
        self.setStyleSheet(
            "#heading { font-size: 22px; font-weight: bold; }"
            "#subheading { color: #555; margin-bottom: 12px; }"
            "#countCard { background: #f5f8fb; border: 1px solid #d5dde5; border-radius: 6px; }"
            "#cardValue { font-size: 26px; font-weight: bold; color: #1f4e79; }"
        )

        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        open_action = QAction(self.tr("打开数据库(&O)…"), self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.choose_database)
        file_menu.addAction(open_action)
        self.demo_action = QAction(self.tr("载入示范数据(&D)"), self)
        self.demo_action.triggered.connect(self.load_demo)
        file_menu.addAction(self.demo_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        about = QAction(self.tr("关于(&A)"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def refresh(self) -> Overview:
        with self.db.session() as session:
            o = overview(session)
        area = o.area_name or self.tr("未设置地区")
        self.setWindowTitle(f"{PRODUCT_NAME} — {area}")
        self.heading.setText(o.bureau_name or area)
        self.subheading.setText(self.tr("数据库：") + str(self.db.path or self.db.url))
        for key, card in self.cards.items():
            card.set_count(getattr(o, key))
        self.empty_hint.setVisible(o.empty)
        self.demo_action.setEnabled(o.empty)
        self.statusBar().showMessage(str(self.db.path or self.db.url))
        return o

    def offer_demo(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("数据库为空"), self.tr("当前数据库还没有任何记录。"), parent=self
        )
        box.setInformativeText(
            self.tr(
                "是否载入示范数据（虚构的“清溪县”，含约300个行政村、2500余名卫生人员、建设项目和重点任务），"
                "以便熟悉软件？\n\n示范数据请勿与真实数据混用：正式使用时请新建一个数据库文件。"
            )
        )
        load = box.addButton(self.tr("载入示范数据"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("暂不载入"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(load)
        self._ask(box)
        if box.clickedButton() is load:
            self.load_demo()

    def _ask(self, box: QMessageBox) -> None:
        """Show a question modally; tests replace this to answer it."""
        box.exec()

    def load_demo(self) -> None:
        def job(progress, cancelled):
            return write_demo(self.db, DemoOptions(), progress=progress, cancelled=cancelled)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):
                self.statusBar().showMessage(self.tr("已取消载入示范数据，数据库未作改动。"), 8000)
            else:
                QMessageBox.warning(self, self.tr("载入示范数据失败"), str(exc))

        run_task(self, self.tr("正在载入示范数据…"), job, lambda _summary: self.refresh(), failed)

    def choose_database(self) -> None:
        start = str(self.db.path.parent) if self.db.path else ""
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("打开数据库"), start, self.tr("台账数据库 (*.db *.sqlite);;所有文件 (*)")
        )
        if path:
            self.switch_database(path)

    def switch_database(self, path: str) -> bool:
        try:
            db = open_database(path)
        except DatabaseOpenError as exc:
            QMessageBox.critical(self, self.tr("无法打开数据库"), str(exc))
            return False
        self.db.close()
        self.db = db
        if self.refresh().empty:
            self.offer_demo()
        return True

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("关于"),
            f"<b>{PRODUCT_NAME}</b>（CountyHealth Desk）<br>版本 {__version__}<br><br>"
            + self.tr("县级卫生健康部门基层卫生台账、规范核查与报表工具，离线运行。"),
        )

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.db.close()
        super().closeEvent(event)
