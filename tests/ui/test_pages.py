"""The window driven as a clerk would: find, edit, undo, refuse bad input, strike off, change a norm."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QPushButton
from sqlalchemy import func, select

from db.models import Change, Facility, KeyTask, StaffMember
from desktop.records.types import FACILITY, STAFF
from desktop.ui.record_dialogs import edit_record_dialog, new_record_dialog


def pick(combo: QComboBox, label: str) -> None:
    i = combo.findText(label)
    assert i >= 0, label
    combo.setCurrentIndex(i)


def test_find_a_person_by_id_number(qtbot, window, demo_db):
    with demo_db.session() as s:
        person = s.scalars(select(StaffMember).where(StaffMember.status == "on_post").offset(100)).first()
    page = window.show_page("staff")
    assert page.model.rowCount() > 2000
    qtbot.keyClicks(page.search, person.id_number)
    assert page.model.rowCount() == 1
    row = page.model.row_at(0)
    assert row.name == person.name
    shown = page.model.data(page.model.index(0, 1))
    assert shown == person.id_number[:6] + "********" + person.id_number[-4:]  # masked in the list
    assert page.count.text().startswith("共 1 人")


def test_edit_a_field_then_undo_and_redo(window, demo_db):
    with demo_db.session() as s:
        person = s.scalars(select(StaffMember).where(StaffMember.title == "junior")).first()
    form = edit_record_dialog(window, STAFF, person.id, exec_=False)
    id_editor = form.editors["id_number"]
    assert id_editor.widget.text() == person.id_number[:6] + "********" + person.id_number[-4:]
    assert id_editor.widget.isReadOnly()  # masked on screen, and saved unchanged
    pick(form.editors["title"].widget, "副高级")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted

    def title() -> str:
        with demo_db.session() as s:
            return s.get(StaffMember, person.id).title

    assert title() == "associate_senior"
    assert window.undo_stack.undoText().startswith(f"修改{person.name}的专业技术职称")
    window.undo_stack.undo()
    assert title() == "junior"
    window.undo_stack.redo()
    assert title() == "associate_senior"


def test_showing_a_whole_id_number_is_a_recorded_act(window, demo_db):
    with demo_db.session() as s:
        person = s.scalars(select(StaffMember).where(StaffMember.phone.is_not(None))).first()
    form = edit_record_dialog(window, STAFF, person.id, exec_=False)
    assert form.editors["phone"].widget.text() == person.phone[:3] + "****" + person.phone[-4:]
    # the birth date is the very digits the mask hides: only its year is shown with a masked number
    assert form.editors["birth_date"].widget.text() == f"{person.birth_date.year}年"
    form.findChild(QPushButton, "reveal_id_number").click()
    assert form.editors["id_number"].widget.text() == person.id_number
    assert form.editors["birth_date"].widget.text() == person.birth_date.isoformat()
    assert not form.editors["id_number"].widget.isReadOnly()
    with demo_db.session() as s:
        logged = s.scalars(select(Change).where(Change.action == "unmask")).all()
    assert [(c.table_name, c.row_id, c.user) for c in logged] == [("staff", person.id, window.user)]
    assert logged[0].reason == f"查看{person.name}的完整身份证号码"


def test_a_wrong_id_number_is_refused_live_with_the_reason(window, demo_db):
    form = new_record_dialog(window, STAFF, {"status": "on_post"}, exec_=False)
    edit: QLineEdit = form.editors["id_number"].widget
    edit.setText("110105194912310021")
    error = form.editors["id_number"].error
    assert not error.isHidden() and "校验位错误" in error.text() and "应为“X”" in error.text()
    edit.setText("11010519491231002X")
    assert error.isHidden()
    assert form.editors["birth_date"].widget.text() == "1949-12-31"  # filled in from the ID number
    assert form.editors["sex"].widget.text() == "女"


def test_a_facility_with_a_bad_credit_code_is_refused(window, demo_db):
    with demo_db.session() as s:
        before = s.scalar(select(func.count()).select_from(Facility))
    form = new_record_dialog(window, FACILITY, {"ownership": "public", "status": "operating"}, exec_=False)
    form.editors["name"].widget.setText("桃源镇新建村卫生室")
    pick(form.editors["kind"].widget, "村卫生室")
    division = form.editors["division_id"].widget
    division.setCurrentIndex(2)
    form.editors["credit_code"].widget.setText("91350100M000100Y44")
    form.try_save()
    assert form.result() != QDialog.DialogCode.Accepted
    assert "校验位错误：第18位应为“3”" in form.editors["credit_code"].error.text()
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Facility)) == before
    form.editors["credit_code"].widget.setText("91350100M000100Y43")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted
    with demo_db.session() as s:
        assert (
            s.scalar(select(Facility).where(Facility.name == "桃源镇新建村卫生室")).credit_code == "91350100M000100Y43"
        )


def test_strike_off_a_task_without_and_with_a_note(window, demo_db, monkeypatch):
    page = window.show_page("tasks")
    with demo_db.session() as s:
        task = s.scalars(select(KeyTask).where(KeyTask.status == "in_progress")).first()
    page.view.selectRow(page.model.view_row_of(task.id))
    messages = []

    def without_note(dialog):
        dialog.try_accept()  # OK pressed with no note
        messages.append(dialog.error.text())
        return dialog.result()

    monkeypatch.setattr(window, "ask", without_note)
    page.strike_off()
    assert messages == ["销号必须写明销号说明（完成情况或依据）"]
    with demo_db.session() as s:
        assert s.get(KeyTask, task.id).status == "in_progress"

    def with_note(dialog):
        dialog.note.setPlainText("经县医改领导小组第3次会议审议，任务已完成")
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(window, "ask", with_note)
    page.strike_off()
    with demo_db.session() as s:
        t = s.get(KeyTask, task.id)
        assert (t.status, t.struck_off_note) == ("struck_off", "经县医改领导小组第3次会议审议，任务已完成")
    row = page.model.row_at(page.model.view_row_of(task.id))
    assert row.status_label == "已销号"


def test_a_norms_parameters_are_named_in_chinese_and_typed_as_numbers(window, monkeypatch):
    """No parameter key, list or JSON reaches the clerk: the settings table, the dialog's labels and its error
    speak Chinese, and a number is typed as a number."""
    import re

    from PySide6.QtWidgets import QFormLayout, QLabel

    from desktop.norm_parameters import PARAMETERS

    settings = window.show_page("settings")
    settings.tabs.setCurrentIndex(1)
    keys = re.compile("|".join(rf"\b{k}\b" for k in PARAMETERS) + r"|[=\[\]{}'\"]")
    texts = [settings.model.data(settings.model.index(i, 4)) for i in range(settings.model.rowCount())]
    assert any("每千乡村人口床位下限0.6张" in t for t in texts)
    assert any("必备设备：救护车、DR、彩色B超、全自动生化分析仪" in t for t in texts)
    assert not [t for t in texts if keys.search(t)]
    row = next(i for i in range(settings.model.rowCount()) if settings.model.row_at(i).rule_id == "bed_band")
    settings.view.selectRow(row)
    seen = {}

    def fill(dialog):
        form = dialog.layout()
        seen["labels"] = [
            form.itemAt(i, QFormLayout.ItemRole.LabelRole).widget().text()
            for i in range(form.rowCount())
            if form.itemAt(i, QFormLayout.ItemRole.LabelRole) is not None
            and isinstance(form.itemAt(i, QFormLayout.ItemRole.LabelRole).widget(), QLabel)
        ]
        dialog.params["floor"].setText("二十")
        dialog.try_accept()
        seen["error"] = dialog.error.text()
        return 0

    monkeypatch.setattr(window, "ask", fill)
    settings.change_selected()
    assert "最低床位数（张）" in seen["labels"] and "每千乡村人口床位下限（张）" in seen["labels"]
    assert not [label for label in seen["labels"] if keys.search(label)]
    assert seen["error"] == "“最低床位数”应填写数字，现为“二十”"


def test_a_norms_source_edited_in_the_window_is_cited_by_findings_sheets_and_report(window, monkeypatch, tmp_path):
    """A county cites its own province's document: edited in the rule's dialog from a date, it is what the
    findings, the bed sheet and the report cite for the periods after that date."""
    import subprocess

    from openpyxl import load_workbook

    from desktop.checks.runner import run_checks
    from desktop.excel.export import export_workbook
    from desktop.periods import Period
    from desktop.report.build import build_report

    settings = window.show_page("settings")
    settings.tabs.setCurrentIndex(1)
    row = next(i for i in range(settings.model.rowCount()) if settings.model.row_at(i).rule_id == "bed_band")
    settings.view.selectRow(row)

    def fill(dialog):
        dialog.effective.setDate(dt.date(2026, 7, 1))
        dialog.source["title"].setText("某省乡镇卫生院床位配置标准")
        dialog.source["number"].setText("某卫基层发〔2026〕8号")
        dialog.source["item"].setText("第五条")
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(window, "ask", fill)
    settings.change_selected()
    cited = "《某省乡镇卫生院床位配置标准》（某卫基层发〔2026〕8号）第五条"
    db, today = window.db, window.today
    with db.session() as session:
        q3 = [f for f in run_checks(session, Period(2026, 3), today=today).findings if f.rule_id == "bed_band"]
        q2 = [f for f in run_checks(session, Period(2026, 2), today=today).findings if f.rule_id == "bed_band"]
    assert q3 and all(f.source == cited for f in q3)
    assert q2 and all(f.source.startswith("《章贡区") for f in q2)  # before the date, the document as it was
    sheet = tmp_path / "beds.xlsx"
    export_workbook(db, ["beds"], Period(2026, 3), sheet, user="测试", today=today)
    cells = [c.value for r in load_workbook(sheet).worksheets[0].iter_rows() for c in r if isinstance(c.value, str)]
    assert any(cited in c for c in cells)
    pdf = tmp_path / "report.pdf"
    build_report(db, Period(2026, 3), pdf, today=today)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "某卫基层发〔2026〕8号" in text.replace("\n", "")


@pytest.mark.parametrize("carry", [False, True])
def test_a_version_back_dated_before_a_later_one_says_which_periods_change_and_asks(window, monkeypatch, carry):
    """cap=90 from 2026-01-01 while a version from 2026-07-01 exists: the clerk is told it decides 2026Q1 and Q2
    only, and chooses whether the later version takes the new value too."""
    from PySide6.QtWidgets import QMessageBox

    from desktop.norms import change_norm, norms_in_force

    with window.db.session() as session:
        change_norm(session, "project_behind", dt.date(2026, 7, 1), params={"margin_points": 15.0}, note="七月起")
        session.commit()
    settings = window.show_page("settings")
    settings.tabs.setCurrentIndex(1)
    settings.refresh_norms()
    row = next(i for i in range(settings.model.rowCount()) if settings.model.row_at(i).rule_id == "project_behind")
    settings.view.selectRow(row)
    asked = {}

    def answer(dialog):
        if isinstance(dialog, QMessageBox):
            asked["text"] = dialog.text() + dialog.informativeText()
            wanted = "是，此后版本一并修改" if carry else "否，只改到下一版本之前"
            next(b for b in dialog.buttons() if b.text() == wanted).click()
            return 0
        dialog.effective.setDate(dt.date(2026, 1, 1))
        dialog.params["margin_points"].setText("10")
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(window, "ask", answer)
    settings.change_selected()
    assert "2026年7月1日已有第2版" in asked["text"]
    assert "2026年第一季度至2026年第二季度的核查结果将随之改变" in asked["text"]
    with window.db.session() as session:
        margin = {
            m: norms_in_force(session, dt.date(2026, m, 1))["project_behind"].params["margin_points"] for m in (3, 8)
        }
    assert margin == {3: 10.0, 8: 10.0 if carry else 15.0}


def test_change_a_norm_from_a_date_and_see_the_bed_check_change(window, monkeypatch):
    beds = window.show_page("beds")
    beds.year.setValue(2026)

    def verdicts() -> list[str]:
        return [beds.model.row_at(i).verdict for i in range(beds.model.rowCount())]

    before = verdicts()
    assert "第1版" in beds.norm_label.text()
    settings = window.show_page("settings")
    settings.tabs.setCurrentIndex(1)
    row = next(i for i in range(settings.model.rowCount()) if settings.model.row_at(i).rule_id == "bed_band")
    settings.view.selectRow(row)

    def fill(dialog):
        dialog.effective.setDate(dt.date(2026, 7, 1))
        dialog.params["floor"].setText("30")
        dialog.note.setText("本省标准：卫生院最低30张")
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(window, "ask", fill)
    settings.change_selected()
    beds = window.show_page("beds")
    after = verdicts()
    assert after.count("under") > before.count("under")
    assert "第2版" in beds.norm_label.text() and "最低30张" in beds.norm_label.text()
    beds.year.setValue(2025)  # a year before the change: as it was
    assert "第1版" in beds.norm_label.text()


def test_findings_open_the_record_concerned(window):
    page = window.show_page("findings")
    i = next(i for i in range(page.model.rowCount()) if page.model.row_at(i).where.kind == "facility")
    finding = page.model.row_at(i)
    page.open_selected(page.model.index(i, 0))
    facilities = window.current_page()
    assert facilities.key == "facilities"
    selected = facilities.view.selectionModel().selectedRows()
    assert facilities.model.row_at(selected[0].row()).id == finding.where.id


def test_filters_on_the_findings_page(window):
    page = window.show_page("findings")
    pick(page.rule, "年满60周岁乡村医生离岗退出")
    rows = [page.model.row_at(i) for i in range(page.model.rowCount())]
    assert rows and {r.rule_id for r in rows} == {"vd_age"}
    assert page.count.text() == f"共 {len(rows)} 条"


def test_staff_filters_combine(window):
    page = window.show_page("staff")
    pick(page.category, "乡村医生")
    pick(page.age, "60岁及以上")
    rows = [page.model.row_at(i) for i in range(page.model.rowCount())]
    assert rows and all(r.category == "village_doctor" and r.age >= 60 for r in rows)


def test_the_period_drives_the_pages(window):
    window.period_box.setCurrentIndex(window.period_box.findText("2026年第二季度"))
    assert window.pages["dashboard"].header.text().endswith("2026年第二季度（截至2026年6月30日）")
    window.show_page("tasks")
    assert window.pages["tasks"].header.text().endswith("2026年第二季度")


def test_sorting_a_column(window):
    page = window.show_page("staff")
    page.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    ages = [page.model.row_at(i).age for i in range(20)]
    assert ages == sorted(ages, reverse=True)


def test_facility_equipment_and_service_area_are_edited_in_the_form(window, demo_db):
    from db.models import FacilityEquipment, ServiceArea

    page = window.show_page("facilities")
    pick(page.kind, "乡镇卫生院")
    page.view.selectRow(0)
    facility = page.model.row_at(0)
    form = page.edit_selected(exec_=False)
    form.editors["equipment_ambulance"].widget.setText("3")  # the parts are fields of the form itself
    villages = form.editors["service_area"].widget
    first = next(villages.item(i) for i in range(villages.count()) if not villages.item(i).isHidden())
    first.setCheckState(
        Qt.CheckState.Unchecked if first.checkState() == Qt.CheckState.Checked else Qt.CheckState.Checked
    )
    wanted = set(form.editors["service_area"].raw())
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted
    with demo_db.session() as s:
        qty = s.scalar(
            select(FacilityEquipment.quantity).where(
                FacilityEquipment.facility_id == facility.id, FacilityEquipment.item == "ambulance"
            )
        )
        area = set(s.scalars(select(ServiceArea.division_id).where(ServiceArea.facility_id == facility.id)))
    assert qty == 3 and area == wanted


def test_a_facilitys_projects_are_one_click_away(window):
    page = window.show_page("facilities")
    projects_page = window.pages["projects"]
    projects_page.ensure_fresh()
    name = projects_page.model.rows[0].facility
    row = next(i for i in range(page.model.rowCount()) if page.model.row_at(i).name == name)
    page.view.selectRow(row)
    page.show_projects()
    assert window.current_page() is projects_page
    shown = {projects_page.model.row_at(i).facility for i in range(projects_page.model.rowCount())}
    assert shown == {name}


def test_a_blank_bed_count_in_the_facility_form_is_its_default_not_a_database_error(window, demo_db):
    """Issue 17, 5a: 实有床位 is optional in the form but NOT NULL in the database (default 0). Left blank, it is saved
    as 0, as its note says; it never reaches the database as NULL."""
    with demo_db.session() as s:
        facility = s.scalars(select(Facility).where(Facility.open_beds > 0, Facility.tcm_beds == 0)).first()
    form = edit_record_dialog(window, FACILITY, facility.id, exec_=False)
    editor = form.editors["open_beds"]
    editor.widget.setText("")
    assert form.check(editor) and not editor.error.isVisible()
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted
    with demo_db.session() as s:
        assert s.get(Facility, facility.id).open_beds == 0
    assert "不填即为“0张”" in editor.widget.toolTip()


def test_every_list_column_that_shows_a_field_bears_the_fields_own_label(window):
    """Issue 17, 5c: list columns had drifted from their fields (养老床位 for 健康养老床位, 状态 for 运营状态). A column
    whose every value is a field's value, as stored or as the field shows it, is that field's column, and is
    labelled from the field's description."""
    from desktop.records.types import PROJECT, TASK

    checked = 0
    for page, rtype in (("facilities", FACILITY), ("staff", STAFF), ("projects", PROJECT), ("tasks", TASK)):
        model = window.show_page(page).model
        rows = model.rows[:300]
        assert rows, page
        for column in model.columns:
            if column.field is not None:
                assert column.field is rtype.field(column.field.name) and column.label == column.field.header
                checked += 1
                continue
            for f in rtype.fields:
                if not all(hasattr(r, f.name) for r in rows):
                    continue
                shown = [column.value(r) for r in rows]
                if len(set(map(str, shown))) > 1 and all(
                    v in (getattr(r, f.name), f.display(getattr(r, f.name))) for v, r in zip(shown, rows, strict=True)
                ):
                    raise AssertionError(f"{page}: “{column.label}” shows “{f.header}”, not labelled from the field")
    assert checked >= 20
    labels = [c.label for c in window.pages["facilities"].model.columns]
    assert "健康养老床位（张）" in labels and "运营状态" in labels
