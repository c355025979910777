"""Stored text reaches every workbook as text: no control character fails a file, no text becomes a formula."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import select, update

from db.models import CountyProfile, Division, Facility, KeyTask, Project, StaffMember
from desktop.cli import main
from desktop.excel.templates import DATA_SHEET, FIRST_DATA_ROW
from tests.integration.office import SOFFICE, convert

FORMULA = "=cmd|' /C calc'!A0"


def _first(session, model):
    return session.scalar(select(model.id).order_by(model.id).limit(1))


def _store(db, model, record_id, **values) -> None:
    """Written straight into the table, past every check, as an older version or an exchange file could have.
    PostgreSQL's text cannot hold NUL at all, so there it is another control character."""
    if not db.is_sqlite:
        values = {k: v.replace("\x00", "\x01") if isinstance(v, str) else v for k, v in values.items()}
    with db.engine.begin() as conn:
        conn.execute(update(model).where(model.id == record_id).values(**values))


def _texts(path) -> list[str]:
    """Every text cell of every sheet, as a reader of the file (calamine, as the import does) sees it."""
    wb = CalamineWorkbook.from_path(str(path))
    return [v for name in wb.sheet_names for row in wb.get_sheet_by_name(name).to_python() for v in row]


@pytest.fixture
def dirty_db(demo_db):
    with demo_db.session() as s:
        ids = {m: _first(s, m) for m in (StaffMember, Facility, Project, KeyTask, Division)}
        township = s.scalar(select(Division.id).where(Division.kind == "township").order_by(Division.id).limit(1))
    _store(demo_db, StaffMember, ids[StaffMember], name="张\x00三\x1b", status_reason="调出\x07")
    _store(demo_db, Facility, ids[Facility], name="示范\x01卫生院\u202e", address="县城_x0001_路\x0b1号")
    _store(demo_db, Project, ids[Project], name="业务用房\x02改扩建", risks="资金\x1f未到位\r\n需协调")
    _store(demo_db, KeyTask, ids[KeyTask], title="推进\x03医共体", content="第一步\x08")
    _store(demo_db, Division, township, name="桃源\x0c镇")
    _store(demo_db, CountyProfile, 1, bureau_name="清溪县卫生健康局\x1a", preparer="李\x00华")
    demo_db.close()
    return demo_db


def test_exports_and_filled_templates_succeed_on_stored_control_characters(dirty_db, tmp_path, capsys):
    db = dirty_db.target
    out = tmp_path / "all.xlsx"
    assert main(["export", "all", "--db", db, "--period", "2026Q3", "--out", str(out)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    texts = _texts(out)
    assert "张三" in texts and "示范卫生院" in texts and "填报单位：清溪县卫生健康局" in texts
    assert not [t for t in texts if isinstance(t, str) and any(ord(c) < 32 and c not in "\t\n" for c in t)]
    assert load_workbook(out).sheetnames  # openpyxl reads what it wrote
    if SOFFICE:
        assert convert(out, "csv", tmp_path).stat().st_size > 0  # and LibreOffice opens it

    staff = tmp_path / "staff.xlsx"
    assert main(["export", "staff", "--db", db, "--period", "2026Q3", "--out", str(staff)]) == 0
    assert "张三" in _texts(staff)

    for kind, expected in (("staff", "张三"), ("facilities", "县城路1号"), ("projects", "资金未到位\n需协调")):
        path = tmp_path / f"{kind}-filled.xlsx"
        assert main(["template", kind, "--db", db, "--out", str(path), "--with-records"]) == 0
        assert expected in _texts(path), kind
    path = tmp_path / "tasks-filled.xlsx"
    assert main(["template", "tasks", "--db", db, "--out", str(path), "--with-records"]) == 0
    assert "推进医共体" in _texts(path)


@pytest.mark.parametrize(
    ("kind", "model", "column", "header"),
    [
        ("staff", StaffMember, "name", "姓名*"),
        ("projects", Project, "name", "项目名称*"),
        ("tasks", KeyTask, "title", "任务名称*"),
    ],
)
def test_a_filled_template_writes_stored_formula_text_as_text(demo_db, tmp_path, kind, model, column, header):
    with demo_db.session() as s:
        record_id = _first(s, model)
    _store(demo_db, model, record_id, **{column: FORMULA})
    demo_db.close()
    path = tmp_path / f"{kind}.xlsx"
    assert main(["template", kind, "--db", demo_db.target, "--out", str(path), "--with-records"]) == 0
    ws = load_workbook(path)[DATA_SHEET]
    j = [c.value for c in ws[1]].index(header) + 1
    cells = [ws.cell(row=r, column=j) for r in range(FIRST_DATA_ROW, ws.max_row + 1)]
    hits = [c for c in cells if c.value == FORMULA]
    assert len(hits) == 1 and hits[0].data_type == "s"
    assert not [c for c in cells if c.data_type == "f"]


def test_the_pdf_report_shows_stored_names_without_their_control_characters(dirty_db, tmp_path):
    from tests.integration.office import pdf_text

    _store(dirty_db, CountyProfile, 1, bureau_name="清溪县\u202e卫生健康局\x00")
    dirty_db.close()
    path = tmp_path / "r.pdf"
    assert main(["report", "--db", dirty_db.target, "--period", "2026Q3", "--out", str(path)]) == 0
    text = pdf_text(path)
    assert "清溪县卫生健康局" in text
    assert not [c for c in text if ord(c) < 32 and c not in "\t\n\f\r" or c == "\u202e"]


def test_cell_text_removes_every_character_openpyxl_refuses_and_keeps_typed_escapes(tmp_path):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from desktop.excel.cells import cell_text, put

    refused = "".join(chr(i) for i in range(0x10000) if ILLEGAL_CHARACTERS_RE.match(chr(i)))
    assert refused and not ILLEGAL_CHARACTERS_RE.search(cell_text(f"甲{refused}乙"))
    wb = Workbook()
    put(wb.active, 1, 1, "编号_x0041_不变\t第二栏\n第二行")
    wb.save(tmp_path / "t.xlsx")
    assert _texts(tmp_path / "t.xlsx") == ["编号_x0041_不变\t第二栏\n第二行"]  # as typed, not "编号A不变"


def _with_escapes(path, replacements: dict[str, str]) -> None:
    """Put Excel's own escapes (_x0000_ …) into the sheet's XML, where openpyxl will not write a raw NUL or ESC."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    for name in members:
        if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
            for placeholder, escape in replacements.items():
                members[name] = members[name].replace(placeholder.encode(), escape.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def test_an_import_removes_invisible_characters_and_notes_each_cell(demo_db, tmp_path, capsys):
    from desktop.excel.importer import run_import
    from desktop.excel.templates import write_template
    from tests.factories import fill_staff_rows

    with demo_db.session() as s:
        path = write_template(s, "staff", tmp_path / "staff.xlsx")
        facility = s.scalar(select(Facility.name).where(Facility.kind == "county_hospital"))
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    fill_staff_rows(ws, 5, facility)
    names = {
        FIRST_DATA_ROW: "张_x005F_x0001_三",  # read back as the literal text 张_x0001_三
        FIRST_DATA_ROW + 1: "李NULHERE四",  # Excel's escape of a NUL, decoded by the reader
        FIRST_DATA_ROW + 2: "王ESCHERE五",
        FIRST_DATA_ROW + 3: "赵\u202egpj.exe\u202c六",
    }
    for row, name in names.items():
        ws.cell(row=row, column=1).value = name
    ws.cell(row=FIRST_DATA_ROW + 4, column=3).value = facility + "\u200b"  # a reference, found once cleaned
    wb.save(path)
    _with_escapes(path, {"NULHERE": "_x0000_", "ESCHERE": "_x001B_"})
    demo_db.close()

    report = run_import(demo_db, "staff", path, user="测试")
    assert report.problems == []
    where = {(n.row, n.column): n.message for n in report.notes}
    assert set(where) == {(r, "A") for r in names} | {(FIRST_DATA_ROW + 4, "C")}
    assert "控制字符 U+0001（导入为“张三”）" in where[(FIRST_DATA_ROW, "A")]
    assert "控制字符 U+0000" in where[(FIRST_DATA_ROW + 1, "A")]
    assert "控制字符 U+001B" in where[(FIRST_DATA_ROW + 2, "A")]
    assert "文字方向控制符 U+202E、文字方向控制符 U+202C（导入为“赵gpj.exe六”）" in where[(FIRST_DATA_ROW + 3, "A")]
    assert "零宽字符 U+200B" in where[(FIRST_DATA_ROW + 4, "C")]
    assert "已删除 5 个单元格中的不可见字符或控制字符" in report.summary()
    assert report.written == 5
    from desktop.excel.importer import write_problem_workbook

    marked = load_workbook(write_problem_workbook(report, tmp_path / "marked.xlsx"))
    assert marked[DATA_SHEET][f"A{FIRST_DATA_ROW + 3}"].comment.text.startswith("已删除不可见或不允许的字符")
    assert marked["问题清单"]["F2"].value.startswith("（已自动清理，不影响导入）")
    with demo_db.session() as s:
        stored = set(
            s.scalars(select(StaffMember.name).where(StaffMember.name.in_(["张三", "李四", "王五", "赵gpj.exe六"])))
        )
        assert {"李四", "王五", "赵gpj.exe六"} <= stored and "张三" in stored
    demo_db.close()

    # the command line lists the same cells
    assert main(["import", "staff", str(path), "--db", demo_db.target, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "清理清单（5 处" in out and f"工作表“数据” A{FIRST_DATA_ROW + 3}（姓名）：已删除" in out
