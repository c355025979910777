"""Each submission sheet exported from the demo county and opened by LibreOffice, as the city will open it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import Facility, Submission
from desktop.amounts import in_capitals
from desktop.excel.export import export_workbook, sha256_of
from desktop.excel.sheets import SHEETS
from desktop.periods import Period
from desktop.records.editing import update_record
from desktop.records.types import FACILITY
from tests.integration.office import CSV_UTF8, convert, pdf_text, read_csv

TODAY = dt.date(2026, 11, 23)
FULL_ID = re.compile(r"\b\d{17}[\dX]\b")


def number(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.mark.parametrize("key", list(SHEETS))
def test_each_sheet_opens_in_libreoffice_with_totals_that_add_up(demo_db, tmp_path, key):
    path = tmp_path / f"{key}.xlsx"
    result = export_workbook(demo_db, [key], Period(2026, 3), path, user="测试", today=TODAY)
    rows = read_csv(convert(path, CSV_UTF8, tmp_path))
    assert rows[0][0].startswith("清溪县")
    assert rows[1][0].startswith("填报单位：清溪县卫生健康局")
    assert any("单位负责人：" in cell for row in rows[-3:] for cell in row)
    pdf = convert(path, "pdf", tmp_path)
    assert re.search(r"第\s*1\s*页\s*共\s*\d+\s*页", pdf_text(pdf))

    # Numbers are numbers; the 合计 row equals the sum of its column.
    wb = load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    cells = [list(r) for r in ws.iter_rows(values_only=True)]
    header_end = 4 if key in ("facilities", "beds", "projects") else 3
    data = [r for r in cells[header_end:] if r and isinstance(r[0], int)]
    assert len(data) == result.rows[key]
    totals = [r for r in cells if r and r[0] == "合计"]
    if totals:
        (total,) = totals
        summed = 0
        for j, value in enumerate(total[1:], 1):
            if value is None:
                continue
            column = [r[j] for r in data if isinstance(r[j], int | float)]
            # a column of names is counted (a roster's people), a column of numbers summed
            assert value == pytest.approx(sum(column) if column else len(data), abs=0.05), (key, j)
            summed += 1
        assert summed >= 1
        # LibreOffice reads the same total
        csv_total = next(r for r in rows if r and r[0] == "合计")
        first = next(j for j, v in enumerate(total) if isinstance(v, int | float))
        assert number(csv_total[first]) == pytest.approx(total[first], abs=0.05)


def test_the_subsidy_roster_is_signed_for_and_states_its_total_in_capitals(demo_db, tmp_path):
    path = tmp_path / "subsidies.xlsx"
    export_workbook(demo_db, ["subsidies"], Period(2026, 3), path, user="测试", today=TODAY)
    rows = read_csv(convert(path, CSV_UTF8, tmp_path))
    header = next(r for r in rows if "姓名" in r)
    assert header[-1] == "领取人签字"
    paid = header.index(next(h for h in header if h.startswith("本期金额")))
    total = next(r for r in rows if r and r[0] == "合计")
    (said,) = [cell for row in rows for cell in row if cell.startswith("本期合计金额（大写）")]
    assert said == f"本期合计金额（大写）：人民币{in_capitals(number(total[paid]))}。"
    assert number(total[paid]) > 0 and said.endswith("元整。")
    footer = [cell for cell in rows[-1] if cell]
    assert "审核人：" in footer and footer[0].startswith("单位负责人：") and footer[-1].startswith("报出日期：")


def test_the_staff_roster_masks_id_numbers_unless_asked(demo_db, tmp_path):
    masked = tmp_path / "staff.xlsx"
    export_workbook(demo_db, ["staff"], Period(2026, 3), masked, user="测试", today=TODAY)
    text = "\n".join(",".join(r) for r in read_csv(convert(masked, CSV_UTF8, tmp_path)))
    assert not FULL_ID.search(text)
    assert re.search(r"\b\d{6}\*{8}[\dX]{4}\b", text)
    full = tmp_path / "full" / "staff.xlsx"
    export_workbook(demo_db, ["staff"], Period(2026, 3), full, user="测试", unmask_ids=True, today=TODAY)
    ws = load_workbook(full, read_only=True).worksheets[0]
    ids = [r[3] for r in ws.iter_rows(min_row=4, values_only=True) if r and isinstance(r[0], int)]
    assert ids and all(isinstance(i, str) and FULL_ID.fullmatch(i) for i in ids)  # text, all 18 characters


def test_the_staff_roster_lists_those_on_post_and_on_request_everyone_with_their_state(demo_db, tmp_path):
    from desktop.figures import headline_figures

    with demo_db.session() as s:
        on_post = headline_figures(s, Period(2026, 3), today=TODAY).staff_on_post
    path = tmp_path / "staff.xlsx"
    result = export_workbook(demo_db, ["staff"], Period(2026, 3), path, user="测试", today=TODAY)
    assert result.rows["staff"] == on_post
    rows = read_csv(convert(path, CSV_UTF8, tmp_path))
    assert "在岗状态" not in rows[2]
    everyone = tmp_path / "all" / "staff.xlsx"
    result = export_workbook(demo_db, ["staff"], Period(2026, 3), everyone, user="测试", all_staff=True, today=TODAY)
    rows = read_csv(convert(everyone, CSV_UTF8, tmp_path / "all"))
    head = rows[2]
    state, left = head.index("在岗状态"), head.index("离岗日期")
    data = [r for r in rows[3:] if r and r[0].replace(",", "").isdigit()]
    assert len(data) == result.rows["staff"] > on_post
    assert sum(r[state] == "在岗" for r in data) == on_post
    gone = [r for r in data if r[state] != "在岗"]
    assert {r[state] for r in gone} <= {"离职", "退休", "调出"} and all(r[left] for r in gone)
    note = f"在岗人员{on_post:,}人及此前离职、退休、调出的{len(gone):,}人"
    assert any(note in cell for row in rows for cell in row)


def test_user_text_starting_with_equals_stays_text(demo_db, tmp_path):
    with demo_db.session() as s:
        facility = s.scalars(select(Facility).where(Facility.kind == "village_clinic")).first()
        update_record(
            s, FACILITY, facility.id, {"name": '=HYPERLINK("http://x","点我")', "address": "+86 村口"}, user="测试"
        )
        s.commit()
    path = tmp_path / "facilities.xlsx"
    export_workbook(demo_db, ["facilities"], Period(2026, 3), path, user="测试", today=TODAY)
    ws = load_workbook(path).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("http://x","点我")']
    assert cells and all(c.data_type == "s" for c in cells)
    rows = read_csv(convert(path, CSV_UTF8, tmp_path))
    assert any('=HYPERLINK("http://x","点我")' in cell for row in rows for cell in row)


def test_every_export_is_recorded_with_its_sha256(demo_db, tmp_path):
    path = tmp_path / "all.xlsx"
    result = export_workbook(demo_db, list(SHEETS), Period(2026, 3), path, user="张三", today=TODAY)
    with demo_db.session() as s:
        (record,) = s.scalars(select(Submission)).all()
    assert (record.user, record.period, record.sheets.split(",")) == ("张三", "2026Q3", list(SHEETS))
    assert record.sha256 == sha256_of(path) == result.sha256
    assert [ws.title for ws in load_workbook(path, read_only=True).worksheets] == [v[0] for v in SHEETS.values()]


@pytest.mark.parametrize("key", list(SHEETS))
def test_every_text_cell_fits_its_column_or_wraps_in_a_row_tall_enough(demo_db, tmp_path, key):
    from desktop.excel.layout import LINE_POINTS, display_width

    path = tmp_path / f"{key}.xlsx"
    export_workbook(demo_db, [key], Period(2026, 3), path, user="测试", today=TODAY)
    ws = load_workbook(path).worksheets[0]
    widths = {letter: d.width for letter, d in ws.column_dimensions.items()}
    merged = {cell for r in ws.merged_cells.ranges for row in r.cells for cell in [row]}
    body = [row for row in ws.iter_rows(min_row=4) if isinstance(row[0].value, int)]
    assert body
    for row in body:
        for cell in row[1:]:
            if not isinstance(cell.value, str) or (cell.row, cell.column) in merged:
                continue
            width = widths[cell.column_letter]
            needed = display_width(cell.value)
            if cell.alignment.wrap_text:
                lines = -(-needed // max(1, int(width) - 1))
                height = ws.row_dimensions[cell.row].height or LINE_POINTS
                assert height >= LINE_POINTS * lines, (key, cell.coordinate, cell.value)
            else:
                assert needed <= width, (key, cell.coordinate, cell.value, width)


def test_the_task_ledger_shows_the_latest_progress_as_the_period_ended(demo_db, tmp_path):
    from db.models import KeyTask
    from desktop.records.editing import add_task_update

    with demo_db.session() as s:
        task = s.scalars(select(KeyTask).where(KeyTask.status == "in_progress").order_by(KeyTask.id)).first()
        for day, note in ((dt.date(2026, 9, 30), "九月：方案已印发"), (dt.date(2026, 10, 15), "十月：已验收")):
            add_task_update(s, task.id, on=day, status="in_progress", note=note, evidence=None, user="测试")
        s.commit()
        title = task.title

    def row_of(period, name):
        path = tmp_path / name
        export_workbook(demo_db, ["tasks"], period, path, user="测试", today=dt.date(2026, 12, 1))
        rows = read_csv(convert(path, CSV_UTF8, tmp_path))
        header = next(r for r in rows if "进展情况" in r)
        (row,) = [r for r in rows if title in r]
        return row[header.index("进展情况")], row[header.index("报送日期")]

    assert row_of(Period(2026, 3), "q3.xlsx") == ("九月：方案已印发", "2026-09-30")
    assert row_of(Period(2026, 4), "q4.xlsx") == ("十月：已验收", "2026-10-15")


def test_the_bed_check_states_its_rule_once(demo_db, tmp_path):
    path = tmp_path / "beds.xlsx"
    export_workbook(demo_db, ["beds"], Period(2026, 3), path, user="测试", today=TODAY)
    text = "".join(cell for row in read_csv(convert(path, CSV_UTF8, tmp_path)) for cell in row)
    _, note = text.split("核查依据：")
    assert note.startswith("《") and note.count("每千乡村人口") == 1


def test_a_sheet_carries_the_statistical_form_block_it_was_given(demo_db, tmp_path):
    from desktop.profile import form_blocks, save_form_block

    with demo_db.session() as s:
        given = {"form_number": "卫健统1表", "issued_by": "清溪县卫生健康局", "valid_until": "2027年12月"}
        assert save_form_block(s, "facilities", given, user="测试") == {}
        assert save_form_block(s, "beds", {"form_number": "x" * 41}, user="测试") == {
            "form_number": "“表号”最多 40 个字，现为 41 个字"
        }
        s.commit()
        assert form_blocks(s) == {"facilities": given}
    path = tmp_path / "both.xlsx"
    result = export_workbook(demo_db, ["facilities", "beds"], Period(2026, 3), path, user="测试", today=TODAY)
    wb = load_workbook(path)
    first, second = ([[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets)
    assert [next(v for v in row if v) for row in first[1:4]] == [
        "表　　号：卫健统1表",
        "制定机关：清溪县卫生健康局",
        "有效期至：2027年12月",
    ]
    assert str(first[4][0]).startswith("填报单位：") and first[5][0] == "序号"  # the header three rows lower
    assert wb.worksheets[0].freeze_panes == "B8" and wb.worksheets[0].print_title_rows == "$6:$7"
    data = [r for r in first[7:] if r and isinstance(r[0], int)]
    assert len(data) == result.rows["facilities"]
    assert str(second[1][0]).startswith("填报单位：")  # a sheet without a block is as it was
    rows = read_csv(convert(path, CSV_UTF8, tmp_path))
    assert any("表　　号：卫健统1表" in cell for cell in rows[1])
