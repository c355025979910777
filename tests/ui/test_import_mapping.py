"""The import wizard's 列对应 step: a bureau's own roster, its columns confirmed, imported, and remembered."""

from __future__ import annotations

import re

from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QLineEdit, QMessageBox, QPushButton
from sqlalchemy import select

from db.models import Facility, StaffMember
from desktop.excel.mapping import IGNORE
from desktop.ui import file_dialogs
from desktop.ui.column_mapping import PROPOSAL, ColumnMappingModel
from desktop.ui.import_wizard import ImportWizard

# A roster as a bureau keeps it: a title line, a header the app partly knows. 姓 名 称 呼 only contains a field's
# word (a proposal); 资格等第 holds the 专业技术职称 under a header no field knows; 在岗状态 has no column.
HEADERS = ["序号", "姓 名 称 呼", "身份证号码", "工作单位", "资格等第", "人员类别", "用工形式", "岗位等级乙"]


def id_number(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


def people(start: int, n: int) -> list[str]:
    """ID numbers that end in a digit (an X would be a Latin letter on screen) and no demo person has."""
    out, k = [], start
    while len(out) < n:
        number = id_number(f"53262219850315{k:03d}")
        if number[-1].isdigit():
            out.append(number)
        k += 1
    return out


def roster(path, facility: str, start: int) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["某某乡卫生院职工花名册"])
    ws.append(HEADERS)
    names = ["甲乙丙", "丁戊己"]
    for i, (name, number) in enumerate(zip(names, people(start, 2), strict=True), 1):
        ws.append([i, f"{name}{start}", number, facility, "中级", "执业医师", "在编", "十级"])
    wb.save(path)


def row_of(wizard, header: str) -> int:
    model = wizard.mapping_step.model
    return next(i for i, r in enumerate(model.rows) if r.column.header == header)


def choose(wizard, header: str, label: str) -> None:
    """Pick a field in the 导入为 drop-down of a column, as the clerk does."""
    view = wizard.mapping_step.view
    box = view.indexWidget(view.model().index(row_of(wizard, header), ColumnMappingModel.FIELD))
    assert isinstance(box, QComboBox)
    box.setCurrentIndex(box.findText(label))


def shown_text(step) -> list[str]:
    """Everything the clerk can read in the step: labels, buttons, drop-downs, boxes, and the table's cells."""
    texts = [w.text() for w in step.findChildren(QLabel) + step.findChildren(QPushButton) if w.isVisible()]
    texts += [w.title() for w in step.findChildren(QGroupBox) if w.isVisible()]
    for box in step.findChildren(QComboBox):
        texts += [box.itemText(i) for i in range(box.count())]
    texts += [e.placeholderText() + e.text() for e in step.findChildren(QLineEdit) if e.isVisible()]
    model = step.model
    for c in range(model.columnCount()):
        if not step.view.isColumnHidden(c) and c != model.LETTER:  # A, B, C: the column as Excel names it
            texts.append(model.headerData(c, Qt.Orientation.Horizontal))
            texts += [model.index(r, c).data() or "" for r in range(model.rowCount())]
    return texts


def test_a_roster_of_its_own_is_confirmed_column_by_column_then_remembered(window, demo_db, tmp_path, monkeypatch):
    with demo_db.session() as s:
        facility = s.scalars(select(Facility.name).order_by(Facility.id)).first()
    first = tmp_path / "花名册.xlsx"
    roster(first, facility, 1)
    wizard = ImportWizard(window, "staff")
    wizard.show()
    wizard.file.setText(str(first))
    wizard.check()

    step = wizard.mapping_step
    assert wizard.tabs.currentWidget() is step and wizard.tabs.isTabVisible(wizard.tabs.indexOf(step))
    assert "第2行为表头" in step.where.text()
    model = step.model
    name_row = model.rows[row_of(wizard, "姓 名 称 呼")]
    assert name_row.chosen == "name" and model.index(row_of(wizard, "姓 名 称 呼"), model.STATE).data() == PROPOSAL
    assert model.rows[row_of(wizard, "资格等第")].chosen == IGNORE
    assert "缺少必填列“专业技术职称”" in step.note.text() and "缺少必填列“在岗状态”" in step.note.text()
    assert set(step.constant_editors) == {"title", "status"}  # a value for every row is offered for both
    assert not wizard.import_all.isEnabled() and not wizard.import_good.isEnabled()
    # The ID numbers under their header are masked, as everywhere on screen.
    samples = model.index(row_of(wizard, "身份证号码"), model.SAMPLES).data()
    assert "********" in samples and people(1, 1)[0] not in samples
    visible = "".join(str(t) for t in shown_text(step))
    assert not re.search(r"[A-Za-z]", visible), visible

    choose(wizard, "资格等第", "专业技术职称")
    assert set(step.constant_editors) == {"status"}  # 职称 has its column now
    assert "还需为“在岗状态”选择一列" in step.note.text()
    status = step.constant_editors["status"]
    status.setCurrentIndex(status.findText("在岗"))
    assert not wizard.import_all.isEnabled()  # what is shown is not yet checked with these choices
    assert "按此对应重新检查" in step.note.text() and "缺少" not in step.note.text()
    step.recheck.click()

    assert not wizard.report.problems and wizard.preview.rowCount() == 2
    assert "在岗状态＝在岗" in wizard.report.layouts[0].described()
    assert wizard.import_all.isEnabled()
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    wizard.import_all.click()
    with demo_db.session() as s:
        stored = s.execute(
            select(StaffMember.title, StaffMember.status).where(StaffMember.id_number.in_(people(1, 2)))
        ).all()
    assert sorted(stored) == [("intermediate", "on_post")] * 2

    second = tmp_path / "花名册（十二月）.xlsx"
    roster(second, facility, 40)
    again = ImportWizard(window, "staff")
    again.show()
    again.file.setText(str(second))
    again.check()
    assert not again.report.problems and again.report.layouts[0].remembered
    assert "已按上次确认的列对应读取" in again.summary.text() and "全部行填写：在岗状态＝在岗" in again.summary.text()
    assert "已按上次确认的列对应读取" in again.mapping_step.where.text()
    assert again.mapping_step.model.rows[row_of(again, "资格等第")].chosen == "title"
    assert again.tabs.currentWidget() is again.preview_view
    again.import_all.click()
    with demo_db.session() as s:
        assert s.scalar(select(StaffMember.status).where(StaffMember.id_number == people(40, 1)[0])) == "on_post"


def test_a_field_chosen_for_a_second_column_moves_there(window, demo_db, tmp_path):
    path = tmp_path / "花名册.xlsx"
    roster(path, "清溪县人民医院", 1)
    wizard = ImportWizard(window, "staff")
    wizard.show()
    wizard.file.setText(str(path))
    wizard.check()
    choose(wizard, "岗位等级乙", "姓名")
    model = wizard.mapping_step.model
    assert model.rows[row_of(wizard, "岗位等级乙")].chosen == "name"
    assert model.rows[row_of(wizard, "姓 名 称 呼")].chosen == IGNORE
    assert "“姓名”已从“姓 名 称 呼”列改到“岗位等级乙”列" in wizard.mapping_step.note.text()
    box = wizard.mapping_step.view.indexWidget(model.index(row_of(wizard, "姓 名 称 呼"), model.FIELD))
    assert box.currentText() == "不导入"


def test_a_mapping_saved_from_the_step_is_loaded_for_the_next_file(window, demo_db, tmp_path, monkeypatch):
    path = tmp_path / "花名册.xlsx"
    roster(path, "清溪县人民医院", 1)
    wizard = ImportWizard(window, "staff")
    wizard.file.setText(str(path))
    wizard.check()
    choose(wizard, "资格等第", "专业技术职称")
    status = wizard.mapping_step.constant_editors["status"]
    status.setCurrentIndex(status.findText("在岗"))
    saved = tmp_path / "列对应.json"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: (str(saved), ""))
    wizard.mapping_step.save.click()
    text = saved.read_text(encoding="utf-8")
    assert '"资格等第": "专业技术职称"' in text and '"在岗状态": "在岗"' in text

    other = ImportWizard(window, "staff")
    other.file.setText(str(path))
    other.check()
    assert other.report.problems
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: (str(saved), ""))
    other.mapping_step.load.click()
    assert not other.report.problems and other.preview.rowCount() == 2 and other.import_all.isEnabled()


def test_our_own_template_needs_no_column_mapping(window, tmp_path):
    page = window.show_page("reports")
    page.template_kind.setCurrentIndex(page.template_kind.findData("staff"))
    page.with_records.setChecked(True)
    path = tmp_path / "staff.xlsx"
    page.make_template(path=str(path))
    wizard = ImportWizard(window, "staff")
    wizard.file.setText(str(path))
    wizard.check()
    assert wizard.report.plans and not wizard.tabs.isTabVisible(wizard.tabs.indexOf(wizard.mapping_step))


def test_the_mapping_model_marks_proposals_and_twins_without_a_window():
    from desktop.excel.importer import SheetLayout
    from desktop.excel.mapping import CERTAIN, Match
    from desktop.excel.tables import Column, Table
    from desktop.records.types import STAFF

    name, phone = STAFF.field("name"), STAFF.field("phone")
    columns = [
        Column(0, "序号", Match(None, 1.0, ignored=True), [1.0, 2.0]),
        Column(1, "姓名", Match(name, 1.0), ["甲乙丙"]),
        Column(2, "姓名（曾用名）", Match(name, CERTAIN - 0.2), ["丁戊"]),  # a proposal for a field already placed
        Column(3, "电话号码表", Match(phone, CERTAIN - 0.3), [13812345678.0]),
        Column(4, "岗位等级乙", Match(None, 0.0), ["十级"]),
    ]
    layout = SheetLayout(Table("花名册", (1,), columns, []), columns={1: name})
    model = ColumnMappingModel()
    model.set_layout(layout, STAFF, confirmed=False)
    states = [(r.chosen, model.state_text(r)) for r in model.rows]
    assert states == [
        (IGNORE, "无需导入（序号或由其他列计算）"),
        ("name", "已对应"),
        (IGNORE, "也像“姓名”，未导入"),
        ("phone", PROPOSAL),
        (IGNORE, "未识别，不导入"),
    ]
    assert model.index(0, model.SAMPLES).data() == "1、2"
    assert model.index(3, model.SAMPLES).data() == "138****5678"  # a phone number masked, as on every page
    assert model.setData(model.index(4, model.FIELD), "name")
    assert model.rows[4].chosen == "name" and model.rows[1].chosen == IGNORE
    assert model.columns()["姓名"] == IGNORE and model.columns()["岗位等级乙"] == "name"
    assert not model.setData(model.index(4, model.FIELD), "no_such_field")


def test_values_in_everyday_words_are_shown_as_read_before_anything_is_written(window, demo_db, tmp_path):
    with demo_db.session() as s:
        facility = s.scalars(select(Facility.name).order_by(Facility.id)).first()
    path = tmp_path / "名册.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码", "工作单位", "职称", "人员类别", "用工性质", "在职状态", "参加工作时间"])
    for n, number in enumerate(people(70, 2)):
        ws.append([f"读{n}", number, facility, "主治医师", "执业医师", "合同制", "在职", "2012.7"])
    wb.save(path)
    wizard = ImportWizard(window, "staff")
    wizard.show()
    wizard.file.setText(str(path))
    wizard.check()

    assert not wizard.report.problems and wizard.preview.rowCount() == 2
    tab = wizard.tabs.indexOf(wizard.readings_view)
    assert wizard.tabs.isTabVisible(tab)
    rows = [wizard.readings.index(r, 3).data() for r in range(wizard.readings.rowCount())]
    cells = {str(wizard.readings.index(r, 4).data()) for r in range(wizard.readings.rowCount())}
    assert {"主治医师 → 中级", "合同制 → 编外", "在职 → 在岗", "2012.7 → 2012-07-01（只有年月，按当月1日）"} <= set(
        rows
    )
    assert cells == {"2"}  # each word stood in both rows
    # The 列对应 step shows beside each column how its values were read.
    model = wizard.mapping_step.model
    assert "主治医师 → 中级" in model.index(row_of(wizard, "职称"), model.READINGS).data()
    with demo_db.session() as s:
        assert s.scalar(select(StaffMember.id).where(StaffMember.name == "读0")) is None  # a check writes nothing


def test_a_name_written_its_own_way_is_confirmed_by_the_clerk_and_then_imported(window, demo_db, tmp_path, monkeypatch):
    from desktop.ui.name_proposals import NameProposalsDialog

    path = tmp_path / "简称.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号码", "工作单位", "职称", "人员类别", "用工形式", "在岗状态"])
    for n, number in enumerate(people(90, 2)):
        ws.append([f"简{n}", number, "马田卫生院", "中级", "注册护士", "编外", "在岗"])
    wb.save(path)
    wizard = ImportWizard(window, "staff")
    wizard.show()
    wizard.file.setText(str(path))
    wizard.check()
    assert len(wizard.report.problems) == 2 and wizard.confirm_names.isVisible()

    def answer(dialog: NameProposalsDialog) -> int:
        [(_name, written, box)] = dialog.choices  # one name, written in two cells
        assert written == "马田卫生院" and box.currentText() == "（不采用，仍按问题处理）"  # nothing chosen for her
        box.setCurrentIndex(box.findText("马田镇卫生院"))
        return 1

    monkeypatch.setattr(window, "ask", answer)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    wizard.confirm_names.click()
    assert not wizard.report.problems and wizard.preview.rowCount() == 2
    assert not wizard.confirm_names.isVisible()
    rows = [wizard.readings.index(r, 3).data() for r in range(wizard.readings.rowCount())]
    assert "马田卫生院 → 马田镇卫生院（已确认）" in rows
    wizard.import_all.click()
    with demo_db.session() as s:
        facilities = s.scalars(select(Facility.name).join(StaffMember).where(StaffMember.name.like("简%"))).all()
    assert facilities == ["马田镇卫生院"] * 2


def test_the_problems_are_listed_in_the_order_of_their_rows(window, demo_db, tmp_path):
    path = tmp_path / "顺序.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号码", "工作单位", "职称", "人员类别", "用工形式", "在岗状态"])
    for n, (number, unit) in enumerate(zip(people(130, 3), ["乙机构", "甲机构", "丙机构"], strict=True)):
        ws.append([f"序{n}", number, unit, "中级", "注册护士", "编外", "在岗"])
    wb.save(path)
    wizard = ImportWizard(window, "staff")
    wizard.show()
    wizard.file.setText(str(path))
    wizard.check()
    # A view that allows sorting starts with no sort column: the rows as the check gives them, not by message.
    assert [wizard.problems.index(r, 1).data() for r in range(3)] == ["2", "3", "4"]


def test_a_ledgers_progress_column_is_shown_as_read_and_written_as_of_the_day(window, demo_db, tmp_path, monkeypatch):
    """The 推进情况 column of a bureau's task ledger: the 列对应 step says it is read as each task's progress of
    the day (no grey 不导入), and 全部导入 writes those reports dated so."""
    from openpyxl import Workbook

    from db.models import KeyTask, TaskUpdate

    path = tmp_path / "台账.xlsx"
    wb = Workbook()
    ws = wb.active
    for row in (
        ["卫生健康重点任务推进台账"],
        ["台账名称", "序号", "重点任务", "牵头单位", "推进状态", "推进情况"],
        ["窗口台账", "1", "推进医共体建设", "医政股", "推进中", "已完成章程修订"],
    ):
        ws.append(row)
    wb.save(path)
    wizard = ImportWizard(window, "tasks")
    wizard.show()
    wizard.file.setText(str(path))
    wizard.check()
    end = window.today
    assert "进度记录新增 1 条，修改 0 条，未变 0 条；没有发现问题" in wizard.summary.text()
    model = wizard.mapping_step.model
    row = row_of(wizard, "推进情况")
    assert model.index(row, model.FIELD).data() == "进展情况（任务进展）"
    assert model.index(row, model.STATE).data().startswith("已对应")
    assert model.index(row, model.READINGS).data() == f"推进情况 → {end.year}年{end.month}月{end.day}日的进展情况"
    assert model.index(row, model.FIELD).data(Qt.ItemDataRole.BackgroundRole) is None
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: told.append(text))
    wizard.import_all.click()
    # The window shows the third quarter; the clerk is told the progress is the fourth's, and where to see it.
    assert "进展记为2026年11月23日，属于2026年第四季度；窗口当前查看的是2026年第三季度" in told[0]
    with demo_db.session() as s:
        reports = s.execute(
            select(TaskUpdate.date, TaskUpdate.note).join(KeyTask).where(KeyTask.ledger == "窗口台账")
        ).all()
    assert [tuple(r) for r in reports] == [(end, "已完成章程修订")]

    # The same ledger again, only its progress corrected: nothing else changes, and it is still to be imported.
    ws.cell(3, 6, value="已完成章程修订并报县政府")
    wb.save(path)
    again = ImportWizard(window, "tasks")
    again.show()
    again.file.setText(str(path))
    again.check()
    assert again.report.count("changed") == 0 and again.import_all.isEnabled()
    shown = [[again.preview.index(r, c).data() for c in (2, 4)] for r in range(again.preview.rowCount())]
    assert shown == [["修改进展", "进展情况：已完成章程修订 → 已完成章程修订并报县政府"]]
    again.import_all.click()
    with demo_db.session() as s:
        notes = s.scalars(select(TaskUpdate.note).join(KeyTask).where(KeyTask.ledger == "窗口台账")).all()
    assert notes == ["已完成章程修订并报县政府"]
    # The list of the quarter the report falls in (the window opens on the last one ended) says what it was.
    window.period_box.setCurrentIndex(window.period_box.findText("2026年第四季度"))
    page = window.show_page("tasks")
    column = next(i for i, c in enumerate(page.model.columns) if c.label == "最新进展")
    row = next(i for i, r in enumerate(page.model.rows) if r.ledger == "窗口台账")
    assert page.model.index(row, column).data() == "已完成章程修订并报县政府"
