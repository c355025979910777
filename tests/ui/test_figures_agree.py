"""Every headline figure the same wherever it appears: after a clerk's ordinary edits (a clinic's two people leave
and it closes, a village doctor is added, a nurse leaves after the quarter), each figure read from the window, the
sheets as LibreOffice reads them, the quarterly PDF's text and the command line equals its one definition
(desktop/figures.py)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import func, select

from db.codes import SEVERITY
from db.models import Facility, StaffMember
from desktop.cli import main
from desktop.excel.export import export_workbook
from desktop.figures import headline_figures
from desktop.periods import Period
from desktop.records.editing import create_record, update_record
from desktop.records.types import FACILITY, STAFF
from desktop.report.build import build_report
from desktop.subsidies import roster_summary
from desktop.ui.main_window import MainWindow
from tests.integration.office import CSV_UTF8, SOFFICE, convert, pdf_text, read_csv
from tests.ui.conftest import TODAY

PERIOD = Period(2026, 3)  # ended before TODAY: every output reads it as of 2026-09-30, the command line too
LEFT_ON = dt.date(2026, 9, 15)

pytestmark = pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")


def _edit(db) -> str:
    """A clinic's two people leave in September and the clinic closes; a village doctor joins another clinic; a
    nurse leaves after the quarter. Returns the closed clinic's name."""
    with db.session() as s:
        clinic_id, other_id = s.scalars(
            select(StaffMember.facility_id)
            .join(Facility, Facility.id == StaffMember.facility_id)
            .where(StaffMember.status == "on_post", Facility.kind == "village_clinic")
            .group_by(StaffMember.facility_id)
            .having(func.count() == 2)
            .limit(2)
        ).all()
        for person in s.scalars(select(StaffMember).where(StaffMember.facility_id == clinic_id)).all():
            if person.status == "on_post":
                leaving = {"status": "离职", "status_reason": "辞职", "status_date": LEFT_ON}
                update_record(s, STAFF, person.id, leaving, user="测试")
        closing = {"status": "撤销", "status_reason": "并入邻村卫生室"}
        update_record(s, FACILITY, clinic_id, closing, user="测试", effective_on=LEFT_ON)  # closed in September
        joining = {
            "name": "新来的",
            "id_number": "110101199003074514",
            "facility_id": other_id,
            "category": "乡村医生",
            "title": "无职称",
            "employment_form": "编外",
            "status": "在岗",
            "hire_date": dt.date(2026, 9, 1),
        }
        create_record(s, STAFF, joining, user="测试")
        # and a nurse leaves in October: on post at the quarter's end, so in every figure of the quarter
        nurse = s.scalars(select(StaffMember).where(StaffMember.status == "on_post", StaffMember.category == "nurse"))
        leaving = {"status": "调出", "status_reason": "调往市医院", "status_date": dt.date(2026, 10, 20)}
        update_record(s, STAFF, nurse.first().id, leaving, user="测试")
        name = s.get(Facility, clinic_id).name
        s.commit()
    return name


def _sheet(db, key: str, tmp_path) -> list[list[str]]:
    path = tmp_path / f"{key}.xlsx"
    export_workbook(db, [key], PERIOD, path, user="测试", today=TODAY)
    return read_csv(convert(path, CSV_UTF8, tmp_path))


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _total(rows: list[list[str]], header: str) -> int:
    """The 合计 row's cell under a header (of either header row)."""
    column = next(j for row in rows[2:4] for j, cell in enumerate(row) if cell.startswith(header))
    return _number(next(row for row in rows if row and row[0] == "合计")[column])


def _data(rows: list[list[str]]) -> list[list[str]]:
    return [row for row in rows[2:] if row and re.fullmatch(r"[\d,]+", row[0])]  # 序号 1,000 as LibreOffice shows it


def test_every_output_gives_the_same_figures(qtbot, demo_db, tmp_path, capsys):
    closed = _edit(demo_db)
    with demo_db.session() as s:
        figures = headline_figures(s, PERIOD, today=TODAY)
        s.commit()
    villages = figures.subsidies["village_doctors"]
    assert figures.staff_on_post > 2000 and figures.findings and villages.people and villages.withheld

    # The window: the dashboard's cards and findings, the Reports page's rosters.
    win = MainWindow(demo_db, today=TODAY)
    qtbot.addWidget(win)
    win.show()
    assert win.period == PERIOD
    dashboard = win.pages["dashboard"]
    assert _number(dashboard.cards["facilities"].value.text()) == figures.facilities
    assert _number(dashboard.cards["staff_on_post"].value.text()) == figures.staff_on_post
    qtbot.waitUntil(lambda: "—" not in dashboard.severity_buttons["high"].text(), timeout=20000)
    for severity, label in SEVERITY.items():
        assert dashboard.severity_buttons[severity].text() == f"{label} {figures.findings_by_severity[severity]} 条"
    reports = win.show_page("reports")
    assert roster_summary(figures.subsidies) in reports.subsidy_title.text()
    assert reports.model.rowCount() == sum(r.people for r in figures.subsidies.values())

    # The sheets, as LibreOffice reads them.
    facilities = _sheet(demo_db, "facilities", tmp_path)
    assert len(_data(facilities)) == figures.facilities
    assert not any(closed in row for row in facilities)
    assert _total(facilities, "在岗人员") == figures.staff_on_post
    assert _total(facilities, "实有") == figures.open_beds
    assert _total(facilities, "健康养老") == figures.elderly_care_beds
    staff = _sheet(demo_db, "staff", tmp_path)
    assert len(_data(staff)) == _total(staff, "姓名") == figures.staff_on_post
    subsidies = _sheet(demo_db, "subsidies", tmp_path)
    assert len(_data(subsidies)) == villages.people
    assert _total(subsidies, "月标准") == villages.monthly_yuan
    assert sum("不予发放" in cell for row in subsidies for cell in row) == villages.withheld
    findings = _sheet(demo_db, "findings", tmp_path)
    by_severity = {label: sum(row[1] == label for row in _data(findings)) for label in SEVERITY.values()}
    assert by_severity == {SEVERITY[s]: n for s, n in figures.findings_by_severity.items()}

    # The quarterly report's text.
    pdf = tmp_path / "report.pdf"
    build_report(demo_db, PERIOD, pdf, today=TODAY)
    layout = pdf_text(pdf)
    text = re.sub(r"\s*\n\s*", "", layout)
    said = {
        "医疗卫生机构": (r"共有医疗卫生机构([\d,]+)个", figures.facilities),
        "运营": (r"（其中运营([\d,]+)个）", figures.operating),
        "在岗": (r"在岗卫生人员([\d,]+)人", figures.staff_on_post),
        "床位": (r"实有床位([\d,]+)张", figures.open_beds),
        "问题": (r"共发现问题([\d,]+)条", figures.findings),
        "严重": (r"其中严重([\d,]+)条", figures.findings_by_severity["high"]),
        "一般": (r"、一般([\d,]+)条", figures.findings_by_severity["medium"]),
        "提示": (r"、提示([\d,]+)条", figures.findings_by_severity["low"]),
        "乡村医生": (r"在岗乡村医生([\d,]+)人", figures.village_doctors),
    }
    for what, (pattern, expected) in said.items():
        assert _number(re.search(pattern, text).group(1)) == expected, what
    assert roster_summary(figures.subsidies) in text
    table = layout[layout.index("人员类别") :]
    staff_total = next(line for line in table.splitlines() if line.strip().startswith("合计"))
    assert _number(staff_total.split()[-1]) == figures.staff_on_post
    village_row = next(line for line in table.splitlines() if line.strip().startswith("乡村医生"))
    assert _number(village_row.split()[-1]) == figures.village_doctors

    # The command line.
    capsys.readouterr()
    assert main(["figures", "--db", str(demo_db.target), "--period", str(PERIOD), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(figures.as_dict()))
