"""The main window: navigation on the left, one page at a time, the reporting period at the top."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from db.errors import DamagedDatabaseError, DatabaseOpenError, ServerAuthError, UserError
from desktop import PRODUCT_NAME, __version__
from desktop.periods import Period
from desktop.ui import file_dialogs
from desktop.ui.errors import show_error
from desktop.ui.pages import PAGES, PageEntry, Pages
from desktop.ui.tasks import run_quietly, run_task, stop_all

if TYPE_CHECKING:  # the window paints before SQLAlchemy and the core are imported (desktop.ui.app)
    from db import Database
    from desktop.checks.runner import CheckRun
    from desktop.overview import Overview
    from desktop.ui.pages.base import Page

log = logging.getLogger(__name__)

MAX_RECENT = 8

STYLE = """
#navigation { background: #1f4e79; color: white; border: none; font-size: 15px; }
#navigation::item { padding: 10px 18px; }
#navigation::item:selected { background: #2e75b6; }
#pageHeading { font-size: 20px; font-weight: bold; margin: 4px 0 8px 0; }
#countCard { background: #f5f8fb; border: 1px solid #d5dde5; border-radius: 6px; }
#cardValue { font-size: 26px; font-weight: bold; color: #1f4e79; }
"""


def settings() -> QSettings:
    return QSettings("CountyHealthDesk", "CountyHealthDesk")


def recent_databases() -> list[str]:
    value = settings().value("recent", [])
    return [v for v in (value if isinstance(value, list) else [value]) if v]


def remember_database(path: str) -> None:
    items = [path] + [p for p in recent_databases() if p != path]
    settings().setValue("recent", items[:MAX_RECENT])


def _banner(name: str, background: str, border: str) -> QLabel:
    """A notice across the top of the pages, hidden until there is something to say."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(f"background: {background}; border: 1px solid {border}; padding: 6px;")
    label.hide()
    return label


# What the title and 载入示范数据 show: the area's name, and whether the database holds any division (and so any
# facility: Overview.empty).
_TITLE_READS = frozenset({"county_profile", "divisions"})


class MainWindow(QMainWindow):
    dashboard_filled = Signal()  # the dashboard shows all its figures (the start benchmark waits for it)

    def __init__(self, db: Database | None, *, today: dt.date | None = None) -> None:
        """The window on ``db``; with None, the window alone, painted at once and given its database by
        ``attach`` (the program's start), its pages and menus disabled until then."""
        super().__init__()
        self.db = db
        self.today = today or dt.date.today()
        self.period = Period.last_complete_quarter(self.today)
        self.undo_stack = QUndoStack(self)
        self._findings: CheckRun | None = None
        self._waiting: list[Callable[[CheckRun], None]] = []
        self._painted = False
        self._closed = False
        self._after_paint: list[Callable[[], None]] = []
        self.setStyleSheet(STYLE)
        self._build()
        self._menus()
        from desktop.ui import undo_keys

        self._undo_keys = undo_keys.install(self)
        geometry = settings().value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        if db is None:
            self.setWindowTitle(PRODUCT_NAME)
            self._set_usable(False)
            self.statusBar().showMessage("正在打开数据库…")
        else:
            self._after_open()

    def attach(self, db: Database) -> None:
        """The database opened (and signed in to) after the window first painted."""
        self.db = db
        self._set_usable(True)
        self._after_open()

    def _set_usable(self, usable: bool) -> None:
        self.menuBar().setEnabled(usable)
        self.centralWidget().setEnabled(usable)
        self.period_bar.setEnabled(usable)

    @property
    def user(self) -> str:
        """Who the history names: the signed-in account, or the computer's user while sign-in is off."""
        return self.db.actor.name

    def can(self, permission: str) -> bool:
        return self.db.actor.can(permission)

    def allowed(self, permission: str) -> bool:
        """Whether the account may do it; if not, say so (the core would refuse anyway)."""
        actor = self.db.actor
        if actor.can(permission):
            return True
        from db.access import WHAT

        QMessageBox.warning(self, "无权操作", f"当前账号“{actor.name}”（{actor.role_label}）无权{WHAT[permission]}。")
        return False

    def apply_role(self) -> None:
        """Enable what the account may do; a viewer sees a banner and no editing buttons."""
        actor = self.db.actor
        self._enable_for_role(self)
        self.new_action.setEnabled(actor.can("edit"))
        self.password_action.setVisible(actor.signed_in)
        read_only = not actor.can("edit")
        self.role_banner.setVisible(read_only)
        if read_only:
            self.role_banner.setText(
                f"当前账号“{actor.name}”为{actor.role_label}：可以查看和导出（身份证号码、电话号码已隐藏），不能修改记录。"
            )
        who = f"当前账号：{actor.name}（{actor.role_label}）" if actor.signed_in else "未启用登录"
        self.account_label.setText(who)

    def _enable_for_role(self, parent: QWidget) -> None:
        actor = self.db.actor
        for widget in parent.findChildren(QWidget):
            needed = widget.property("requires")
            if needed:
                widget.setEnabled(actor.can(needed))
                widget.setToolTip("" if actor.can(needed) else f"当前账号（{actor.role_label}）无权使用此功能")

    # --- layout -------------------------------------------------------------------

    def _build(self) -> None:
        toolbar = self.period_bar = QToolBar("报告期")
        toolbar.setObjectName("periodBar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(" 报告期："))
        self.period_box = QComboBox()
        self.period_box.setObjectName("periodBox")
        for year in range(self.today.year, self.today.year - 3, -1):
            for q in (4, 3, 2, 1):
                p = Period(year, q)
                if p.start <= self.today:
                    self.period_box.addItem(p.label, str(p))
            self.period_box.addItem(f"{year}年全年", str(year))
        self.period_box.setCurrentIndex(self.period_box.findData(str(self.period)))
        self.period_box.currentIndexChanged.connect(self._period_changed)
        toolbar.addWidget(self.period_box)
        self.addToolBar(toolbar)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(150)
        self.stack = QStackedWidget()
        self.pages = Pages(self._make_page)
        for entry in PAGES:
            item = QListWidgetItem(entry.title)
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._nav_changed)
        row.addWidget(self.nav)
        body = QVBoxLayout()
        body.setContentsMargins(16, 8, 16, 8)
        self.role_banner = _banner("roleBanner", "#fff4ce", "#e0c36a")
        self.network_banner = _banner("networkBanner", "#fde7e9", "#e3a1a8")
        body.addWidget(self.role_banner)
        body.addWidget(self.network_banner)
        body.addWidget(self.stack)
        holder = QWidget()
        holder.setLayout(body)
        row.addWidget(holder, 1)
        self.setCentralWidget(central)
        self.account_label = QLabel()
        self.account_label.setObjectName("accountLabel")
        self.statusBar().addPermanentWidget(self.account_label)

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        self._action(file_menu, "新建数据库(&N)…", self.new_database)
        self._action(file_menu, "打开数据库(&O)…", self.choose_database, QKeySequence.StandardKey.Open)
        self._action(file_menu, "连接服务器数据库(&S)…", self.connect_server)
        self.recent_menu = file_menu.addMenu("最近打开(&R)")
        self.demo_action = self._action(file_menu, "载入示范数据(&D)", self.load_demo)
        file_menu.addSeparator()
        self._action(file_menu, "打印本页列表(&L)…", self.print_list, QKeySequence.StandardKey.Print)
        file_menu.addSeparator()
        self.password_action = self._action(file_menu, "修改我的密码(&P)…", self.change_password)
        file_menu.addSeparator()
        self._action(file_menu, "退出(&X)", self.close, QKeySequence.StandardKey.Quit)

        edit = self.menuBar().addMenu("编辑(&E)")
        undo = self.undo_stack.createUndoAction(self, "撤销")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "重做")
        # Ctrl+Y as in Excel and WPS, and the platform's own; once each (where the platform's is Ctrl+Y too, the
        # same key twice on one action is ambiguous to Qt and does nothing).
        keys = [QKeySequence("Ctrl+Y"), *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)]
        redo.setShortcuts(list({k.toString(): k for k in keys}.values()))
        edit.addAction(undo)
        edit.addAction(redo)
        edit.addSeparator()
        self.new_action = self._action(edit, "新增(&N)", self.new_on_page, QKeySequence("Ctrl+N"))
        self._action(edit, "查找(&F)", self.find, QKeySequence.StandardKey.Find)
        self._action(edit, "导出报表(&E)…", self.export, QKeySequence("Ctrl+E"))
        self._action(edit, "重新核查(&R)", self.recheck, QKeySequence("F5"))

        go = self.menuBar().addMenu("页面(&G)")
        for i, entry in enumerate(PAGES):
            shortcut = QKeySequence(f"Ctrl+{(i + 1) % 10}") if i < 10 else None  # Ctrl+1 … Ctrl+0
            self._action(go, entry.title, lambda _c=False, k=entry.key: self.show_page(k), shortcut)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        self._action(help_menu, "使用说明(&M)", self.show_manual, QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, "关于(&A)", self.show_about)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # --- navigation and refresh -------------------------------------------------------

    def _make_page(self, entry: PageEntry) -> Page:
        """A page built the first time it is wanted, with what the account may do on it enabled."""
        page = entry.load()(self)
        self.stack.addWidget(page)
        self._enable_for_role(page)
        self._undo_keys.watch(page)
        return page

    def show_page(self, key: str) -> Page:
        page = self.pages[key]
        row = self.pages.index(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        else:
            page.ensure_fresh()
        return page

    def _nav_changed(self, row: int) -> None:
        key = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
        page = self.pages[key]
        leaving = self.current_page()
        # unsaved work the clerk chose to go back to (nothing is shown before the first page)
        if leaving is not None and leaving is not page and not leaving.can_leave():
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(self.pages.index(leaving.key))
            self.nav.blockSignals(False)
            return
        self.stack.setCurrentWidget(page)
        page.ensure_fresh()

    def current_page(self) -> Page | None:
        """The page shown; None only before the database is attached (no page is built yet)."""
        return self.stack.currentWidget()

    def open_record(self, page_key: str, record_id: int) -> None:
        self.show_page(page_key).open_record(record_id)

    def show_findings(self, *, severity: str | None = None, rule: str | None = None, where_name: str | None = None):
        page = self.show_page("findings")
        page.set_filter(severity=severity, rule=rule)

    def data_changed(self) -> None:
        """Anything may have changed (another period, a database restored): findings and every page are re-read
        when next shown."""
        from db.access import ANY_TABLE

        self.records_changed(frozenset({ANY_TABLE}))

    def records_changed(self, changed: frozenset[str]) -> None:
        """An action wrote these tables (``desktop.operations.Done.changed``): the findings, if the checks read one
        of them, and each page that shows one are re-read when next shown; the others keep what they show."""
        from db.access import ANY_TABLE
        from desktop.checks import READS as CHECKED

        if not changed:
            return
        if ANY_TABLE in changed or changed & CHECKED:
            self._findings = None
        for page in self.pages.built():
            if page.shows(changed):
                page.stale = True
        self.current_page().ensure_fresh()
        if ANY_TABLE in changed or changed & _TITLE_READS:  # a transaction fewer for a save on a server
            self._update_title()

    def _period_changed(self) -> None:
        self.period = Period.parse(self.period_box.currentData())
        self.data_changed()

    def recheck(self) -> None:
        self.data_changed()

    def when_painted(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` once the window has painted (at once, from the event loop, when it has or is not shown):
        what takes long to gather never delays the first sight of the window."""
        if self._painted or not self.isVisible():
            self._soon(fn)
        else:
            self._after_paint.append(fn)

    def _soon(self, fn: Callable[[], None]) -> None:
        """``fn`` from the event loop, unless the window has closed by then (its database is closed)."""
        QTimer.singleShot(0, self, lambda: None if self._closed else fn())

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            waiting, self._after_paint = self._after_paint, []
            for fn in waiting:
                self._soon(fn)

    def with_findings(self, callback: Callable[[CheckRun], None], *, quietly: bool = False) -> None:  # noqa: C901
        """Call back with the findings of the current period, checking first (off the main thread) if needed;
        ``quietly`` with a note in the status bar instead of a progress dialog (the dashboard's check at start)."""
        if self._findings is not None and self._findings.period == self.period:
            callback(self._findings)
            return
        self._waiting.append(callback)
        if len(self._waiting) > 1:
            return  # a check is already running
        period, today, db = self.period, self.today, self.db

        def job(progress, cancelled):
            from desktop.checks.runner import run_checks

            with db.reading() as session:  # reads only: the default norms were loaded as the database opened
                return run_checks(session, period, today=today, progress=progress, cancelled=cancelled)

        title = f"正在核查{period.label}…"

        def quiet_note_off() -> None:  # only its own note: the database's or another's stays
            if self.statusBar().currentMessage() == title:
                self.statusBar().clearMessage()

        def done(run: CheckRun) -> None:
            quiet_note_off()
            waiting, self._waiting = self._waiting, []
            if run.period != self.period:
                return
            self._findings = run
            for cb in waiting:
                cb(run)

        def failed(_exc: BaseException) -> None:
            quiet_note_off()
            self._waiting = []

        if quietly:
            self.statusBar().showMessage(title)
            run_quietly(self, job, done, failure="核查失败", on_error=failed)
        else:
            run_task(self, title, job, done, failure="核查失败", on_error=failed)

    # --- databases ----------------------------------------------------------------

    def _update_title(self) -> Overview:
        from desktop.overview import overview

        with self.db.reading() as session:
            o = overview(session)
        area = o.area_name or "未设置地区"
        self.setWindowTitle(f"{PRODUCT_NAME} — {area} — {self.db.display_name}")
        self.demo_action.setEnabled(o.empty and self.db.actor.can("manage"))
        return o

    def _after_open(self) -> None:
        self.undo_stack.clear()
        for page in self.pages.built():
            page.forget_unsaved()
        from desktop.norms import ensure_defaults
        from desktop.operations import perform

        perform(self.db, ensure_defaults)  # first use of a database loads the default norms
        o = self._update_title()
        remember_database(self.db.display_name)
        self._fill_recent()
        self.statusBar().showMessage(f"数据库：{self.db.display_name}")
        self.apply_role()
        self.network_banner.setVisible(self.db.on_network_share)
        if self.db.on_network_share:
            self.network_banner.setText(
                "当前数据库位于网络共享文件夹。为防止数据损坏，已改用较慢但安全的日志方式；"
                "网络中断可能导致保存失败。建议把数据库放在本机硬盘上，通过“备份”分享给他人。"
            )
        self._findings = None
        for page in self.pages.built():
            page.stale = True
        if self.nav.currentRow() != 0:
            self.nav.setCurrentRow(0)
        else:
            self.pages["dashboard"].ensure_fresh()
        self.is_empty = o.empty

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in recent_databases():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.switch_database(p))
        self.recent_menu.setEnabled(bool(recent_databases()))

    def choose_database(self) -> None:
        start = str(self.db.path.parent) if self.db.path else ""
        path, _ = file_dialogs.open_file_name(self, "打开数据库", start, "台账数据库 (*.db *.sqlite);;所有文件 (*)")
        if path:
            self.switch_database(path)

    def new_database(self) -> None:
        start = str(self.db.path.parent) if self.db.path else ""
        path, _ = file_dialogs.save_file_name(self, "新建数据库", start, "台账数据库 (*.db)")
        if path:
            if Path(path).exists():
                QMessageBox.warning(self, "新建数据库", "该文件已存在；要打开它请用“打开数据库”。")
                return
            self.switch_database(path)

    def connect_server(self, url=None, reason: str = "") -> bool:
        """Ask for a server (or, for a known one, its password) and open it."""
        from desktop.ui.server_dialog import ServerDialog

        dialog = ServerDialog(self, url=url, reason=reason)
        if self.ask(dialog) != QDialog.DialogCode.Accepted:
            return False
        return self.switch_database(dialog.target())

    def may_leave_database(self, doing: str) -> bool:
        """Unsaved work on the page shown (a population grid) is asked about before its database goes."""
        page = self.current_page()
        return page is None or page.can_leave(doing)

    def switch_database(self, path: str) -> bool:
        if not self.may_leave_database("打开另一个数据库"):
            return False
        from db import open_database

        try:
            db = open_database(path)
        except ServerAuthError as exc:  # a server from the recent list, or a wrong password: ask (again)
            return self.connect_server(exc.url, str(exc))
        except DamagedDatabaseError as exc:
            from desktop.ui.damaged import offer_restore

            if not offer_restore(self, path, exc, self.ask):
                return False
            return self.switch_database(path)
        except DatabaseOpenError as exc:
            show_error(self, "无法打开数据库", exc)
            return False
        from desktop.ui.sign_in import sign_in

        if not sign_in(self, db, self.ask):
            db.close()
            return False
        stop_all()  # a check still running on the old database ends before it closes
        self.db.close()
        self.db = db
        self._after_open()
        if self.is_empty:
            self.first_start()
        return True

    # --- first start --------------------------------------------------------------

    def ask(self, dialog: QDialog) -> int:
        """Show a dialog modally; tests replace this to answer it."""
        return dialog.exec()

    def first_start(self) -> None:
        """An empty database: ask for the county profile, or load the demo county."""
        if not self.db.actor.can("manage"):
            QMessageBox.information(self, "欢迎使用", "当前数据库还没有任何记录，请由管理员载入数据或填写县域信息。")
            return
        box = QMessageBox(QMessageBox.Icon.Question, "欢迎使用", "当前数据库还没有任何记录。", parent=self)
        box.setInformativeText(
            "可以先载入示范数据（虚构的“清溪县”，含约300个行政村、2500余名卫生人员、建设项目和重点任务）熟悉软件，"
            "也可以从空白开始，先填写本县信息。\n\n示范数据请勿与真实数据混用：正式使用时请新建一个数据库文件。"
        )
        load = box.addButton("载入示范数据", QMessageBox.ButtonRole.AcceptRole)
        blank = box.addButton("从空白开始", QMessageBox.ButtonRole.ActionRole)
        box.addButton("稍后再说", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(load)
        self.ask(box)
        if box.clickedButton() is load:
            self.load_demo()
        elif box.clickedButton() is blank:
            self.set_up_area()

    def set_up_area(self) -> None:
        """Find the county (or city) in the official codes and build it down to villages; then the profile's
        own details (the bureau, who signs). The clerk may type the name and code herself instead."""
        from desktop.division_setup import set_up_area
        from desktop.ui.area_picker import AreaPicker

        picker = AreaPicker(self)
        self.ask(picker)
        area = picker.chosen() if picker.result() == QDialog.DialogCode.Accepted else None
        if area is None:
            if picker.manual:
                self.profile_wizard()
            return
        db, user = self.db, self.user

        def built(summary) -> None:
            self._after_open()
            self.profile_wizard(summary.describe())

        run_task(
            self,
            f"正在建立{area.short_name}的乡镇和村…",
            lambda _progress, _cancelled: set_up_area(db, area.short_code, user=user),
            built,
            failure="未能建立县域",
        )

    def profile_wizard(self, done: str = "") -> None:
        """The profile's details; ``done`` says what was just set up, above them."""
        dialog = QDialog(self)
        dialog.setWindowTitle("填写县域信息")
        layout = QVBoxLayout(dialog)
        intro = QLabel((f"{done}\n\n" if done else "") + "这些信息填入所有上报报表的表头和表尾，以后可在“设置”中修改。")
        intro.setObjectName("profileIntro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        from desktop.ui.pages.settings import ProfileForm

        form = ProfileForm(self, save_button=False)
        form.refresh()
        layout.addWidget(form)
        done = QPushButton("保存")
        done.setObjectName("saveProfile")
        done.clicked.connect(lambda: form.save() and dialog.accept())
        layout.addWidget(done)
        self.ask(dialog)

    def load_demo(self) -> None:
        if not self.may_leave_database("载入示范数据"):
            return
        from desktop.demo import DemoOptions, write_demo

        db = self.db

        def job(progress, cancelled):
            return write_demo(db, DemoOptions(), progress=progress, cancelled=cancelled)

        run_task(self, "正在载入示范数据…", job, lambda _s: self._after_open(), failure="载入示范数据失败")

    # --- page actions -------------------------------------------------------------

    def change_password(self) -> None:
        from desktop.ui.pages.accounts_tab import ChangePasswordDialog

        self.ask(ChangePasswordDialog(self))

    def new_on_page(self) -> None:
        page = self.current_page()
        if hasattr(page, "add") and self.allowed("edit"):
            page.add()

    def export(self) -> None:
        self.show_page("reports").export()

    def find(self) -> None:
        if not self.current_page().focus_search():  # a page without a list (工作台, 报表…): the people's search
            self.show_page("staff").focus_search()

    def print_list(self) -> None:
        from desktop.ui.list_output import print_shown

        if not print_shown(self.current_page()):
            self.statusBar().showMessage("本页没有可打印的列表；季度报告请在“报表”页生成后打印", 5000)

    def show_manual(self) -> None:
        from desktop.ui.help_viewer import ManualDialog

        self.ask(ManualDialog(self))

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "关于",
            f"<b>{PRODUCT_NAME}</b>（CountyHealth Desk）<br>版本 {__version__}<br><br>"
            "县级卫生健康部门基层卫生台账、规范核查与报表工具，离线运行。",
        )

    def restore_backup(self, backup: Path) -> bool:
        """Close the database, put the backup in its place (the current file is backed up first), reopen."""
        from db import open_database
        from db.access import NOT_SIGNED_IN
        from db.backups import restore
        from db.vault import vault_of
        from desktop.accounts import carry_key

        path, actor, key = self.db.path, self.db.actor, vault_of(self.db.engine.dialect)
        actor.require("manage", "从备份恢复数据库")
        if not self.may_leave_database("从备份恢复"):
            return False
        stop_all()  # no job may hold a connection while the file is replaced
        self.db.close()
        try:
            _info, kept = restore(backup, path)
        except UserError as exc:
            show_error(self, "恢复失败", exc, after="数据库未被替换。")
            self.db = open_database(path)
            self.db.actor = actor
            carry_key(key, self.db)
            return False
        self.db = open_database(path)
        self.db.actor = actor  # the administrator who restored stays signed in
        if not carry_key(key, self.db):  # the backup's numbers are sealed under another key: its accounts open it
            from desktop.ui.sign_in import sign_in

            self.db.actor = NOT_SIGNED_IN
            sign_in(self, self.db, self.ask)
        self._after_open()
        self.statusBar().showMessage(f"已从备份恢复；恢复前的数据库已另存为：{kept}", 15000)
        return True

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if not self.may_leave_database("关闭窗口"):
            event.ignore()
            return
        settings().setValue("geometry", self.saveGeometry())
        self._closed = True  # what was to follow the first paint does not come
        stop_all()  # a check still running in the background ends before its database closes
        for timer in self.findChildren(QTimer):  # and nothing waiting to fill a page reads it after
            timer.stop()
        if self.db is not None:  # None: closed before a database was opened (refused, or the sign-in given up)
            self.db.close()
            self._daily_backup()
        super().closeEvent(event)

    def _daily_backup(self) -> None:
        """The first close of a day leaves a verified copy; a failure is logged, never blocks closing."""
        from db.backups import backed_up_today, make_backup

        path = self.db.path
        if path is None or not path.exists() or backed_up_today(path, dt.date.today()):
            return
        try:
            make_backup(path, reason="daily")
        except (UserError, OSError) as exc:
            log.warning("daily backup of %s failed: %s", path, exc)
