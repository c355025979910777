"""Templates filled and imported back: checked cell by cell, nothing half-written, hostile files refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import zipfile
from dataclasses import replace

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from db.models import Base, Facility, StaffMember
from desktop.cli import main
from desktop.excel import safety
from desktop.excel.errors import ExcelError
from desktop.excel.importer import plan_import, run_import, write_problem_workbook
from desktop.excel.templates import DATA_SHEET, FIRST_DATA_ROW, TEMPLATES, fill_template, write_template
from desktop.identifiers import make_id_number
from tests.factories import fill_staff_rows


def stored_state(db) -> str:
    """A SQLite file's bytes; on a server, every row of every table in key order."""
    if db.path is not None:
        return hashlib.sha256(db.path.read_bytes()).hexdigest()
    digest = hashlib.sha256()
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def filled(db, kind, path):
    with db.session() as s:
        return fill_template(s, kind, path)


@pytest.mark.parametrize("kind", list(TEMPLATES))
def test_a_template_filled_with_the_demo_records_imports_back_all_unchanged(demo_db, tmp_path, kind):
    path = filled(demo_db, kind, tmp_path / f"{kind}.xlsx")
    report = run_import(demo_db, kind, path, user="测试", dry_run=True)
    assert report.problems == []
    assert report.count("unchanged") == len(report.plans) > 0
    assert report.count("new") == report.count("changed") == 0


def test_a_blank_template_has_dropdowns_notes_an_example_and_its_kind(demo_db, tmp_path):
    with demo_db.session() as s:
        path = write_template(s, "staff", tmp_path / "staff.xlsx", county_code="539921000000")
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    headers = [c.value for c in ws[1] if c.value]
    assert headers[:3] == ["姓名*", "身份证号码*", "工作单位*"]
    assert all(ws.cell(row=1, column=j).comment for j in range(1, len(headers) + 1))
    assert ws.cell(row=2, column=1).value == "李华"  # the example row
    validated = {str(dv.sqref).split(":")[0].rstrip("0123456789") for dv in ws.data_validations.dataValidation}
    letters = {h.rstrip("*"): get_column_letter(j) for j, h in enumerate(headers, 1)}
    dropdowns = {letters[h] for h in ("工作单位", "人员类别", "专业技术职称", "用工形式", "在岗状态")}
    assert dropdowns <= validated
    assert wb["_模板信息"].sheet_state == "hidden" and wb["_模板信息"]["B1"].value == "staff"
    assert wb["_选项"].sheet_state == "hidden"


def test_a_changed_bed_count_imports_as_exactly_that_change(demo_db, tmp_path):
    path = filled(demo_db, "facilities", tmp_path / "facilities.xlsx")
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    headers = [c.value for c in ws[1]]
    col = headers.index("实有床位（张）") + 1
    row = FIRST_DATA_ROW  # the county hospital
    name = ws.cell(row=row, column=1).value
    old = ws.cell(row=row, column=col).value
    ws.cell(row=row, column=col).value = old + 12
    wb.save(path)
    report = run_import(demo_db, "facilities", path, user="测试", dry_run=True)
    changed = [p for p in report.plans if p.action == "changed"]
    assert len(changed) == 1 and changed[0].changes == {"open_beds": (old, old + 12)}
    assert report.backup is None  # a dry run writes nothing, so it needs no backup
    report = run_import(demo_db, "facilities", path, user="测试")
    assert report.written == 1
    with demo_db.session() as s:
        assert s.scalar(select(Facility.open_beds).where(Facility.name == name)) == old + 12
    if not demo_db.is_sqlite:  # a server's own backups apply; there is no file to copy
        assert report.backup is None
        return
    # The file as it was before the import is kept, verified, beside the database.
    assert report.backup is not None and report.backup.parent.name == "demo-备份"
    conn = sqlite3.connect(report.backup)
    assert conn.execute("SELECT open_beds FROM facilities WHERE name = ?", (name,)).fetchone()[0] == old
    conn.close()


def test_a_yes_cell_in_a_number_column_is_refused_beside_a_one(demo_db, tmp_path):
    """A column's distinct values are read once each; TRUE and 1 are one member of a set, but TRUE is no bed
    count. Whichever comes first, the 1 is read as 1 and the TRUE refused."""
    path = filled(demo_db, "facilities", tmp_path / "facilities.xlsx")
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    headers = [c.value for c in ws[1]]
    col, tcm = headers.index("实有床位（张）") + 1, headers.index("中医床位（张）") + 1
    for yes_first in (True, False):  # (tuple.index would not tell TRUE from 1 either)
        bad, one = (FIRST_DATA_ROW, FIRST_DATA_ROW + 1) if yes_first else (FIRST_DATA_ROW + 1, FIRST_DATA_ROW)
        for row, value in ((bad, True), (one, 1)):
            ws.cell(row=row, column=col).value = value
            ws.cell(row=row, column=tcm).value = 0
        wb.save(path)
        report = run_import(demo_db, "facilities", path, user="测试", dry_run=True)
        assert [(p.row, p.message) for p in report.problems] == [(bad, "“实有床位”应为数字")]
        (plan,) = [p for p in report.plans if p.row == one]
        assert plan.values["open_beds"] == 1


def test_an_import_does_not_close_a_facility_with_people_on_post(demo_db, tmp_path):
    """As in the form: a row closing a clinic whose people are still on post is a problem naming them."""
    from sqlalchemy import func

    from db.models import StaffMember

    with demo_db.session() as s:
        clinic_id = s.scalars(
            select(StaffMember.facility_id).where(StaffMember.status == "on_post").group_by(StaffMember.facility_id)
            .having(func.count() == 1).limit(1)
        ).one()  # fmt: skip
        name = s.get(Facility, clinic_id).name
        person = s.scalars(select(StaffMember.name).where(StaffMember.facility_id == clinic_id)).first()
    path = filled(demo_db, "facilities", tmp_path / "facilities.xlsx")
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    headers = [c.value for c in ws[1]]
    (row,) = [r for r in range(FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(row=r, column=1).value == name]
    column = {h.split("（")[0].rstrip("＊*"): j + 1 for j, h in enumerate(headers) if h}
    ws.cell(row=row, column=column["运营状态"]).value = "撤销"
    ws.cell(row=row, column=column["状态说明"]).value = "并入邻村卫生室"
    wb.save(path)
    for dry_run in (True, False):  # found by the check before anything is written, as the wizard previews it
        report = run_import(demo_db, "facilities", path, user="测试", dry_run=dry_run)
        assert [(p.row, p.header) for p in report.problems] == [(row, "运营状态")]
        assert f"{name}尚有在岗人员1人（{person}）" in report.problems[0].message
    with demo_db.session() as s:
        assert s.get(Facility, clinic_id).status == "operating"


def test_a_blank_bed_count_imports_as_its_default_and_the_import_goes_on(demo_db, tmp_path):
    """Issue 17, 5a: a blank 实有床位 (optional, but NOT NULL in the database) aborted the whole import with an
    IntegrityError. For a new facility a blank stands for the column's default, 0, as the header's note says; for
    one already stored it keeps what is stored (a township that leaves a cell empty has not cleared it)."""
    with demo_db.session() as s:
        name, beds = s.execute(
            select(Facility.name, Facility.open_beds).where(Facility.open_beds > 0, Facility.tcm_beds == 0).limit(1)
        ).one()
    path = filled(demo_db, "facilities", tmp_path / "facilities.xlsx")
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    headers = [c.value for c in ws[1]]
    col = headers.index("实有床位（张）") + 1
    note = ws.cell(row=1, column=col).comment.text
    (row,) = [r for r in range(FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(row=r, column=1).value == name]
    ws.cell(row=row, column=col).value = None
    new_row = ws.max_row + 1
    for j in range(1, ws.max_column + 1):  # a new facility, the same but for its name and credit code
        ws.cell(row=new_row, column=j).value = ws.cell(row=row, column=j).value
    ws.cell(row=new_row, column=1).value = name + "分院"
    ws.cell(row=new_row, column=headers.index("统一社会信用代码") + 1).value = None
    wb.save(path)
    report = run_import(demo_db, "facilities", path, user="测试")
    assert report.problems == [] and report.written == 1
    (kept,) = [p for p in report.plans if p.row == row]
    assert kept.action == "unchanged" and kept.kept_blank == 1
    assert "1 个空白单元格未清除已有内容" in report.summary()
    (added,) = [p for p in report.plans if p.action == "new"]
    assert added.row == new_row
    with demo_db.session() as s:
        assert s.scalar(select(Facility.open_beds).where(Facility.name == name)) == beds
        assert s.scalar(select(Facility.open_beds).where(Facility.name == name + "分院")) == 0
    assert "不填即为“0张”" in note


def test_one_bad_cell_among_a_thousand_good_rows(demo_db, tmp_path):
    with demo_db.session() as s:
        path = write_template(s, "staff", tmp_path / "staff.xlsx")
        facility = s.scalar(select(Facility.name).where(Facility.kind == "county_hospital"))
        before_count = s.scalar(select(func.count()).select_from(StaffMember))
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    fill_staff_rows(ws, 1001, facility)
    bad_row = FIRST_DATA_ROW + 500
    ws.cell(row=bad_row, column=2).value = ws.cell(row=bad_row, column=2).value[:-1] + "0"  # wrong check digit
    wb.save(path)
    demo_db.close()
    before = stored_state(demo_db)

    report = run_import(demo_db, "staff", path, user="测试")
    (problem,) = report.problems
    assert (problem.sheet, problem.row, problem.column, problem.header) == ("数据", bad_row, "B", "身份证号码")
    assert "校验位错误" in problem.message
    demo_db.close()
    assert stored_state(demo_db) == before  # nothing written (on SQLite, byte-identical)

    out = write_problem_workbook(report, tmp_path / "problems.xlsx")
    marked = load_workbook(out)
    assert marked["数据"][f"B{bad_row}"].comment.text.startswith("身份证号码校验位错误")
    assert marked["问题清单"]["B2"].value == bad_row

    report = run_import(demo_db, "staff", path, user="测试", good_rows_only=True)
    assert report.written == 1000
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(StaffMember)) == before_count + 1000


def test_headers_in_any_order_with_spaces_and_the_ways_clerks_type(demo_db, tmp_path):
    with demo_db.session() as s:
        facility = s.scalar(select(Facility.name).where(Facility.kind == "county_hospital"))
    wb = Workbook()
    ws = wb.active
    ws.append(
        ["在岗状态 ", "用工形式", " 姓名", "工作单位", "人员类别", "专业技术职称", "身份证号码", "参加工作日期", "备注"]
    )
    good_id = make_id_number("530102", dt.date(1991, 2, 3), "F", 1)
    other_id = make_id_number("530102", dt.date(1992, 2, 3), "F", 2)
    ws.append(["在岗", "编外", "张一", facility, "注册护士", "初级（师）", good_id, dt.datetime(2014, 7, 1)])
    ws.append(["在岗", "编外", "张二", facility, "注册护士", "初级（师）", 1.10105194912310e17, "２０１４－０７－０１"])
    ws.append(["在岗", "编外", "张三", facility, "护士长", "初级（师）", other_id, "2014-13-01"])
    path = tmp_path / "roster.xlsx"
    wb.save(path)
    with demo_db.session() as s:
        report = plan_import(s, "staff", path)
    assert report.ignored_columns == ["备注"]
    assert [(p.row, p.column) for p in report.problems] == [(3, "G"), (4, "E"), (4, "H")]
    assert "科学计数法" in report.problems[0].message
    assert "不在可选范围内" in report.problems[1].message
    assert [p.values["name"] for p in report.plans] == ["张一"] and report.plans[0].values["hire_date"] == dt.date(
        2014, 7, 1
    )


def test_a_missing_required_column_is_a_problem(demo_db, tmp_path):
    wb = Workbook()
    wb.active.append(["姓名", "人员类别"])
    wb.active.append(["张一", "注册护士"])
    wb.save(tmp_path / "x.xlsx")
    with demo_db.session() as s:
        report = plan_import(s, "staff", tmp_path / "x.xlsx")
    assert {p.message for p in report.problems} >= {"缺少必填列“身份证号码”", "缺少必填列“工作单位”"}


def test_a_template_of_another_kind_is_refused(demo_db, tmp_path):
    path = filled(demo_db, "tasks", tmp_path / "tasks.xlsx")
    with pytest.raises(ExcelError, match="这是重点任务模板，不能作为人员导入"), demo_db.session() as s:
        plan_import(s, "staff", path)


ENTITY_BOMB = b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><workbook>&lol;</workbook>'


def _bytes(path, data: bytes):
    path.write_bytes(data)
    return path


def _zip(path, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("notes.xlsx", lambda p: _bytes(p, "会议纪要".encode()), "不是 Excel 工作簿"),
        ("old.xls", lambda p: _bytes(p, safety.OLE_MAGIC + b"\0" * 1000), "“old.xls”已损坏，无法读取。"),
        ("empty.xlsx", lambda p: _bytes(p, b""), "是空的"),
        ("doc.xlsx", lambda p: _zip(p, {"word/document.xml": b"<w/>"}), "缺少工作簿内容"),
        (
            "bomb.xlsx",
            lambda p: _zip(p, {"xl/workbook.xml": b"<w/>", "xl/worksheets/sheet1.xml": b"0" * 60_000_000}),
            "压缩炸弹",
        ),
        ("entities.xlsx", lambda p: _zip(p, {"xl/workbook.xml": ENTITY_BOMB}), "XML 实体"),
        ("broken.xlsx", lambda p: _bytes(p, b"PK\x03\x04" + b"\0" * 100), "已损坏"),
    ],
)
def test_hostile_files_are_refused_with_a_reason(demo_db, tmp_path, name, make, message):
    path = make(tmp_path / name)
    with pytest.raises(ExcelError, match=message), demo_db.session() as s:
        plan_import(s, "staff", path)


def test_too_many_rows_are_refused_with_the_limit_stated(demo_db, tmp_path, monkeypatch):
    monkeypatch.setattr("desktop.excel.importer.MAX_ROWS", 50)
    wb = Workbook()
    for i in range(100):
        wb.active.append([f"张{i}"])
    wb.save(tmp_path / "big.xlsx")
    with pytest.raises(ExcelError, match="超过每次导入 50 行的上限"), demo_db.session() as s:
        plan_import(s, "staff", tmp_path / "big.xlsx")


def test_the_command_line_exit_codes(demo_db, tmp_path, capsys):
    db = demo_db.target
    good = filled(demo_db, "projects", tmp_path / "projects.xlsx")
    demo_db.close()
    assert main(["import", "projects", str(good), "--db", db]) == 0
    assert "未变 30 条" in capsys.readouterr().out
    wb = load_workbook(good)
    wb[DATA_SHEET].cell(row=FIRST_DATA_ROW, column=8).value = "一百"  # 形象进度
    wb.save(good)
    assert main(["import", "projects", str(good), "--db", db, "--problems", str(tmp_path / "p.xlsx")]) == 2
    out = capsys.readouterr().out
    assert "工作表“数据” H3（形象进度）：“形象进度”应为数字" in out and "未写入任何数据" in out
    (tmp_path / "junk.xlsx").write_text("x")
    assert main(["import", "projects", str(tmp_path / "junk.xlsx"), "--db", db]) == 1
    assert "不是 Excel 工作簿" in capsys.readouterr().err


def test_progress_reports_round_trip_and_new_ones_land_with_their_project(demo_db, tmp_path):
    from db.models import Project, ProjectUpdate

    path = filled(demo_db, "projects", tmp_path / "projects.xlsx")
    report = run_import(demo_db, "projects", path, user="测试", dry_run=True)
    assert report.update_plans and report.count_updates("unchanged") == len(report.update_plans)

    wb = load_workbook(path)
    main_ws, updates_ws = wb[DATA_SHEET], wb["进度"]
    existing_name = main_ws.cell(row=FIRST_DATA_ROW, column=1).value
    last = main_ws.max_row + 1
    for col, value in enumerate(
        [
            "和平村卫生室新建项目",
            "和湾镇卫生院",
            "新建",
            "2026-10-01",
            "2027-06-30",
            None,
            "设计",
            5,
            10,
            "县卫生健康局",
        ],
        1,
    ):
        main_ws.cell(row=last, column=col, value=value)
    row = updates_ws.max_row + 1
    for values in (
        (existing_name, dt.date(2026, 11, 20), "在建", 99, 50, "冬季施工"),
        ("和平村卫生室新建项目", dt.date(2026, 11, 20), "设计", 8, 12, "施工图设计"),
    ):
        for col, value in enumerate(values, 1):
            updates_ws.cell(row=row, column=col, value=value)
        row += 1
    wb.save(path)
    report = run_import(demo_db, "projects", path, user="测试")
    assert report.problems == []
    assert (report.count("new"), report.count_updates("new")) == (1, 2)
    with demo_db.session() as s:
        old = s.scalar(select(Project).where(Project.name == existing_name))
        new = s.scalar(select(Project).where(Project.name == "和平村卫生室新建项目"))
        assert old.progress == 99 and old.updates[-1].note == "冬季施工"
        assert new is not None and [(u.progress, u.note) for u in new.updates] == [(8, "施工图设计")]
        assert s.scalar(select(func.count()).select_from(ProjectUpdate).where(ProjectUpdate.project_id == new.id)) == 1


def test_a_report_for_an_unknown_task_is_a_problem_on_its_sheet(demo_db, tmp_path):
    path = filled(demo_db, "tasks", tmp_path / "tasks.xlsx")
    wb = load_workbook(path)
    ws = wb["进展"]
    ws.cell(row=FIRST_DATA_ROW, column=1).value = "不存在的台账/（九十九）"
    wb.save(path)
    report = run_import(demo_db, "tasks", path, user="测试", dry_run=True)
    (problem,) = report.problems
    assert (problem.sheet, problem.row, problem.column) == ("进展", FIRST_DATA_ROW, "A")


def test_rows_read_back_unchanged_skip_parsing_but_edited_rows_are_checked(demo_db, tmp_path):
    path = filled(demo_db, "staff", tmp_path / "staff.xlsx")
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    headers = [c.value for c in ws[1]]
    category = headers.index("人员类别*") + 1
    title = headers.index("专业技术职称*") + 1
    ws.cell(row=FIRST_DATA_ROW + 4, column=category).value = "赤脚医生"
    ws.cell(row=FIRST_DATA_ROW + 7, column=title).value = "正高级"
    wb.save(path)
    report = run_import(demo_db, "staff", path, user="测试", dry_run=True)
    (problem,) = report.problems
    assert (problem.row, problem.header) == (FIRST_DATA_ROW + 4, "人员类别") and "不在可选范围内" in problem.message
    (changed,) = [p for p in report.plans if p.action == "changed"]
    assert changed.row == FIRST_DATA_ROW + 7 and changed.changes["title"][1] == "senior"
    assert report.count("unchanged") == len(report.plans) - 1


def _flip(ws, row: int, col: int) -> str:
    old = ws.cell(row=row, column=col).value
    ws.cell(row=row, column=col).value = "否" if old == "是" else "是"
    return old


def test_a_psychiatry_registration_changed_in_a_roster_is_a_change(demo_db, tmp_path):
    """Issue 17, 5b: a 精神科注册 change was dropped as "未变 1 条" when the rest of the row matched."""
    path = filled(demo_db, "staff", tmp_path / "staff.xlsx")
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    headers = [c.value for c in ws[1]]
    assert "精神科注册" in headers  # every field clerks edit is a column of the template
    old = _flip(ws, FIRST_DATA_ROW + 3, headers.index("精神科注册") + 1)
    wb.save(path)
    report = run_import(demo_db, "staff", path, user="测试", dry_run=True)
    assert report.problems == [] and report.summary().startswith("新增 0 条，修改 1 条")
    (changed,) = [p for p in report.plans if p.action == "changed"]
    assert changed.row == FIRST_DATA_ROW + 3 and set(changed.changes) == {"psychiatry_registered"}
    assert report.describe_changes(changed) == f"精神科注册：{old} → {'否' if old == '是' else '是'}"


def test_a_roster_column_beyond_the_template_is_compared_too(demo_db, tmp_path, monkeypatch):
    """A roster may carry a field's column that its template lacked (as 精神科注册 once was): a row reading as the
    template writes its record is not "unchanged" when that column differs."""
    spec = TEMPLATES["staff"]
    monkeypatch.setitem(
        TEMPLATES, "staff", replace(spec, fields=tuple(f for f in spec.fields if f != "liability_insured"))
    )
    path = filled(demo_db, "staff", tmp_path / "staff.xlsx")
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    col = len([c for c in ws[1] if c.value]) + 1
    ws.cell(row=1, column=col).value = "医疗责任保险"
    with demo_db.session() as s:  # the template lists people in the order of their ids
        insured = s.scalars(select(StaffMember.liability_insured).order_by(StaffMember.id)).all()
    for r, value in enumerate(insured, FIRST_DATA_ROW):
        ws.cell(row=r, column=col).value = {True: "是", False: "否"}.get(value)
    _flip(ws, FIRST_DATA_ROW + 2, col)
    wb.save(path)
    report = run_import(demo_db, "staff", path, user="测试", dry_run=True)
    assert report.problems == []
    (changed,) = [p for p in report.plans if p.action == "changed"]
    assert changed.row == FIRST_DATA_ROW + 2 and set(changed.changes) == {"liability_insured"}


def test_a_long_bad_cell_is_quoted_cut_to_fifty_characters(demo_db, tmp_path):
    """A cell may hold 32,767 characters; a message quoting it whole filled the screen."""
    path = filled(demo_db, "facilities", tmp_path / "facilities.xlsx")
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    headers = [c.value for c in ws[1]]
    ws.cell(row=FIRST_DATA_ROW, column=headers.index("实有床位（张）") + 1).value = "很多" * 5000
    wb.save(path)
    report = run_import(demo_db, "facilities", path, user="测试", dry_run=True)
    (problem,) = report.problems
    quoted = problem.message.split("现为“")[1].split("”")[0]
    assert len(quoted) == 50 and quoted.endswith("…")
    assert len(report.shown_value(problem)) == 50
