"""Finding the table in a bureau's own sheet, and placing its columns: what the import reads before any cell."""

from __future__ import annotations

import pytest

from desktop.excel.errors import ExcelError
from desktop.excel.mapping import CERTAIN, IGNORE, ColumnMapping, HeaderMatcher, header_key, signature
from desktop.excel.tables import find_table
from desktop.records.types import STAFF

MATCHER = HeaderMatcher(STAFF.editable, worked_out=[f for f in STAFF.fields if f.derived])


def test_headers_are_compared_without_spaces_full_width_forms_marks_or_line_breaks():
    assert header_key(" 姓　名* ") == header_key("姓名")
    assert header_key("参加工作\n日期") == header_key("参加工作日期")
    assert header_key("实有床位（张）") == header_key("实有床位(张)")
    assert MATCHER.match("专业技术职称（职务）").field.name == "title"  # a bracket's content set aside
    assert MATCHER.match("专业技术职称（职务）").confidence >= CERTAIN
    assert MATCHER.match("序号").ignored and MATCHER.match("性别").ignored  # a row number; from the ID number
    assert MATCHER.match("民族").field is None and not MATCHER.match("民族").ignored


def test_a_header_that_only_contains_a_field_s_word_is_a_proposal_never_certain():
    m = MATCHER.match("现专业技术职称及取得时间")
    assert m.field is not None and m.field.name == "title" and m.confidence < CERTAIN


ROSTER = [
    ["桃江县沟街镇卫生院职工花名册", "", "", "", "", ""],
    ["填报单位：沟街镇卫生院", "", "", "", "填报日期：2026年11月", ""],
    ["序号", "基本情况", "", "", "工作情况", ""],
    ["", "姓名", "身份证号码", "性别", "人员类别", "在岗状态"],
    ["甲", "乙", "1", "2", "3", "4"],
    [1.0, "王小明", "430922199001010012", "男", "执业医师", "在岗"],
    ["", "", "", "", "", ""],
    [2.0, "李红", "43092219850505002X", "女", "注册护士", "在岗"],
    ["小计", "", "", "", "", ""],
    ["序号", "姓名", "身份证号码", "性别", "人员类别", "在岗状态"],  # the header again on a printed page
    [3.0, "赵四", "430922197001010016", "男", "乡村医生", "在岗"],
    ["合计", "3人", "", "", "", ""],
    ["填表说明：1. 身份证号码填18位。", "", "", "", "", ""],
    ["", "王五", "430922197001010016", "男", "乡村医生", "在岗"],  # below the notes: not a record
]


def test_a_two_level_header_under_title_lines_is_found_and_only_the_records_are_kept():
    table = find_table("沟街", ROSTER, MATCHER)
    assert table.header_rows == (2, 3) and table.header_row == 4
    assert table.headers == ["序号", "基本情况/姓名", "基本情况/身份证号码", "基本情况/性别", "工作情况/人员类别",
                             "工作情况/在岗状态"]  # fmt: skip
    placed = {c.letter: c.match.field.name for c in table.columns if c.match.field}
    assert placed == {"B": "name", "C": "id_number", "E": "category", "F": "status"}
    assert [row for row, _ in table.data] == [6, 8, 11]  # 栏次, blank, 小计, repeated header, 合计, notes left out
    assert table.left_out == [(9, "合计、小计或“其中”行"), (10, "重复的表头"), (12, "合计、小计或“其中”行"),
                              (13, "从此行起为表下说明，共 2 行未读取")]  # fmt: skip
    assert table.unit == "沟街镇卫生院"
    assert table.columns[1].samples == ["王小明", "李红", "赵四"]


def test_a_mapping_places_columns_its_headers_name_and_leaves_out_those_it_says():
    rows = [["单位", "称呼", "证件", "类别"], ["沟街镇卫生院", "王小明", "430922199001010012", "执业医师"]]
    assert find_table("表1", rows, MATCHER) is None  # nothing here reads as a staff header
    mapping = ColumnMapping("staff", {"称呼": "姓名", "证件": "身份证号码", "单位": "不导入", "类别": "人员类别"})
    mapping.resolve(STAFF)
    assert mapping.columns == {"称呼": "name", "证件": "id_number", "单位": IGNORE, "类别": "category"}
    table = find_table("表1", rows, MATCHER, mapping)
    assert [(c.header, c.match.field.name if c.match.field else None) for c in table.columns] == [
        ("单位", None), ("称呼", "name"), ("证件", "id_number"), ("类别", "category")
    ]  # fmt: skip
    assert table.columns[0].match.ignored


def test_a_mapping_file_is_read_back_as_written_and_a_wrong_one_is_refused_in_chinese():
    mapping = ColumnMapping("staff", {"称呼": "name", "备注": IGNORE}, {"status": "在岗"})
    mapping.confirm("facility_id", " 马田卫生院", "马田镇卫生院")
    text = mapping.to_json(STAFF)
    assert '"称呼": "姓名"' in text and '"备注": "不导入"' in text and '"在岗状态": "在岗"' in text
    assert '"工作单位": {\n      "马田卫生院": "马田镇卫生院"' in text
    assert "name" not in text and "staff" not in text  # the clerk reads labels, not the program's names
    again = ColumnMapping.from_json(text)
    again.resolve(STAFF)
    assert (again.kind, again.columns, again.constants) == ("staff", mapping.columns, mapping.constants)
    assert again.values == {"facility_id": {"马田卫生院": "马田镇卫生院"}} and again.meant("facility_id", "马田卫生院 ")
    with pytest.raises(ExcelError, match="不是人员的字段"):
        ColumnMapping("staff", {"称呼": "床位"}).resolve(STAFF)
    with pytest.raises(ExcelError, match="列对应文件格式不对"):
        ColumnMapping.from_json("[1, 2]")


def test_a_record_whose_text_begins_with_a_total_s_word_is_a_record_and_a_unit_line_with_a_seal_names_it():
    rows = [
        ["填报单位：沟街镇卫生院（盖章）"],
        ["姓名", "身份证号码", "人员类别"],
        ["累计", "", ""],
        ["其中：", "", ""],
        ["总计划", "43092219850505002X", "执业医师"],  # a record whose name begins with 总计
        ["合计（2人）", "", ""],
    ]
    table = find_table("表", rows, MATCHER)
    assert table.unit == "沟街镇卫生院" and table.header_rows == (1,)  # the 填报单位 line is no header group
    assert [row for row, _ in table.data] == [5]
    assert [row for row, _ in table.left_out] == [3, 4, 6]


def test_the_signature_of_a_header_ignores_how_its_words_are_spaced():
    assert signature("staff", ["姓 名", "身份证号码"]) == signature("staff", ["姓名", "身份证号码 "])
    assert signature("staff", ["姓名", "身份证号码"]) != signature("staff", ["身份证号码", "姓名"])
