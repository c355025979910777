"""设置: the county profile (it fills every form's footer) and the norms, changed from a date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.codes import SEVERITY
from desktop.checks.findings import cn_date
from desktop.excel.sheets import SHEETS
from desktop.norm_parameters import NAMING, label_of, parameters_text, shown, typed
from desktop.norms import NormError, change_norm, later_versions, norms_in_force, periods_decided
from desktop.profile import FORM_BLOCK_FIELDS, form_blocks, load_profile, save_form_block, save_profile
from desktop.ui.operations import run_action
from desktop.ui.pages.accounts_tab import AccountsTab
from desktop.ui.pages.backups_tab import BackupsTab
from desktop.ui.pages.base import Page, date_edit, heading, make_table, requires, selected_row
from desktop.ui.tablemodel import GREY, Column, ListModel


def _edit_with_error(form: QFormLayout, label: str, object_name: str) -> tuple[QLineEdit, QLabel]:
    """A line of a settings form: the field, and under it the reason it was refused (hidden until then)."""
    edit = QLineEdit()
    edit.setObjectName(object_name)
    error = QLabel()
    error.setStyleSheet("color: #b00020;")
    error.hide()
    box = QVBoxLayout()
    box.addWidget(edit)
    box.addWidget(error)
    form.addRow(label, box)
    return edit, error


def _show_errors(labels: dict[str, QLabel], errors: dict[str, str]) -> None:
    for name, label in labels.items():
        label.setText(errors.get(name, ""))
        label.setVisible(name in errors)


class ProfileForm(QWidget):
    FIELDS = (
        ("area_name", "所属地区"),
        ("division_code", "行政区划代码"),
        ("bureau_name", "填报单位＊"),
        ("head_of_unit", "单位负责人"),
        ("preparer", "填表人"),
        ("phone", "联系电话"),
        ("doc_prefix", "发文机关代字"),
        ("report_addressee", "报告主送机关"),
    )

    def __init__(self, win, *, save_button: bool = True) -> None:
        """``save_button``: a button of its own (the settings page); a dialog that holds it saves with its own."""
        super().__init__()
        self.win = win
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        for name, label in self.FIELDS:
            self.edits[name], self.errors[name] = _edit_with_error(form, label, f"profile_{name}")
        form.addRow(
            QLabel(
                "以上信息填入所有上报报表的表头和表尾（单位负责人、填表人、联系电话）；"
                "季度报告以填报单位为发文机关、单位负责人为签发人，并用机关代字和主送机关。"
            )
        )
        if save_button:
            save = QPushButton("保存县域信息")
            save.setObjectName("saveProfile")
            requires(save, "manage")
            save.clicked.connect(self.save)
            form.addRow(save)

    def refresh(self) -> None:
        with self.win.db.reading() as session:
            p = load_profile(session)
        for name, edit in self.edits.items():
            value = getattr(p, name) or ""
            edit.setText(value.removesuffix("000000") if name == "division_code" else value)
        self.edits["area_name"].setPlaceholderText("如 清溪县")
        self.edits["division_code"].setPlaceholderText("6位行政区划代码，如 530102")
        self.edits["doc_prefix"].setPlaceholderText("发文字号中的机关代字，如 清卫健（发文字号为 清卫健〔2026〕15号）")
        self.edits["report_addressee"].setPlaceholderText("季度报告的主送机关，如 县人民政府；不填则为本县人民政府")

    def save(self) -> bool:
        values, user = {name: edit.text() for name, edit in self.edits.items()}, self.win.user
        done = run_action(self.win, lambda s: save_profile(s, user=user, **values), failure="未能保存", parent=self)
        if done is None:
            return False
        _show_errors(self.errors, done.value)  # what is wrong, beside its field (and nothing saved)
        if not done.value:
            self.win.statusBar().showMessage("县域信息已保存", 5000)
        return not done.value


class FormBlockForm(QGroupBox):
    """The statistical-form block (表号, 制定机关, 批准文号, 有效期至) a submission sheet carries, sheet by sheet."""

    def __init__(self, win) -> None:
        super().__init__("报表表号（统计报表右上角的表号、制定机关、批准文号、有效期至）")
        self.win = win
        form = QFormLayout(self)
        self.sheet = QComboBox()
        self.sheet.setObjectName("blockSheet")
        for key, (label, _build) in SHEETS.items():
            self.sheet.addItem(label, key)
        self.sheet.currentIndexChanged.connect(lambda _i: self.refresh())
        form.addRow("报表", self.sheet)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        for name, label, size in FORM_BLOCK_FIELDS:
            self.edits[name], self.errors[name] = _edit_with_error(form, label.replace("　", ""), f"block_{name}")
            self.edits[name].setMaxLength(size)
        self.edits["form_number"].setPlaceholderText("如 卫健统1表；不填则该报表不印表号")
        self.edits["valid_until"].setPlaceholderText("如 2027年12月")
        save = QPushButton("保存表号")
        save.setObjectName("saveFormBlock")
        requires(save, "manage")
        save.clicked.connect(self.save)
        form.addRow(save)

    def refresh(self) -> None:
        with self.win.db.reading() as session:
            given = form_blocks(session).get(self.sheet.currentData(), {})
        for name, edit in self.edits.items():
            edit.setText(given.get(name, ""))
            self.errors[name].hide()

    def save(self) -> bool:
        values, sheet, user = (
            {name: edit.text() for name, edit in self.edits.items()},
            self.sheet.currentData(),
            self.win.user,
        )
        done = run_action(
            self.win, lambda s: save_form_block(s, sheet, values, user=user), failure="未能保存", parent=self
        )
        if done is None:
            return False
        _show_errors(self.errors, done.value)
        if not done.value:
            self.win.statusBar().showMessage(f"“{self.sheet.currentText()}”的表号已保存", 5000)
        return not done.value


class NormDialog(QDialog):
    """Change one rule from a date: its parameters, whether it is on, its severity."""

    def __init__(self, norm, today: dt.date, parent=None) -> None:
        super().__init__(parent)
        self.norm = norm
        self.setWindowTitle(f"修改规范：{norm.name}")
        form = QFormLayout(self)
        form.addRow(QLabel(f"依据：{norm.source}"))
        form.addRow("当前版本", QLabel(f"第{norm.version}版，{cn_date(norm.effective_from)}起生效"))
        self.effective = date_edit(today)
        self.effective.setObjectName("normEffective")
        form.addRow("新版本生效日期＊", self.effective)
        self.params: dict[str, QLineEdit] = {}
        for key, value in norm.params.items():
            label = label_of(norm.rule_id, key, norm.params)
            if key in NAMING:  # equipment, categories, an indicator: named, not typed
                named = QLabel(shown(key, value))
                named.setWordWrap(True)
                form.addRow(label, named)
                continue
            edit = QLineEdit(shown(key, value))
            edit.setObjectName(f"param_{key}")
            self.params[key] = edit
            form.addRow(label, edit)
        self.enabled = QCheckBox("启用该规则")
        self.enabled.setChecked(norm.enabled)
        form.addRow(self.enabled)
        self.severity = QComboBox()
        for code, label in SEVERITY.items():
            self.severity.addItem(label, code)
        self.severity.setCurrentIndex(self.severity.findData(norm.severity))
        form.addRow("严重程度", self.severity)
        # The document the bureau cites for the rule: its own province's or county's, not forever the sample's.
        self.source = {}
        for key, label, value in (
            ("title", "依据文件名称＊", norm.source_title),
            ("number", "文号", norm.source_number),
            ("issuer", "发文单位", norm.source_issuer),
            ("item", "条款", norm.source_item),
        ):
            edit = QLineEdit(value or "")
            edit.setObjectName(f"source_{key}")
            self.source[key] = edit
            form.addRow(label, edit)
        self.note = QLineEdit()
        self.note.setPlaceholderText("为什么修改，如：按本省新文件调整")
        form.addRow("修改说明", self.note)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        form.addRow(self.error)
        form.addRow(QLabel("修改会新增一个版本；生效日期之前的核查仍按旧版本计算。"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict:
        params = {}
        for key, edit in self.params.items():
            try:
                params[key] = typed(key, edit.text(), self.norm.params[key])
            except ValueError as exc:
                raise NormError(str(exc)) from None
        changed = {k: v for k, v in params.items() if v != self.norm.params.get(k)}
        was = {
            "title": self.norm.source_title,
            "number": self.norm.source_number,
            "issuer": self.norm.source_issuer,
            "item": self.norm.source_item,
        }
        source = {k: e.text().strip() or None for k, e in self.source.items() if (e.text().strip() or None) != was[k]}
        if "title" in source and not source["title"]:
            raise NormError("依据的文件名称不能为空")
        return {
            "source": source or None,
            "params": changed or None,
            "enabled": self.enabled.isChecked() if self.enabled.isChecked() != self.norm.enabled else None,
            "severity": self.severity.currentData() if self.severity.currentData() != self.norm.severity else None,
            "note": self.note.text() or None,
        }

    def try_accept(self) -> None:
        try:
            v = self.values()
        except NormError as exc:
            self.error.setText(str(exc))
            return
        if v["params"] is None and v["enabled"] is None and v["severity"] is None and v["source"] is None:
            self.error.setText("没有任何修改")
            return
        self.accept()


class SettingsPage(Page):
    reads = frozenset({"county_profile", "divisions", "form_blocks", "norm_rules", "norm_versions", "users"})

    def __init__(self, win) -> None:
        super().__init__(win)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("设置"))
        self.tabs = QTabWidget()
        self.profile = ProfileForm(win)
        self.form_block = FormBlockForm(win)
        area = QWidget()
        a_layout = QVBoxLayout(area)
        a_layout.addWidget(self.profile)
        a_layout.addWidget(self.form_block)
        a_layout.addStretch(1)
        self.tabs.addTab(area, "县域信息")
        norms = QWidget()
        n_layout = QVBoxLayout(norms)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("查看日期"))
        self.date = date_edit(win.today)
        self.date.setObjectName("normDate")
        self.date.dateChanged.connect(lambda _d: self.refresh_norms())
        bar.addWidget(self.date)
        bar.addStretch(1)
        change = QPushButton("修改所选规范…")
        change.setObjectName("changeNorm")
        requires(change, "manage")
        change.clicked.connect(self.change_selected)
        bar.addWidget(change)
        n_layout.addLayout(bar)
        self.model = ListModel(
            [
                Column("规则", lambda n: n.name, width=260),
                Column("状态", lambda n: "启用" if n.enabled else "停用", width=50),
                Column("严重程度", lambda n: SEVERITY[n.severity], width=70),
                Column("版本", lambda n: f"第{n.version}版（{n.effective_from}起）", width=150),
                Column(
                    "参数",
                    lambda n: parameters_text(n.rule_id, n.params),
                    width=260,
                    tooltip=lambda n: parameters_text(n.rule_id, n.params),
                ),  # fmt: skip
                Column("依据", lambda n: n.source, tooltip=lambda n: n.source),
            ],
            colour=lambda n: GREY if not n.enabled else None,
        )
        self.view = make_table(self.model)
        self.view.setObjectName("normTable")
        self.view.doubleClicked.connect(lambda _i: self.change_selected())
        n_layout.addWidget(self.view, 1)
        self.tabs.addTab(norms, "核查规范")
        self.backups = BackupsTab(win)
        self.tabs.addTab(self.backups, "备份与恢复")
        self.accounts = AccountsTab(win)
        self.tabs.addTab(self.accounts, "账号与登录")
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        self.profile.refresh()
        self.form_block.refresh()
        self.refresh_norms()
        self.backups.refresh()
        self.accounts.refresh()

    def refresh_norms(self) -> None:
        with self.win.db.reading() as session:
            norms = norms_in_force(session, self.date.date().toPython())
        self.model.set_rows(list(norms.values()))

    def _carry_forward(self, norm, start: dt.date, later: list[tuple[int, dt.date]]) -> bool | None:
        """A version dated before a later one: say which periods it decides, and ask whether the later versions
        take over the change. None: the clerk cancelled."""
        number, until = later[0]
        only = periods_decided(start, until)
        box = QMessageBox(QMessageBox.Icon.Question, "修改规范", f"“{norm.name}”在{cn_date(until)}已有第{number}版。")
        box.setInformativeText(
            f"新版本自{cn_date(start)}起只生效到{cn_date(until)}之前，"
            + (f"{only}的核查结果将随之改变。" if only else "没有哪一期的核查结果会因此改变。")
            + f"\n\n是否让第{number}版及此后的版本也采用本次修改？"
            + f"（选“是”，{periods_decided(start, None)}的结果都将改变）"
        )
        yes = box.addButton("是，此后版本一并修改", QMessageBox.ButtonRole.YesRole)
        box.addButton("否，只改到下一版本之前", QMessageBox.ButtonRole.NoRole)
        cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setObjectName("carryForward")
        self.win.ask(box)
        clicked = box.clickedButton()
        if clicked is None or clicked is cancel:
            return None
        return clicked is yes

    def change_selected(self) -> None:
        norm = selected_row(self.view)
        if norm is None:
            QMessageBox.information(self, "修改规范", "请先在表中选择一条规范。")
            return
        dialog = NormDialog(norm, self.win.today, self)
        if self.win.ask(dialog) != QDialog.DialogCode.Accepted:
            return
        v = dialog.values()
        start = dialog.effective.date().toPython()
        with self.win.db.reading() as session:
            later = [(x.version, x.effective_from) for x in later_versions(session, norm.rule_id, start)]
        carry = False
        if later:
            carry = self._carry_forward(norm, start, later)
            if carry is None:
                return
        user = self.win.user
        run_action(  # the norms shown are read again by the window, with the rest of this page
            self.win, lambda s: change_norm(s, norm.rule_id, start, user=user, carry_forward=carry, **v),
            failure="无法修改", parent=self,
        )  # fmt: skip
