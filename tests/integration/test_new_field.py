"""A field added the way the description promises: the practising-certificate number (执业证书编码) of staff is a
column, a migration and one line in the staff description, and it is in the template, the import, the export
roster and the staff list (the form shows every field; tests/ui checks it there)."""

from __future__ import annotations

from openpyxl import load_workbook
from sqlalchemy import select

from db.models import KeyTask, StaffMember
from desktop.cli import main
from desktop.excel.templates import DATA_SHEET, FIRST_DATA_ROW
from desktop.lists import StaffList
from desktop.records.types import STAFF

NUMBER = "110430000012345"


def test_the_certificate_number_goes_through_template_import_list_and_export(demo_db, tmp_path, capsys):
    assert STAFF.field("practice_certificate_no").label == "执业证书编码"
    with demo_db.session() as s:
        person = s.scalars(select(StaffMember).where(StaffMember.category == "physician")).first()
        person_id, name = person.id, person.name

    # The filled template carries the column; a township writes the number in it and sends it back.
    path = tmp_path / "人员.xlsx"
    assert main(["template", "staff", "--with-records", "--db", demo_db.target, "--out", str(path)]) == 0
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    headers = [c.value for c in ws[1]]
    column = headers.index("执业证书编码") + 1
    row = next(r for r in range(FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(row=r, column=1).value == name)
    ws.cell(row=row, column=column, value=NUMBER)
    wb.save(path)
    capsys.readouterr()
    assert main(["import", "staff", str(path), "--db", demo_db.target]) == 0
    assert "修改 1 条" in capsys.readouterr().out
    with demo_db.session() as s:
        assert s.get(StaffMember, person_id).practice_certificate_no == NUMBER
        # The staff list has it among its rows' listed values.
        rows = StaffList(s).rows
        listed = [f.name for f in STAFF.listed]
        shown = next(r for r in rows if r.id == person_id)
        assert shown.more[listed.index("practice_certificate_no")] == NUMBER

    # The exported roster has a column for it, as LibreOffice-free openpyxl reads the cells back.
    out = tmp_path / "花名册.xlsx"
    assert main(["export", "staff", "--db", demo_db.target, "--period", "2026Q3", "--out", str(out)]) == 0
    sheet = load_workbook(out).worksheets[0]
    cells = [[c.value for c in r] for r in sheet.iter_rows()]
    header_row = next(r for r in cells if "执业证书编码" in r)
    at = header_row.index("执业证书编码")
    assert NUMBER in [r[at] for r in cells if len(r) > at]


def test_a_tasks_responsible_person_goes_from_a_bureaus_ledger_to_the_list_the_sheet_and_the_history(
    demo_db, tmp_path, capsys
):
    """责任人 (issue 24's add-a-field recipe followed for a real field): a bureau's own ledger names it
    具体责任人; the import reads it, the 重点任务 list and the exported ledger show it, the template asks for it
    and an edit of it is in the history."""
    from desktop.history import record_history
    from desktop.lists import task_rows
    from desktop.periods import Period
    from desktop.records.editing import update_record
    from desktop.records.types import TASK
    from tests.integration.test_bureau_ledgers import imported, write

    assert TASK.field("responsible_person").label == "责任人"
    path = write(
        tmp_path / "任务.xlsx",
        {
            "台账": [
                ["县医改重点任务推进台账"],
                ["台账名称", "序号", "重点任务", "牵头单位", "具体责任人", "完成时限", "完成状态"],
                [
                    "2027年医改重点任务",
                    "1",
                    "推进紧密型县域医共体建设",
                    "县卫生健康局",
                    "周红（医政股股长）",
                    "2027年12月",
                    "推进中",
                ],
            ]
        },
    )
    imported(demo_db, "tasks", path)
    with demo_db.session() as s:
        task = s.scalars(select(KeyTask).where(KeyTask.ledger == "2027年医改重点任务")).one()
        assert task.responsible_person == "周红（医政股股长）"
        shown = next(r for r in task_rows(s, Period(2027, 4)) if r.id == task.id)
        assert shown.responsible_person == "周红（医政股股长）"
        update_record(s, TASK, task.id, {"responsible_person": "吴刚"}, user="t")
        s.commit()
        said = record_history(s, "key_tasks", task.id)[0]
        assert "周红（医政股股长）" in str(said) and "吴刚" in str(said)

    template = tmp_path / "模板.xlsx"
    assert main(["template", "tasks", "--db", demo_db.target, "--out", str(template)]) == 0
    assert "责任人" in [c.value for c in load_workbook(template)[DATA_SHEET][1]]

    out = tmp_path / "台账.xlsx"
    assert main(["export", "tasks", "--db", demo_db.target, "--period", "2027Q4", "--out", str(out)]) == 0
    cells = [[c.value for c in r] for r in load_workbook(out).worksheets[0].iter_rows()]
    header_row = next(r for r in cells if "责任人" in r)
    assert "吴刚" in [r[header_row.index("责任人")] for r in cells]
