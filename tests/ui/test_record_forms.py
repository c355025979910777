"""Every record the checks judge is entered in the window (issue 17): a record's parts in its own form, a person's
trainings and loans and a health centre's special funds in the form of the person or facility they belong to."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import select

from db.models import (
    Change,
    Division,
    Facility,
    FacilityEquipment,
    Project,
    ProjectFunding,
    ServiceArea,
    SpecialFund,
    StaffLoan,
    StaffMember,
    Training,
)
from desktop.records.types import FACILITY, PROJECT
from desktop.ui.record_dialogs import edit_record_dialog, new_record_dialog


def pick_data(combo, value) -> None:
    i = combo.findData(value)
    assert i >= 0, value
    combo.setCurrentIndex(i)


def shown_items(villages) -> list:
    return [villages.item(i) for i in range(villages.count()) if not villages.item(i).isHidden()]


def check(item, on: bool = True) -> None:
    item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def _township_with_villages(session) -> tuple[Division, list[Division]]:
    for town in session.scalars(select(Division).where(Division.kind == "township").order_by(Division.id)):
        villages = session.scalars(select(Division).where(Division.parent_id == town.id).order_by(Division.id)).all()
        if len(villages) >= 3:
            return town, list(villages)
    raise AssertionError("no township with villages in the demo")


def test_a_new_facility_with_equipment_and_villages(window, demo_db):
    with demo_db.session() as s:
        town, villages = _township_with_villages(s)
        town_id, village_ids = town.id, {v.id for v in villages}
    form = new_record_dialog(window, FACILITY, {"ownership": "public", "status": "operating"}, exec_=False)
    area = form.editors["service_area"]
    assert area.widget.objectName() == "field_service_area"
    assert form.findChild(type(form.editors["name"].widget), "field_name") is not None
    form.editors["name"].widget.setText("试验村卫生室")
    pick_data(form.editors["kind"].widget, "village_clinic")
    pick_data(form.editors["division_id"].widget, town_id)
    shown = shown_items(area.widget)
    assert {i.data(Qt.ItemDataRole.UserRole) for i in shown} == village_ids  # the villages of its township
    check(shown[0])
    check(shown[1])
    wanted = {shown[0].data(Qt.ItemDataRole.UserRole), shown[1].data(Qt.ItemDataRole.UserRole)}
    form.editors["equipment_ambulance"].widget.setText("1")
    form.editors["equipment_dr"].widget.setText("2")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted, {n: e.error.text() for n, e in form.editors.items()}
    (fid,) = form.created
    with demo_db.session() as s:
        assert s.get(Facility, fid).name == "试验村卫生室"
        equipment = dict(
            s.execute(
                select(FacilityEquipment.item, FacilityEquipment.quantity).where(FacilityEquipment.facility_id == fid)
            ).all()
        )
        area_ids = set(s.scalars(select(ServiceArea.division_id).where(ServiceArea.facility_id == fid)))
    assert equipment == {"ambulance": 1, "dr": 2}
    assert area_ids == wanted


def test_without_a_township_every_village_can_be_found_by_name(window, demo_db):
    with demo_db.session() as s:
        _town, villages = _township_with_villages(s)
        name = villages[0].name
    form = new_record_dialog(window, FACILITY, exec_=False)
    refs = form.editors["service_area"].refs
    assert refs.township is None and not refs.find.isHidden()
    refs.find.setText(name)
    assert shown_items(refs.list) and all(name in i.text() for i in shown_items(refs.list))


def test_unchecking_a_village_in_the_facility_form_removes_it(window, demo_db):
    with demo_db.session() as s:
        fid, division_id = s.execute(
            select(ServiceArea.facility_id, Facility.division_id)
            .join(Facility, Facility.id == ServiceArea.facility_id)
            .limit(1)
        ).one()
        before = set(s.scalars(select(ServiceArea.division_id).where(ServiceArea.facility_id == fid)))
    form = edit_record_dialog(window, FACILITY, fid, exec_=False)
    villages = form.editors["service_area"].widget
    checked = [i for i in shown_items(villages) if i.checkState() == Qt.CheckState.Checked]
    assert {i.data(Qt.ItemDataRole.UserRole) for i in checked} == before
    dropped = checked[0].data(Qt.ItemDataRole.UserRole)
    check(checked[0], False)
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted
    with demo_db.session() as s:
        after = set(s.scalars(select(ServiceArea.division_id).where(ServiceArea.facility_id == fid)))
    assert after == before - {dropped}
    assert window.undo_stack.undoText().endswith("服务范围")
    window.undo_stack.undo()  # the part's change is undone too, or at least breaks nothing
    with demo_db.session() as s:
        assert set(s.scalars(select(ServiceArea.division_id).where(ServiceArea.facility_id == fid))) == before


def _person(demo_db) -> StaffMember:
    with demo_db.session() as s:
        return s.scalars(select(StaffMember).where(StaffMember.status == "on_post").order_by(StaffMember.id)).first()


def _open_person(window, person):
    page = window.show_page("staff")
    page.search.setText(person.name)
    row = next(i for i in range(page.model.rowCount()) if page.model.row_at(i).id == person.id)
    page.view.selectRow(row)
    tabs = page._extra(person.id)
    return tabs


def test_a_training_is_added_edited_and_deleted_in_the_person_form(window, demo_db, monkeypatch):
    person = _person(demo_db)
    tabs = _open_person(window, person)
    trainings = tabs.widget(0)
    before = trainings.model.rowCount()
    form = trainings.add(exec_=False)
    assert "staff_id" not in form.editors  # the person is the form's own
    pick_data(form.editors["kind"].widget, "on_post")
    form.editors["start_date"].widget.setText("2026-03-02")
    form.editors["end_date"].widget.setText("2026-03-06")
    form.editors["days"].widget.setText("5")
    form.editors["place"].widget.setText("市人民医院")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted, {n: e.error.text() for n, e in form.editors.items()}
    assert trainings.model.rowCount() == before + 1
    assert tabs.tabText(0) == f"培训进修（{before + 1}）"
    (tid,) = form.created
    with demo_db.session() as s:
        assert s.get(Training, tid).staff_id == person.id

    row = next(i for i in range(trainings.model.rowCount()) if trainings.model.row_at(i).id == tid)
    trainings.view.selectRow(row)
    form = trainings.edit(exec_=False)
    assert person.name in form.windowTitle() and "staff_id" not in form.editors
    form.editors["place"].widget.setText("省人民医院")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted
    with demo_db.session() as s:
        assert s.get(Training, tid).place == "省人民医院"

    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.Yes)
    trainings.view.selectRow(row)
    trainings.delete()
    assert asked and "删除" in asked[0]
    assert trainings.model.rowCount() == before
    with demo_db.session() as s:
        assert s.get(Training, tid) is None
        actions = s.scalars(
            select(Change.action).where(Change.table_name == "trainings", Change.row_id == tid).order_by(Change.id)
        ).all()
        deleted = s.scalars(select(Change).where(Change.table_name == "trainings", Change.action == "delete")).one()
    assert actions == ["insert", "update", "delete"]
    assert deleted.old_values["place"] == "省人民医院" and deleted.old_values["staff_id"] == person.id

    refused = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _title, text: refused.append(text))
    window.undo_stack.undo()  # the edit of a training deleted since: said so, nothing breaks
    assert refused and "不存在" in refused[0]


def test_deleting_asks_first(window, demo_db, monkeypatch):
    person = _person(demo_db)
    tabs = _open_person(window, person)
    trainings = tabs.widget(0)
    form = trainings.add(exec_=False)
    pick_data(form.editors["kind"].widget, "on_post")
    for name, text in (("start_date", "2026-04-01"), ("end_date", "2026-04-01"), ("days", "1")):
        form.editors[name].widget.setText(text)
    form.try_save()
    (tid,) = form.created
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No)
    trainings.view.selectRow(next(i for i in range(trainings.model.rowCount()) if trainings.model.row_at(i).id == tid))
    trainings.delete()
    with demo_db.session() as s:
        assert s.get(Training, tid) is not None


def test_a_loan_is_added_in_the_person_form(window, demo_db):
    person = _person(demo_db)
    loans = _open_person(window, person).widget(1)
    form = loans.add(exec_=False)
    form.editors["to_unit"].widget.setText("县卫生健康局")
    form.editors["start_date"].widget.setText("2026-05-01")
    form.editors["reason"].widget.setText("疫情防控")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted, {n: e.error.text() for n, e in form.editors.items()}
    (lid,) = form.created
    with demo_db.session() as s:
        loan = s.get(StaffLoan, lid)
        assert (loan.staff_id, loan.from_facility_id, loan.end_date) == (person.id, person.facility_id, None)
    assert any(loans.model.row_at(i).id == lid for i in range(loans.model.rowCount()))


def test_a_special_fund_is_added_in_a_health_centres_form(window, demo_db):
    with demo_db.session() as s:
        fid = s.scalar(select(Facility.id).where(Facility.kind == "thc").order_by(Facility.id))
    page = window.show_page("facilities")
    page.open_record(fid)
    form = page.edit_selected(exec_=False)
    from desktop.ui.child_records import ChildRecords

    table = form.findChild(ChildRecords, "records_special_fund")
    assert table is not None
    before = table.model.rowCount()
    add = table.add(exec_=False)
    assert "facility_id" not in add.editors
    assert add.editors["year"].widget.text() == str(window.today.year)
    with demo_db.session() as s:
        taken = set(s.scalars(select(SpecialFund.year).where(SpecialFund.facility_id == fid)))
    if taken:  # a year already entered is refused next to the year, not by the database
        add.editors["year"].widget.setText(str(min(taken)))
        add.editors["amount"].widget.setText("1")
        add.try_save()
        assert add.result() != QDialog.DialogCode.Accepted
        assert "已有一条" in add.editors["year"].error.text()
    year = min({2025, 2024, 2023, 2022} - taken)
    add.editors["year"].widget.setText(str(year))
    add.editors["amount"].widget.setText("35.5")
    add.try_save()
    assert add.result() == QDialog.DialogCode.Accepted, {n: e.error.text() for n, e in add.editors.items()}
    assert table.model.rowCount() == before + 1
    with demo_db.session() as s:
        row = s.scalars(select(SpecialFund).where(SpecialFund.facility_id == fid, SpecialFund.year == year)).one()
        assert row.amount == 35.5


def test_a_village_clinic_has_no_special_funds(window, demo_db):
    from desktop.ui.child_records import ChildRecords

    with demo_db.session() as s:
        fid = s.scalar(select(Facility.id).where(Facility.kind == "village_clinic").order_by(Facility.id))
    page = window.show_page("facilities")
    page.open_record(fid)
    form = page.edit_selected(exec_=False)
    assert form.findChild(ChildRecords) is None


def test_a_projects_planned_investment_is_entered_in_its_form(window, demo_db):
    with demo_db.session() as s:
        pid = s.scalars(
            select(Project.id).where(
                ~Project.id.in_(select(ProjectFunding.project_id).where(ProjectFunding.source == "central"))
            )
        ).first()
    page = window.show_page("projects")
    page.ensure_fresh()
    row = page.model.view_row_of(pid)
    page.view.selectRow(row)
    form = edit_record_dialog(window, PROJECT, pid, exec_=False)
    editor = form.editors["funding_central"]
    assert editor.widget.text() == ""
    editor.widget.setText("120")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted, {n: e.error.text() for n, e in form.editors.items()}
    with demo_db.session() as s:
        amount = s.scalar(
            select(ProjectFunding.amount).where(ProjectFunding.project_id == pid, ProjectFunding.source == "central")
        )
    assert amount == 120


def test_a_new_projects_planned_investment(window, demo_db):
    with demo_db.session() as s:
        fid = s.scalar(select(Facility.id).order_by(Facility.id))
    form = new_record_dialog(window, PROJECT, {"stage": "preparation", "kind": "extension"}, exec_=False)
    form.editors["name"].widget.setText("试验楼")
    pick_data(form.editors["facility_id"].widget, fid)
    form.editors["planned_start"].widget.setText("2026-01-01")
    form.editors["planned_completion"].widget.setText("2026-12-31")
    form.editors["lead_unit"].widget.setText("县卫生健康局")
    form.editors["funding_central"].widget.setText("300")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted, {n: e.error.text() for n, e in form.editors.items()}
    (pid,) = form.created
    with demo_db.session() as s:
        funding = dict(
            s.execute(
                select(ProjectFunding.source, ProjectFunding.amount).where(ProjectFunding.project_id == pid)
            ).all()
        )
    assert funding == {"central": 300}


def test_the_certificate_number_is_in_the_person_form_and_the_staff_list(window, demo_db):
    """The field added with one line of the staff description (执业证书编码) is edited in the form and shown in the
    list; tests/integration/test_new_field.py follows it through template, import and export."""
    from desktop.records.types import STAFF

    with demo_db.session() as s:
        person = s.scalars(select(StaffMember).where(StaffMember.category == "physician")).first()
        person_id = person.id
    form = edit_record_dialog(window, STAFF, person_id, exec_=False)
    form.editors["practice_certificate_no"].widget.setText("110430000012345")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted, {n: e.error.text() for n, e in form.editors.items()}
    with demo_db.session() as s:
        assert s.get(StaffMember, person_id).practice_certificate_no == "110430000012345"
    page = window.show_page("staff")
    page.refresh()
    model = page.model
    headers = [model.headerData(j, Qt.Orientation.Horizontal) for j in range(model.columnCount())]
    column = headers.index("执业证书编码")
    row = next(i for i in range(model.rowCount()) if model.row_at(i).id == person_id)
    assert model.index(row, column).data() == "110430000012345"


def test_a_task_is_added_on_the_tasks_page(window, demo_db):
    """A new county's ledger begins in the window, not only by import: 新增任务 on the page of the ledger shown."""
    from db.models import KeyTask

    page = window.show_page("tasks")
    page.ensure_fresh()
    ledger = page.ledger.itemData(1)
    page.ledger.setCurrentIndex(1)
    form = page.add(exec_=False)
    assert form.editors["ledger"].widget.text() == ledger
    form.editors["number"].widget.setText("99")
    form.editors["title"].widget.setText("建立村医养老保障制度")
    form.editors["lead_unit"].widget.setText("县卫生健康局")
    form.editors["deadline"].widget.setText("2027-06-30")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted, {n: e.error.text() for n, e in form.editors.items()}
    with demo_db.session() as s:
        task = s.scalar(select(KeyTask).where(KeyTask.ledger == ledger, KeyTask.number == "99"))
        assert task.title == "建立村医养老保障制度" and task.status == "not_started"
    page.refresh()
    assert any(page.model.row_at(i).title == "建立村医养老保障制度" for i in range(page.model.rowCount()))


def test_a_tasks_cooperating_units_are_edited_in_its_form(window, demo_db):
    """配合单位 is a part of the task's description: its form, template and import carry it in the ledger's order."""
    from db.models import KeyTask, TaskCooperatingUnit
    from desktop.records.types import TASK

    with demo_db.session() as s:
        task_id = s.scalars(select(KeyTask.id).order_by(KeyTask.id)).first()
    form = edit_record_dialog(window, TASK, task_id, exec_=False)
    form.editors["cooperating_units"].widget.setText("县人社局、县财政局，县医保局")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted, {n: e.error.text() for n, e in form.editors.items()}
    with demo_db.session() as s:
        units = s.scalars(
            select(TaskCooperatingUnit.unit)
            .where(TaskCooperatingUnit.task_id == task_id)
            .order_by(TaskCooperatingUnit.position)
        ).all()
    assert units == ["县人社局", "县财政局", "县医保局"]
    page = window.show_page("tasks")
    page.refresh()
    row = next(page.model.row_at(i) for i in range(page.model.rowCount()) if page.model.row_at(i).id == task_id)
    assert row.cooperating == "县人社局、县财政局、县医保局"
