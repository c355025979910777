"""People's ID and phone numbers: no file the app writes from the demo county carries one whole unless
asked, the asking is recorded, and a masked roster sent back still imports."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db import AccessDenied, Actor
from db.models import Change, StaffMember
from desktop.cli import main
from desktop.excel.importer import run_import
from desktop.excel.templates import FIRST_DATA_ROW, TEMPLATES, fill_template
from desktop.validators import InvalidValue, check_id_number
from tests.integration.office import pdf_text

# Any run of 17 digits and a check character; those with a valid date and check digit are ID numbers
# (an all-digit unified social credit code matches the pattern but not the checks).
CANDIDATE = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")


def id_numbers(text: str) -> set[str]:
    found = set()
    for candidate in CANDIDATE.findall(text):
        try:
            found.add(check_id_number(candidate).number)
        except InvalidValue:
            pass
    return found


def file_text(path: Path) -> str:
    if path.suffix == ".pdf":
        return pdf_text(path)
    with zipfile.ZipFile(path) as z:  # every sheet, shared string, comment and hidden list of a workbook
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


def every_output(db: str, out: Path) -> list[Path]:
    """Every export, template and report the command line writes, as a clerk would ask for them."""
    files = [out / "all.xlsx", out / "report.pdf"]
    assert main(["export", "all", "--db", db, "--period", "2026Q3", "--out", str(files[0])]) == 0
    assert main(["report", "--db", db, "--period", "2026Q3", "--out", str(files[1])]) == 0
    for kind in TEMPLATES:
        for filled in ([], ["--with-records"]):
            path = out / f"{kind}{'-filled' if filled else ''}.xlsx"
            assert main(["template", kind, "--db", db, "--out", str(path), *filled]) == 0
            files.append(path)
    return files


def stored_numbers(db) -> tuple[set[str], set[str]]:
    with db.session() as s:
        rows = s.execute(select(StaffMember.id_number, StaffMember.phone)).all()
    return {r.id_number for r in rows}, {r.phone for r in rows if r.phone}


def test_no_file_carries_a_whole_id_or_phone_number_unless_asked(demo_db, tmp_path, capsys):
    ids, phones = stored_numbers(demo_db)
    target = demo_db.target
    demo_db.close()
    files = every_output(target, tmp_path)
    for f in files:
        text = file_text(f)
        assert not id_numbers(text), f.name
        assert not [n for n in ids if n in text], f.name
        assert not [p for p in phones if p in text], f.name
    roster = load_workbook(tmp_path / "all.xlsx", read_only=True)["卫生人员花名册"]
    headers = next(r for r in roster.iter_rows(max_row=6, values_only=True) if "姓名" in r)
    assert "出生年份" in headers and "出生日期" not in headers  # a birth date would unmask the ID number
    masked = file_text(tmp_path / "staff-filled.xlsx")
    assert re.search(r"\d{6}\*{8}\d{3}[\dX]", masked) and re.search(r"1\d\d\*{4}\d{4}", masked)

    asked = tmp_path / "asked"
    db_arg = ["--db", target]
    assert (
        main(["export", "staff", *db_arg, "--period", "2026Q3", "--out", str(asked / "all.xlsx"), "--unmask-ids"]) == 0
    )
    assert (
        main(
            ["template", "staff", *db_arg, "--out", str(asked / "staff-filled.xlsx"), "--with-records", "--unmask-ids"]
        )
        == 0
    )
    roster = file_text(asked / "all.xlsx")
    found = id_numbers(roster)
    assert found and found <= ids
    assert [p for p in phones if p in roster]
    assert id_numbers(file_text(asked / "staff-filled.xlsx")) == ids


def test_unmasking_is_recorded_and_refused_to_a_viewer(demo_db, tmp_path):
    from desktop.excel.export import export_workbook
    from desktop.periods import Period

    demo_db.actor = Actor("小李", "viewer", signed_in=True)
    with pytest.raises(AccessDenied, match="查看员"):
        export_workbook(demo_db, ["staff"], Period(2026, 3), tmp_path / "a.xlsx", user="小李", unmask_ids=True)
    assert not (tmp_path / "a.xlsx").exists()
    export_workbook(demo_db, ["staff"], Period(2026, 3), tmp_path / "b.xlsx", user="小李")  # masked: allowed
    with demo_db.session() as s, pytest.raises(AccessDenied):
        fill_template(s, "staff", tmp_path / "c.xlsx", unmask=True)

    demo_db.actor = Actor("老王", "editor", signed_in=True)
    export_workbook(demo_db, ["staff"], Period(2026, 3), tmp_path / "d.xlsx", user="老王", unmask_ids=True)
    with demo_db.session() as s:
        logged = s.scalars(select(Change).where(Change.action == "unmask")).all()
    assert [(c.user, c.reason) for c in logged] == [("老王", "上报报表含完整身份证号码和电话号码：d.xlsx")]


def test_a_masked_roster_sent_back_imports_with_the_numbers_kept(demo_db, tmp_path):
    path = tmp_path / "staff.xlsx"
    with demo_db.session() as s:
        fill_template(s, "staff", path)
        people = {p.id_number: (p.id, p.phone) for p in s.scalars(select(StaffMember))}
    wb = load_workbook(path)
    ws = wb["数据"]
    headers = [c.value for c in ws[1]]
    col = {str(h).rstrip("*"): i for i, h in enumerate(headers, 1)}
    row = FIRST_DATA_ROW
    assert "*" in ws.cell(row, col["身份证号码"]).value
    ws.cell(row, col["专业技术职称"]).value = "正高级"
    new = ws.max_row + 1  # a new person typed with a masked number cannot be stored
    for c in range(1, len(headers) + 1):
        ws.cell(new, c).value = ws.cell(row, c).value
    ws.cell(new, col["姓名"]).value = "新来的"
    wb.save(path)

    report = run_import(demo_db, "staff", path, user="测试", dry_run=True)
    assert [p.row for p in report.problems] == [new]
    assert "部分数字已隐藏" in report.problems[0].message and "新增" in report.problems[0].message
    assert report.count("changed") == 1 and report.count("new") == 0
    assert report.count("unchanged") == len(people) - 1
    changed = next(p for p in report.plans if p.action == "changed")
    assert list(changed.changes) == ["title"]

    report = run_import(demo_db, "staff", path, user="测试", good_rows_only=True)
    assert report.written == 1
    with demo_db.session() as s:
        person = s.get(StaffMember, changed.record_id)
        assert people[person.id_number] == (person.id, person.phone)  # number and phone as they were
        assert person.title == "senior"
        assert s.scalar(select(StaffMember).where(StaffMember.name == "新来的")) is None
