"""Every rule's finding is cleared in the window, as a clerk would (issue 17): a small county is built with a finding
of the rule, the finding is seen in 问题清单, the record is put right through the page's own buttons and forms, and
the finding is gone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
)

from desktop.checks.runner import check_rule_ids, run_checks
from desktop.identifiers import make_id_number
from desktop.ui.child_records import ChildRecords
from desktop.ui.forms import RecordForm
from desktop.ui.main_window import MainWindow
from tests.factories import World
from tests.ui.conftest import TODAY

# TODAY is 2026-11-23: the window opens on 2026Q3, checked as of 2026-09-30, population year 2026.
PERSON_IDS = iter(range(500, 999))


# --- the window and its dialogs -----------------------------------------------------


@pytest.fixture
def county(qtbot, db):
    """``county(build)``: ``build(world)`` adds the records of a small county and returns the ids the test needs;
    the county is then opened in a window."""

    def open_(build: Callable[[World], dict]) -> tuple[MainWindow, dict]:
        with db.session() as s:
            ids = build(World(s))
            s.commit()
        win = MainWindow(db, today=TODAY)
        qtbot.addWidget(win)
        win.show()
        return win, ids

    return open_


class Clerk:
    """Answers the forms the window opens modally, in turn: each answer fills its dialog and presses a button. A
    form opened from a form (a training from a person's form) is answered while the outer one is open."""

    def __init__(self) -> None:
        self.answers: list[Callable[[QDialog], None]] = []

    def will(self, *answers: Callable[[QDialog], None]) -> None:
        self.answers.extend(answers)

    def exec(self, dialog: QDialog) -> int:
        assert self.answers, f"nobody expected the dialog “{dialog.windowTitle()}”"
        self.answers.pop(0)(dialog)
        return dialog.result()


@pytest.fixture
def clerk(monkeypatch):
    c = Clerk()
    monkeypatch.setattr(QDialog, "exec", lambda dialog: c.exec(dialog))
    yield c
    assert not c.answers, "a form the test expected was never opened"


def _errors(dialog: QDialog) -> dict:
    """What the dialog says is wrong: next to each field of a record's form, or under a small dialog's fields."""
    if isinstance(dialog, RecordForm):
        return {n: e.error.text() for n, e in dialog.editors.items() if e.error.text()}
    return {"": [label.text() for label in dialog.findChildren(QLabel) if label.text()]}


def press(dialog: QDialog, button: QDialogButtonBox.StandardButton) -> None:
    box = dialog.findChild(QDialogButtonBox, "", Qt.FindChildOption.FindDirectChildrenOnly)
    box.button(button).click()


def save(dialog: QDialog) -> None:
    """Press 保存, and the dialog is accepted."""
    press(dialog, QDialogButtonBox.StandardButton.Save)
    assert dialog.result() == QDialog.DialogCode.Accepted, _errors(dialog)


def close(dialog: QDialog) -> None:
    press(dialog, QDialogButtonBox.StandardButton.Cancel)


def fill(form: RecordForm, **values) -> None:
    """Type into the form's fields: text into a line, a value chosen in a drop-down."""
    for name, value in values.items():
        widget = form.editors[name].widget
        if isinstance(widget, QComboBox):
            i = widget.findData(value)
            assert i >= 0, (name, value)
            widget.setCurrentIndex(i)
        else:
            assert isinstance(widget, QLineEdit), name
            widget.setText(str(value))


def filled(**values) -> Callable[[QDialog], None]:
    """An answer: fill the form, then 保存."""

    def answer(form: QDialog) -> None:
        fill(form, **values)
        save(form)

    return answer


def tick(form: RecordForm, name: str, division_id: int) -> None:
    """Tick a village in a list of villages (a facility's service area), among those the list shows."""
    villages = form.editors[name].refs.list
    (item,) = [
        villages.item(i)
        for i in range(villages.count())
        if villages.item(i).data(Qt.ItemDataRole.UserRole) == division_id and not villages.item(i).isHidden()
    ]
    item.setCheckState(Qt.CheckState.Checked)


def in_form(dialog: QDialog, label: str):
    """The widget of a small dialog's row, by the row's label."""
    layout = dialog.layout()
    assert isinstance(layout, QFormLayout)
    for row in range(layout.rowCount()):
        shown = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
        if shown is not None and shown.widget() is not None and shown.widget().text() == label:
            return layout.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
    raise AssertionError(label)


def click(page, name: str) -> None:
    button = page.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), name
    button.click()


# --- the findings ---------------------------------------------------------------------


def findings(win: MainWindow, rule: str) -> list:
    """The rule's findings as 问题清单 lists them, the same as the checks find them in the database."""
    page = win.show_page("findings")
    listed = [f for f in page.findings if f.rule_id == rule]
    with win.db.session() as s:
        found = run_checks(s, win.period, today=win.today, rule_ids=[rule]).findings
    assert [f.message for f in listed] == [f.message for f in found]
    return listed


def cleared(win: MainWindow, rule: str, open_and_fix: Callable[[], None]) -> None:
    """The finding is there; the clerk puts the record right; it is gone."""
    assert findings(win, rule), f"{rule}: the county was built with a finding of it"
    open_and_fix()
    assert findings(win, rule) == [], rule


# --- opening records on their pages -----------------------------------------------------


def edit_facility(win: MainWindow, facility_id: int) -> None:
    page = win.show_page("facilities")
    page.open_record(facility_id)
    click(page, "editFacility")


def select_person(win: MainWindow, person_id: int):
    page = win.show_page("staff")
    page.search.clear()  # a small county: every person is in the list
    (i,) = [i for i in range(page.model.rowCount()) if page.model.row_at(i).id == person_id]
    page.view.selectRow(i)
    return page


def edit_person(win: MainWindow, person_id: int) -> None:
    click(select_person(win, person_id), "editPerson")


def child_records(form: QDialog, key: str) -> ChildRecords:
    table = form.findChild(ChildRecords, f"records_{key}")
    assert table is not None, key
    return table


def select_child(table: ChildRecords, record_id: int) -> None:
    (i,) = [i for i in range(table.model.rowCount()) if table.model.row_at(i).id == record_id]
    table.view.selectRow(i)


# --- the records of a facility -----------------------------------------------------------


def _centre(w: World, **values) -> dict:
    thc = w.add_centre(beds=30, rural=30_000, **values)
    return {"facility": thc.id}


def _clinic(w: World, **values) -> dict:
    village = w.add_village("甲村")
    clinic = w.add_facility("甲村卫生室", "village_clinic", division=village, serves=[village], **values)
    return {"facility": clinic.id, "village": village.id}


FACILITY_FIXES = [
    # 5 beds for 30,000 rural people: under the floor of 20
    pytest.param(
        "bed_band", lambda w: {"facility": w.add_centre(beds=5, rural=30_000).id}, {"open_beds": "25"}, id="beds"
    ),
    pytest.param(
        "clinic_standardised_share", lambda w: _clinic(w, standardised=False), {"standardised": True}, id="standardised"
    ),
    pytest.param(
        "clinic_rented_building",
        lambda w: _clinic(w, building_ownership="rented_private"),
        {"building_ownership": "village"},
        id="rented",
    ),
    pytest.param(
        "thc_equipment",
        _centre,
        {f"equipment_{i}": "1" for i in ("ambulance", "dr", "colour_ultrasound", "biochem_analyser")},
        id="thc_equipment",
    ),
    pytest.param(
        "clinic_equipment",
        _clinic,
        {"equipment_checkup_machine": "1", "equipment_simple_resuscitator": "2"},
        id="clinic_equipment",
    ),
    pytest.param(
        "tcm_hall", lambda w: _centre(w, kind="central_thc", tcm_hall="none"), {"tcm_hall": "hall"}, id="hall"
    ),
    pytest.param("tcm_model_hall_share", lambda w: _centre(w, tcm_hall="hall"), {"tcm_hall": "model_hall"}, id="model"),
    pytest.param("tcm_village_service", lambda w: _clinic(w, provides_tcm=False), {"provides_tcm": True}, id="tcm"),
    pytest.param(  # 4 of 100 beds are of TCM: under 5%
        "hospital_tcm_beds_share",
        lambda w: {"facility": w.add_facility("清溪县人民医院", "county_hospital", open_beds=100, tcm_beds=4).id},
        {"tcm_beds": "6"},
        id="hospital_tcm_beds",
    ),
]


@pytest.mark.parametrize(("rule", "build", "values"), FACILITY_FIXES)
def test_a_facilitys_field_is_put_right_in_its_form(county, clerk, rule, build, values):
    win, ids = county(build)

    def fix() -> None:
        clerk.will(filled(**values))
        edit_facility(win, ids["facility"])

    cleared(win, rule, fix)


def test_a_centres_service_area_is_ticked_in_its_form(county, clerk):
    def build(w: World) -> dict:
        village = w.add_village("甲村", resident=20_000)
        return {"facility": w.add_facility("桃源镇卫生院", "thc", open_beds=20).id, "village": village.id}

    win, ids = county(build)

    def answer(form: RecordForm) -> None:
        tick(form, "service_area", ids["village"])
        save(form)

    def fix() -> None:
        clerk.will(answer)
        edit_facility(win, ids["facility"])

    cleared(win, "data_service_area_missing", fix)


def test_a_village_without_a_clinic_gets_one_through_new_facility(county, clerk):
    def build(w: World) -> dict:
        served = w.add_village("甲村")
        w.add_facility("甲村卫生室", "village_clinic", division=served, serves=[served])
        return {"village": w.add_village("乙村").id}

    win, ids = county(build)

    def answer(form: RecordForm) -> None:
        fill(form, name="乙村卫生室", kind="village_clinic", division_id=ids["village"])
        tick(form, "service_area", ids["village"])
        save(form)

    def fix() -> None:
        clerk.will(answer)
        click(win.show_page("facilities"), "addFacility")

    cleared(win, "village_coverage", fix)


def test_a_township_without_a_centre_gets_one_through_new_facility(county, clerk):
    def build(w: World) -> dict:
        w.add_centre(beds=30, rural=30_000)
        return {"township": w.add_township("石坪乡").id}

    win, ids = county(build)

    def answer(form: RecordForm) -> None:
        fill(form, name="石坪乡卫生院", kind="thc", division_id=ids["township"])
        save(form)

    def fix() -> None:
        clerk.will(answer)
        click(win.show_page("facilities"), "addFacility")

    cleared(win, "township_centre_coverage", fix)


def test_a_centres_special_fund_is_added_in_its_form(county, clerk):
    win, ids = county(_centre)

    def facility_form(form: RecordForm) -> None:
        funds = child_records(form, "special_fund")
        clerk.will(filled(amount="20"))  # the year is this year, 2026, already
        click(funds, "add_special_fund")
        assert funds.model.rowCount() == 1
        close(form)  # nothing else changed

    def fix() -> None:
        clerk.will(facility_form)
        edit_facility(win, ids["facility"])

    cleared(win, "thc_special_funds", fix)


# --- the population -----------------------------------------------------------------------


def test_a_villages_population_is_pasted_in_the_population_grid(county):
    def build(w: World) -> dict:
        w.add_village("甲村", resident=1200)
        return {"township": w.township.id, "village": w.add_village("乙村", resident=None).id}

    win, ids = county(build)

    def fix() -> None:
        page = win.show_page("divisions")
        page.select(ids["township"])
        (row,) = [i for i, r in enumerate(page.model.rows) if r.division_id == ids["village"]]
        page.grid.setCurrentIndex(page.model.index(row, page.model.FIRST_FIELD))  # 常住人口
        assert page.grid.paste_text("1,350\t1400\t1300") == 3
        click(page, "savePopulation")
        assert not page.model.dirty, page.status.text()

    cleared(win, "data_population_missing", fix)


# --- the records of a person ----------------------------------------------------------------


def _thc_people(w: World, practice: list[str], **values) -> dict:
    thc = w.add_centre(beds=30, rural=30_000)
    people = [w.add_person(thc, practice_category=p, **values).id for p in practice]
    return {"people": people}


def _tcm_hospital_people(w: World, practice: list[str]) -> dict:
    hospital = w.add_facility("清溪县中医医院", "county_tcm_hospital", open_beds=200)
    return {"people": [w.add_person(hospital, practice_category=p).id for p in practice]}


def _village_doctor(w: World, **values) -> dict:
    village = w.add_village("甲村")
    clinic = w.add_facility("甲村卫生室", "village_clinic", division=village, serves=[village])
    values.setdefault("hire_date", dt.date(2010, 9, 1))
    values.setdefault("employment_form", "township_for_village")
    return {"people": [w.add_person(clinic, category="village_doctor", **values).id]}


PERSON_FIXES = [
    pytest.param(
        "tcm_physician_present",
        lambda w: _thc_people(w, ["clinical"]),
        {"practice_category": "tcm"},
        id="tcm_physician",
    ),
    pytest.param(
        "tcm_staff_share",  # 1 of 6 physicians is of TCM: 16.7%; corrected, 2 of 6
        lambda w: _thc_people(w, ["clinical", "tcm", "clinical", "clinical", "clinical", "clinical"]),
        {"practice_category": "tcm"},
        id="tcm_share",
    ),
    pytest.param(  # 1 of 2 physicians is of TCM: 50%; corrected, 2 of 2
        "tcm_hospital_physician_share",
        lambda w: _tcm_hospital_people(w, ["clinical", "tcm"]),
        {"practice_category": "tcm"},
        id="tcm_hospital",
    ),
    pytest.param(
        "vd_age",
        lambda w: _village_doctor(w, birth=dt.date(1962, 3, 1)),
        {"employment_form": "rehired"},
        id="vd_age",
    ),
    pytest.param(
        "vd_insurance", lambda w: _village_doctor(w, liability_insured=None), {"liability_insured": True}, id="insured"
    ),
]


@pytest.mark.parametrize(("rule", "build", "values"), PERSON_FIXES)
def test_a_persons_field_is_put_right_in_the_person_form(county, clerk, rule, build, values):
    win, ids = county(build)

    def fix() -> None:
        clerk.will(filled(**values))
        edit_person(win, ids["people"][0])

    cleared(win, rule, fix)


def _trainings_added(win: MainWindow, clerk: Clerk, person_id: int, trainings: list[dict]) -> Callable[[], None]:
    def person_form(form: RecordForm) -> None:
        tabs = form.findChild(QTabWidget, "personRecords")
        table = child_records(form, "training")
        for values in trainings:
            clerk.will(filled(**values))
            click(table, "add_training")
        assert tabs.tabText(0) == f"培训进修（{len(trainings)}）"
        close(form)

    def fix() -> None:
        clerk.will(person_form)
        edit_person(win, person_id)

    return fix


def test_a_village_doctors_trainings_are_added_in_the_person_form(county, clerk):
    win, ids = county(_village_doctor)
    # the yearly norm is judged on 2025, the last whole year: 2 free trainings, 14 days
    fix = _trainings_added(
        win,
        clerk,
        ids["people"][0],
        [
            {"kind": "on_post", "start_date": start, "end_date": end, "days": "7", "free_of_charge": True}
            for start, end in (("2025-03-03", "2025-03-09"), ("2025-10-13", "2025-10-19"))
        ],
    )
    cleared(win, "vd_training", fix)


def test_a_village_doctors_full_time_study_is_added_in_the_person_form(county, clerk):
    win, ids = county(_village_doctor)
    study = {"kind": "full_time_study", "start_date": "2026-03-02", "end_date": "2026-04-10", "days": "40"}
    cleared(win, "vd_full_time_study", _trainings_added(win, clerk, ids["people"][0], [study]))


def test_a_loans_return_date_is_entered_in_the_person_form(county, clerk):
    def build(w: World) -> dict:
        thc = w.add_centre(beds=30, rural=30_000)
        person = w.add_person(thc)
        return {"person": person.id, "loan": w.add_loan(person, dt.date(2026, 1, 5), None).id}

    win, ids = county(build)

    def person_form(form: RecordForm) -> None:
        loans = child_records(form, "loan")
        select_child(loans, ids["loan"])
        clerk.will(filled(end_date="2026-06-19"))  # back within the six months
        click(loans, "edit_loan")
        close(form)

    def fix() -> None:
        clerk.will(person_form)
        edit_person(win, ids["person"])

    cleared(win, "staff_loan_duration", fix)


def test_a_loans_written_request_is_entered_in_the_person_form(county, clerk):
    def build(w: World) -> dict:
        thc = w.add_centre(beds=30, rural=30_000)
        person = w.add_person(thc)  # 在编
        return {"person": person.id, "loan": w.add_loan(person, dt.date(2026, 8, 3), None).id}

    win, ids = county(build)

    def person_form(form: RecordForm) -> None:
        loans = child_records(form, "loan")
        select_child(loans, ids["loan"])
        clerk.will(filled(approval="县委组织部商借函〔2026〕12号"))
        click(loans, "edit_loan")
        close(form)

    def fix() -> None:
        clerk.will(person_form)
        edit_person(win, ids["person"])

    cleared(win, "staff_loan_approval", fix)


# --- projects and tasks ----------------------------------------------------------------------


def _project(w: World, start: dt.date, end: dt.date, progress: float) -> dict:
    thc = w.add_centre(beds=30, rural=30_000)
    return {"project": w.add_project(thc, start, end, stage="construction", progress=progress).id}


@pytest.mark.parametrize(
    ("rule", "dates", "stage", "progress"),
    [
        # planned to end in June, half built at the end of September: completed, as reported now
        ("project_overdue", (dt.date(2025, 10, 1), dt.date(2026, 6, 30)), "completed", 100),
        # three quarters of its time gone, 10% built: 70% reported
        ("project_behind", (dt.date(2026, 1, 1), dt.date(2026, 12, 31)), "construction", 70),
    ],
)
def test_a_projects_progress_is_reported_on_the_projects_page(county, clerk, rule, dates, stage, progress):
    win, ids = county(lambda w: _project(w, *dates, progress=50 if rule == "project_overdue" else 10))

    def report(dialog: QDialog) -> None:
        assert in_form(dialog, "日期").date().toPython() == dt.date(2026, 9, 30)  # the period's date
        combo = in_form(dialog, "建设阶段")
        combo.setCurrentIndex(combo.findData(stage))
        spin: QAbstractSpinBox = in_form(dialog, "形象进度")
        spin.setValue(progress)
        in_form(dialog, "说明").setText("主体工程已按计划推进")
        save(dialog)

    def fix() -> None:
        page = win.show_page("projects")
        page.open_record(ids["project"])
        clerk.will(report)
        click(page, "addProjectUpdate")

    cleared(win, rule, fix)


@pytest.mark.parametrize(
    ("rule", "deadline", "status"),
    [
        ("task_overdue", dt.date(2026, 6, 30), "done"),  # done, as reported now
        ("task_stale", dt.date(2026, 12, 31), "in_progress"),  # no word this quarter: a report
    ],
)
def test_a_tasks_progress_is_reported_on_the_tasks_page(county, clerk, rule, deadline, status):
    win, ids = county(lambda w: {"task": w.add_task(deadline).id})

    def report(dialog: QDialog) -> None:
        combo = in_form(dialog, "状态")
        combo.setCurrentIndex(combo.findData(status))
        note: QPlainTextEdit = in_form(dialog, "进展情况＊")
        note.setPlainText("已召开专题会议推进，完成阶段目标")
        save(dialog)

    def fix() -> None:
        page = win.show_page("tasks")
        page.open_record(ids["task"])
        clerk.will(report)
        click(page, "addTaskUpdate")

    cleared(win, rule, fix)


# --- the county's ratios -------------------------------------------------------------------------


def _small_county(w: World) -> dict:
    """1,000 residents, and under every ratio's target: 6 beds (1 private), 2 physicians, 3 nurses, no GP, no TCM, no
    psychiatrist, nobody in public health."""
    w.add_village("甲村", resident=1000)
    hospital = w.add_facility("清溪县人民医院", "county_hospital", open_beds=5, tcm_beds=0)
    private = w.add_facility("清溪县仁爱医院", "private_hospital", ownership="private", open_beds=1)
    cdc = w.add_facility("清溪县疾病预防控制中心", "cdc")
    physicians = [w.add_person(hospital, category="physician", practice_category="clinical").id for _ in range(2)]
    for _ in range(3):
        w.add_person(hospital, category="nurse", sex="F")
    return {"hospital": hospital.id, "private": private.id, "cdc": cdc.id, "physician": physicians[0]}


def _new_person(facility: str, category: str) -> Callable[[MainWindow, dict, Clerk], None]:
    """A newly hired person entered through 新增人员."""

    def fix(win: MainWindow, ids: dict, clerk: Clerk) -> None:
        number = make_id_number("539921", dt.date(1995, 6, 1), "F", next(PERSON_IDS))
        clerk.will(
            filled(name="新招聘人员", id_number=number, facility_id=ids[facility], category=category, title="junior")
        )
        click(win.show_page("staff"), "addPerson")

    return fix


def _facility_edit(facility: str, **values) -> Callable[[MainWindow, dict, Clerk], None]:
    def fix(win: MainWindow, ids: dict, clerk: Clerk) -> None:
        clerk.will(filled(**values))
        edit_facility(win, ids[facility])

    return fix


def _physician_edit(**values) -> Callable[[MainWindow, dict, Clerk], None]:
    def fix(win: MainWindow, ids: dict, clerk: Clerk) -> None:
        clerk.will(filled(**values))
        edit_person(win, ids["physician"])

    return fix


RATIO_FIXES = {
    "ratio_beds": _facility_edit("hospital", open_beds="10"),
    "ratio_physicians": _new_person("hospital", "physician"),
    "ratio_nurses": _new_person("hospital", "nurse"),
    "ratio_gps": _physician_edit(gp_registered=True),
    "ratio_public_health_staff": _new_person("cdc", "public_health"),
    "ratio_tcm_beds": _facility_edit("hospital", tcm_beds="2"),
    "ratio_tcm_physicians": _physician_edit(practice_category="tcm"),
    "ratio_psychiatrists": _physician_edit(psychiatry_registered=True),
    "ratio_private_beds": _facility_edit("private", open_beds="3"),
}


@pytest.mark.parametrize("rule", list(RATIO_FIXES))
def test_a_county_ratio_is_met_through_the_forms(county, clerk, rule):
    win, ids = county(_small_county)
    cleared(win, rule, lambda: RATIO_FIXES[rule](win, ids, clerk))


# --- every rule -----------------------------------------------------------------------------------


def test_every_rule_has_a_test_here():
    covered = (
        {p.values[0] for p in FACILITY_FIXES + PERSON_FIXES}
        | set(RATIO_FIXES)
        | {
            "data_service_area_missing",
            "village_coverage",
            "township_centre_coverage",
            "thc_special_funds",
            "data_population_missing",
            "vd_training",
            "vd_full_time_study",
            "staff_loan_duration",
            "staff_loan_approval",
            "project_overdue",
            "project_behind",
            "task_overdue",
            "task_stale",
        }
    )
    assert covered == set(check_rule_ids())


# --- in the demo county, from 问题清单 ----------------------------------------------------------


def test_in_the_demo_a_finding_is_opened_from_the_list_and_cleared(qtbot, window, clerk):
    """The clerk's whole way in a county of thousands: double-click a finding in 问题清单, the person is selected on
    人员, 查看/编辑, put right, 保存; that finding is gone and the others of the rule stay."""
    page = window.show_page("findings")
    page.set_filter(rule="vd_insurance")
    before = [page.model.row_at(i) for i in range(page.model.rowCount())]
    assert before and {f.rule_id for f in before} == {"vd_insurance"}
    finding = before[0]
    page.open_selected(page.model.index(0, 0))
    staff = window.current_page()
    assert staff.key == "staff"
    qtbot.waitUntil(lambda: bool(staff.view.selectionModel().selectedRows()))  # selected once the list is filled
    (selected,) = staff.view.selectionModel().selectedRows()
    assert staff.model.row_at(selected.row()).id == finding.where.id
    clerk.will(filled(liability_insured=True))
    click(staff, "editPerson")
    after = findings(window, "vd_insurance")
    assert finding.where.id not in {f.where.id for f in after}
    assert len(after) == len(before) - 1
