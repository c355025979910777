"""数据交换: the quarter's files from the areas below (sent, waiting, approved, missing), importing one with a
preview of what it changes, approving, reopening with a reason; this database's receiving key for the areas
below; and this area's own file for the level above, sealed for the receiver registered from its key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
)

from db.errors import Cancelled
from desktop.exchange.approval import (
    SenderStatus,
    approve,
    confirm,
    period_status,
    receive_file,
    rekey,
    reopen,
    status_summary,
)
from desktop.exchange.container import ExchangeFileError, fingerprint
from desktop.exchange.export import ExchangeError, export_area
from desktop.exchange.identity import (
    NO_RECEIVER,
    KeyFileError,
    read_key_file,
    receivers,
    register_receiver,
    write_key_file,
)
from desktop.ui import file_dialogs
from desktop.ui.errors import show_error
from desktop.ui.operations import run_action, run_action_in_background
from desktop.ui.pages.base import Page, add_buttons, heading, make_table, selected_row
from desktop.ui.tablemodel import Column, ListModel


def _received(row: SenderStatus) -> str:
    return "" if row.receipt is None else f"{row.receipt.received_at:%Y-%m-%d %H:%M}"


def _decided(row: SenderStatus) -> str:
    r = row.receipt
    if r is None or r.decided_at is None:
        return ""
    return f"{r.decided_by} {r.decided_at:%Y-%m-%d %H:%M}" + (f"（原因：{r.note}）" if r.note else "")


class ExchangePage(Page):
    reads = frozenset({"county_profile", "divisions", "exchange_receipts", "exchange_receivers", "exchange_senders"})

    def __init__(self, win) -> None:
        super().__init__(win)
        layout = QVBoxLayout(self)
        self.header = heading("数据交换")
        layout.addWidget(self.header)
        self.summary = QLabel()
        self.summary.setObjectName("exchangeSummary")
        layout.addWidget(self.summary)
        bar = QHBoxLayout()
        add_buttons(
            bar,
            [
                ("导入交换文件…", self.choose_file, "exchangeImport", "edit"),
                ("确认指纹…", self.confirm_selected, "exchangeConfirm", "manage"),
                ("审核通过", self.approve_selected, "exchangeApprove", "manage"),
                ("重新打开…", self.reopen_selected, "exchangeReopen", "manage"),
                ("改认新密钥…", self.rekey_file, "exchangeRekey", "manage"),
                ("导出本地区交换文件…", self.export_own, "exchangeExport", "unmask"),  # whole numbers leave
                ("本库接收密钥…", self.export_key, "exchangeKey", "edit"),
                ("登记接收单位…", self.register_key, "exchangeReceiver", "manage"),
            ],
        )
        bar.addStretch(1)
        layout.addLayout(bar)
        self.model = ListModel(
            [
                Column("地区", lambda r: r.name, width=160),
                Column("区划代码", lambda r: r.code, width=120),
                Column("本期状态", lambda r: r.label, width=110),
                Column("收到时间", _received, width=130),
                Column("文件", lambda r: r.receipt.file_name if r.receipt else "", width=220),
                Column("审核/重新打开", _decided),
            ]
        )
        self.view = make_table(self.model, sortable=False)
        self.view.setObjectName("exchangeTable")
        layout.addWidget(self.view, 1)
        self.receivers = QLabel()
        self.receivers.setObjectName("exchangeReceivers")
        self.receivers.setWordWrap(True)
        layout.addWidget(self.receivers)
        layout.addWidget(
            QLabel(
                "下级报送的交换文件先“待审核”，审核通过后才计入本库的数据，并锁定该期（锁定期间不能在本库修改该地区的记录）；"
                "如需更正，“重新打开”并写明原因。"
            )
        )

    def refresh(self) -> None:
        period = self.win.period
        with self.win.db.reading() as session:
            rows = period_status(session, period)
            known = [(r.name, fingerprint(r.public_key)) for r in receivers(session)]
        self.receivers.setText(
            "本地区交换文件报送给："
            + "；".join(f"{name}（接收密钥指纹 {printed}）" for name, printed in known)
            + "。文件加密后只有接收单位的数据库能打开。"
            if known
            else "尚未登记接收单位：导出本地区交换文件前，请上级单位导出“本库接收密钥”文件发来，"
            "电话核对指纹后由管理员“登记接收单位…”。"
        )
        self.header.setText(f"数据交换 · {period.label}")
        self.model.set_rows(rows)
        self.summary.setText(status_summary(rows) if rows else "本库尚未设置所属地区，或其下没有地区。")

    # --- importing ------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _ = file_dialogs.open_file_name(self, "选择交换文件", "", "交换文件 (*.chx);;所有文件 (*)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> bool:
        """Check the file and show what it would change; keep it for approval if the clerk agrees."""
        try:
            with self.win.db.reading() as session:
                plan, _ = receive_file(session, path, user=self.win.user, dry_run=True)
        except (ExchangeError, ExchangeFileError) as exc:
            show_error(self, "无法导入", exc)
            return False
        lines = []
        for tp in plan.tables.values():
            if tp.new or tp.changed or tp.removed:
                lines += [f"{tp.spec.label}：{tp.summary()}", *(f"    {c}" for c in tp.changes(3))]
        if plan.problems:
            shown = "\n".join(f"{p.where}：{p.message}" for p in plan.problems[:20])
            more = f"\n……共 {len(plan.problems)} 处" if len(plan.problems) > 20 else ""
            QMessageBox.warning(
                self, "无法导入", f"发现 {len(plan.problems)} 处问题，未导入任何记录：\n\n{shown}{more}"
            )
            return False
        box = QMessageBox(
            QMessageBox.Icon.Question, "导入交换文件", f"{plan.sender_name}{plan.period.label}的交换文件", parent=self
        )
        text = "\n".join(lines) or "与本库现有数据相同，没有变化。"
        if not plan.confirmed:
            first = "首次收到该单位的文件" if plan.first_from_sender else "该单位的签名尚未确认"
            text += (
                f"\n\n{first}，签名指纹：{plan.fingerprint}\n请与报送单位电话核对；一致后由管理员“确认指纹”，才能审核。"
            )
        box.setInformativeText(text + "\n\n收下后为“待审核”，审核通过后才计入本库。")
        box.addButton("收下", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        self.win.ask(box)
        if box.clickedButton() is None or box.clickedButton().text() != "收下":
            return False
        user = self.win.user
        if run_action(self.win, lambda s: receive_file(s, path, user=user), failure="无法导入", parent=self) is None:
            return False
        self.win.statusBar().showMessage(f"已收下{plan.sender_name}{plan.period.label}交换文件，待审核", 10000)
        return True

    # --- approving --------------------------------------------------------------------

    def _selected(self) -> SenderStatus | None:
        row = selected_row(self.view)
        if row is None:
            QMessageBox.information(self, "数据交换", "请先在表中选择一个地区。")
        return row

    def approve_selected(self) -> None:
        row = self._selected()
        if row is None:
            return
        if row.status != "received":
            QMessageBox.information(self, "审核", f"{row.name}本期没有待审核的文件（{row.label}）。")
            return
        period, user = self.win.period, self.win.user

        def action(session, progress, cancelled):
            def step(done: int, total: int) -> None:
                progress(done, total)
                if cancelled():
                    raise Cancelled

            return approve(session, row.code, period, user=user, progress=step)

        def done(result) -> None:
            plan, written = result
            self.win.statusBar().showMessage(
                f"已审核通过{plan.sender_name}{plan.period.label}数据并锁定：写入 {written:,} 条记录", 15000
            )

        run_action_in_background(
            self.win, f"正在合并{row.name}的数据…", action, done, failure="审核未完成", after="未写入任何记录。",
            parent=self,
        )  # fmt: skip

    def confirm_selected(self) -> bool:
        """A first-time sender's key, accepted after the clerk read its fingerprint back over the phone."""
        row = self._selected()
        if row is None:
            return False
        if row.sender is None or row.confirmed:
            state = "尚未收到该单位的文件" if row.sender is None else "该单位的签名指纹已确认"
            QMessageBox.information(self, "确认指纹", f"{row.name}：{state}，无需确认。")
            return False
        reason, ok = QInputDialog.getText(
            self,
            "确认指纹",
            f"{row.name}（{row.code}）的签名指纹：\n\n    {row.fingerprint}\n\n"
            "请电话与对方逐组核对，一致后写明确认的原因：",
        )
        if not ok:
            return False
        user = self.win.user
        if run_action(self.win, lambda s: confirm(s, row.code, user=user, reason=reason), failure="未能确认") is None:
            return False
        self.win.statusBar().showMessage(f"已确认{row.name}的签名指纹，现在可以审核", 15000)
        return True

    def reopen_selected(self) -> None:
        row = self._selected()
        if row is None:
            return
        if row.status != "approved":
            QMessageBox.information(self, "重新打开", f"{row.name}本期的数据尚未审核（{row.label}）。")
            return
        reason, ok = QInputDialog.getText(self, "重新打开", f"重新打开{row.name}{self.win.period.label}数据的原因：")
        if not ok:
            return
        period, user = self.win.period, self.win.user
        run_action(self.win, lambda s: reopen(s, row.code, period, user=user, reason=reason), failure="未能重新打开")

    def rekey_file(self, path: Path | None = None) -> bool:
        """A sender's new signing key (a new PC), accepted after the clerk checked its fingerprint by phone."""
        if path is None:
            chosen, _ = file_dialogs.open_file_name(self, "选择用新密钥签名的交换文件", "", "交换文件 (*.chx)")
            if not chosen:
                return False
            path = Path(chosen)
        reason, ok = QInputDialog.getText(self, "改认新密钥", "已电话核对新指纹？请写明改认的原因：")
        if not ok:
            return False
        user = self.win.user
        done = run_action(self.win, lambda s: rekey(s, path, user=user, reason=reason), failure="未能改认")
        if done is None:
            return False
        old, new = done.value
        self.win.statusBar().showMessage(f"已改认新密钥：指纹 {old} → {new}；现在可以导入此文件", 15000)
        return True

    # --- this area's own file ---------------------------------------------------------

    def export_own(self) -> None:
        period = self.win.period
        with self.win.db.reading() as session:
            known = [(r.division_code, r.name) for r in receivers(session)]
        to = None
        if len(known) > 1:
            choices = [f"{name}（{code}）" for code, name in known]
            chosen, ok = QInputDialog.getItem(self, "导出交换文件", "报送给哪个接收单位：", choices, 0, False)
            if not ok:
                return
            to = known[choices.index(chosen)][0]
        elif not known:  # said before the clerk picks a file, not after
            show_error(self, "无法导出", KeyFileError(NO_RECEIVER))
            return
        path, _ = file_dialogs.save_file_name(self, "导出交换文件", f"交换文件-{period}.chx", "交换文件 (*.chx)")
        if not path:
            return
        user = self.win.user
        done = run_action(
            self.win, lambda s: export_area(s, period=period, out=Path(path), user=user, to=to), failure="无法导出"
        )
        if done is None:
            return
        summary = done.value
        QMessageBox.information(
            self,
            "已导出",
            f"已导出{summary.sender}{period.label}交换文件：\n{summary.path}\n\n"
            f"共 {sum(summary.counts.values()):,} 条记录，已加密：只有“{summary.receiver}”的数据库能打开。\n"
            f"签名指纹：{summary.fingerprint}（接收方首次导入时可电话核对）",
        )

    # --- receiving keys ------------------------------------------------------------------

    def export_key(self) -> None:
        """This database's receiving key, for the areas below to register."""
        path, _ = file_dialogs.save_file_name(self, "导出本库接收密钥", "接收密钥.chk", "接收密钥文件 (*.chk)")
        if not path:
            return
        done = run_action(self.win, lambda s: write_key_file(s, Path(path)), failure="无法导出")
        if done is None:
            return
        written, printed = done.value
        QMessageBox.information(
            self,
            "已导出",
            f"已导出本库的接收密钥：\n{written}\n\n接收密钥指纹：{printed}\n\n"
            "请把此文件发给下级单位，并在对方登记时电话核对指纹。文件不含任何机密，可通过普通渠道发送。",
        )

    def register_key(self, path: Path | None = None) -> bool:
        """The level above's receiving key, registered after the clerk read its fingerprint back by phone."""
        if path is None:
            chosen, _ = file_dialogs.open_file_name(self, "选择上级单位的接收密钥文件", "", "接收密钥文件 (*.chk)")
            if not chosen:
                return False
            path = Path(chosen)
        try:
            card = read_key_file(path)
        except KeyFileError as exc:
            show_error(self, "无法登记", exc)
            return False
        reason, ok = QInputDialog.getText(
            self,
            "登记接收单位",
            f"{card.name}（{card.code}）的接收密钥指纹：\n\n    {fingerprint(card.public_key)}\n\n"
            "请电话与对方逐组核对，一致后写明登记的原因：",
        )
        if not ok:
            return False
        user = self.win.user
        done = run_action(self.win, lambda s: register_receiver(s, path, user=user, reason=reason), failure="未能登记")
        if done is None:
            return False
        receiver, old = done.value
        again = "（已替换原密钥）" if old else ""
        self.win.statusBar().showMessage(f"已登记接收单位{receiver.name}{again}：此后的交换文件只有它能打开", 15000)
        return True
