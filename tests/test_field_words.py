"""The words real ledgers use: header words for each field, everyday words for coded values, dates and numbers
as clerks write them, each read with a note saying how; names written shorter or longer proposed, never taken."""

from __future__ import annotations

import datetime as dt
import time
import unicodedata

import pytest

from db.models import Division, Facility
from desktop.records import FACILITY, PROJECT, RECORD_TYPES, STAFF, TASK
from desktop.records.fields import Field
from desktop.records.references import Lookups
from desktop.records.types import POPULATION, TASK_UPDATE, TRAINING
from desktop.records.words import word_key
from desktop.validators import InvalidValue
from tests.factories import World


def _header_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


# Header words


@pytest.mark.parametrize("record_type", RECORD_TYPES.values(), ids=lambda t: t.key)
def test_no_header_word_names_two_fields_of_a_record_type(record_type):
    owner: dict[str, str] = {}
    for f in record_type.editable:
        for word in (f.label, f.header, *f.aliases):
            other = owner.setdefault(_header_key(word), f.name)
            assert other == f.name, f"{record_type.key}: “{word}” names both {other} and {f.name}"


@pytest.mark.parametrize("record_type", RECORD_TYPES.values(), ids=lambda t: t.key)
def test_every_editable_field_but_a_choice_between_two_has_header_words(record_type):
    bare = [f.name for f in record_type.editable if not f.aliases]
    # 借用的本县机构 is the second half of 借用单位: no ledger heads a column with it
    assert bare == (["to_facility_id"] if record_type.key == "loan" else [])


@pytest.mark.parametrize(
    ("record_type", "name", "words"),
    [
        (STAFF, "id_number", ("身份证号码", "公民身份号码", "身份证件号码", "证件号码", "身份证号")),
        (STAFF, "hire_date", ("参加工作时间", "参加工作日期", "参加工作年月", "开始工作时间")),
        (STAFF, "title", ("职称", "专业技术职称", "专业技术资格", "专业技术职务", "职称(职务)")),
        (FACILITY, "open_beds", ("实有床位", "实际开放床位", "开放床位数")),
        (STAFF, "facility_id", ("工作单位", "单位名称", "所在单位", "单位")),
        (PROJECT, "funding_central", ("中央资金", "中央预算内投资")),
        (FACILITY, "equipment_colour_ultrasound", ("彩超",)),
    ],
)
def test_the_header_words_the_issue_names(record_type, name, words):
    f = record_type.field(name)
    found = {_header_key(w) for w in (f.label, *f.aliases)}
    assert {_header_key(w) for w in words} <= found


def test_a_bare_unit_is_no_header_word_where_a_record_has_two_units():
    assert all("单位" not in f.aliases for f in PROJECT.editable)
    assert all("单位" not in f.aliases for f in TASK.editable)


# Value words


@pytest.mark.parametrize(
    ("raw", "code", "how"),
    [
        ("主任医师", "senior", "主任医师 → 正高级"),
        ("主任护师", "senior", "主任护师 → 正高级"),
        ("主任药师", "senior", "主任药师 → 正高级"),
        ("主任技师", "senior", "主任技师 → 正高级"),
        ("副主任医师", "associate_senior", "副主任医师 → 副高级"),
        ("副主任护师", "associate_senior", "副主任护师 → 副高级"),
        ("主治医师", "intermediate", "主治医师 → 中级"),
        ("主管护师", "intermediate", "主管护师 → 中级"),
        ("主管药师", "intermediate", "主管药师 → 中级"),
        ("主管技师", "intermediate", "主管技师 → 中级"),
        ("医师", "junior", "医师 → 初级（师）"),
        ("护师", "junior", "护师 → 初级（师）"),
        ("药师", "junior", "药师 → 初级（师）"),
        ("技师", "junior", "技师 → 初级（师）"),
        ("医士", "junior_assistant", "医士 → 初级（士）"),
        ("护士", "junior_assistant", "护士 → 初级（士）"),
        ("药士", "junior_assistant", "药士 → 初级（士）"),
        ("技士", "junior_assistant", "技士 → 初级（士）"),
        ("无", "none", "无 → 无职称"),
        ("未评", "none", "未评 → 无职称"),
        ("正高", "senior", "正高 → 正高级"),
        ("副高", "associate_senior", "副高 → 副高级"),
        ("中级职称", "intermediate", "中级职称 → 中级"),
        ("无职称", "none", None),
        ("初级(师)", "junior", None),
        ("初级 （士）", "junior_assistant", None),
        ("intermediate", "intermediate", None),
        ("中级", "intermediate", None),
    ],
)
def test_titles_by_post(raw, code, how):
    assert STAFF.field("title").read(raw) == (code, how)


@pytest.mark.parametrize(
    ("name", "raw", "code"),
    [
        ("employment_form", "合同制", "contract"),
        ("employment_form", "聘用", "contract"),
        ("employment_form", "劳务派遣", "contract"),
        ("employment_form", "合同工", "contract"),
        ("employment_form", "临聘", "contract"),
        ("employment_form", "正式", "establishment"),
        ("employment_form", "事业编制", "establishment"),
        ("employment_form", "编制内", "establishment"),
        ("status", "在职", "on_post"),
        ("status", "离职", "left"),
        ("status", "辞职", "left"),
        ("status", "调离", "transferred"),
        ("status", "退休", "retired"),
        ("status", "离退休", "retired"),
        ("practice_category", "西医", "clinical"),
        ("practice_category", "临床医学", "clinical"),
        ("practice_category", "中西医结合", "tcm"),
        ("practice_category", "民族医", "tcm"),
        ("sex", "男", "M"),
        ("sex", "女", "F"),
        ("sex", "男性", "M"),
        ("sex", "女性", "F"),
        ("sex", "1", "M"),
        ("sex", "2", "F"),
        ("education", "研究生", "master"),
        ("education", "硕士", "master"),
        ("education", "博士", "doctorate"),
        ("education", "本科", "bachelor"),
        ("education", "大学本科", "bachelor"),
        ("education", "大学", "bachelor"),
        ("education", "大专", "college"),
        ("education", "专科", "college"),
        ("education", "大学专科", "college"),
        ("education", "中专", "secondary"),
        ("education", "中等专业", "secondary"),
        ("education", "高中", "high_school"),
        ("education", "初中", "high_school"),
        ("education", "小学", "high_school"),
        ("category", "护士", "nurse"),
        ("category", "村医", "village_doctor"),
        ("category", "助理医师", "assistant_physician"),
    ],
)
def test_staff_words(name, raw, code):
    f = STAFF.field(name)
    value, how = f.read(raw)
    assert value == code
    assert how == (None if raw == f.codes[code] else f"{raw} → {f.codes[code]}")


@pytest.mark.parametrize(
    ("record_type", "name", "raw", "code"),
    [
        (FACILITY, "kind", "镇卫生院", "thc"),
        (FACILITY, "kind", "乡镇卫生院", "thc"),
        (FACILITY, "kind", "卫生室", "village_clinic"),
        (FACILITY, "kind", "村卫生室", "village_clinic"),
        (FACILITY, "kind", "疾控中心", "cdc"),
        (FACILITY, "status", "正常", "operating"),
        (FACILITY, "building_ownership", "租用民房", "rented_private"),
        (PROJECT, "stage", "施工中", "construction"),
        (PROJECT, "stage", "已竣工", "completed"),
        (PROJECT, "kind", "改造", "extension"),
        (TASK, "status", "已完成", "done"),
        (TASK, "status", "已销号", "struck_off"),
        (TASK, "status", "推进中", "in_progress"),
        (TASK, "status", "未启动", "not_started"),
        (TASK, "status", "进行中", "in_progress"),
        (TASK_UPDATE, "status", "销号", "struck_off"),
        (TRAINING, "kind", "进修", "full_time_study"),
    ],
)
def test_other_coded_words(record_type, name, raw, code):
    assert record_type.field(name).parse(raw) == code


@pytest.mark.parametrize(
    ("name", "raw", "reason"),
    [
        ("title", "初级", "“初级”可指“初级（士）”或“初级（师）”，请写明是哪一个"),
        ("title", "高级", "可指“副高级”或“正高级”"),
        ("category", "医师", "可指“执业医师”或“执业助理医师”"),
        ("title", "主任", "不在可选范围内"),
        ("employment_form", "聘用制", "可指“在编”或“编外”"),
    ],
)
def test_a_word_that_may_mean_two_values_is_refused_with_the_choices(name, raw, reason):
    with pytest.raises(InvalidValue, match=reason):
        STAFF.field(name).read(raw)


def test_a_centre_written_short_as_a_health_centre_is_asked_which():
    with pytest.raises(InvalidValue, match="“卫生院”可指“中心卫生院”或“乡镇卫生院”"):
        FACILITY.field("kind").read("卫生院")


@pytest.mark.parametrize("record_type", RECORD_TYPES.values(), ids=lambda t: t.key)
def test_every_word_reads_as_a_code_of_its_field_and_none_is_another_codes_label(record_type):
    for f in record_type.all_fields:
        if not f.words:
            continue
        assert f.kind == "code", f.name
        labels = {word_key(label): code for code, label in f.codes.items()}
        for word, meant in f.words.items():
            assert set(meant.split("|")) <= set(f.codes), (f.name, word)
            assert word_key(word) not in labels, (f.name, word)  # a label reads as its code, never as a word's


@pytest.mark.parametrize("raw", ["是", "有", "√", "Y", "y", "ｙ", "yes", "１", "✓"])
def test_yes_words(raw):
    assert STAFF.field("gp_registered").parse(raw) is True


@pytest.mark.parametrize("raw", ["否", "无", "×", "N", "n", "no", "0"])
def test_no_words(raw):
    assert STAFF.field("gp_registered").parse(raw) is False


def test_a_yes_symbol_is_read_with_a_note_and_yes_itself_without():
    f = STAFF.field("gp_registered")
    assert f.read("√") == (True, "√ → 是")
    assert f.read("是") == (True, None)


# Dates


@pytest.mark.parametrize(
    "raw",
    ["2021-03-05", "2021/3/5", "2021.3.5", "2021.03.05", "20210305", "2021年3月5日", "２０２１．３．５", 20210305],
)
def test_whole_dates_read_as_themselves(raw):
    assert STAFF.field("hire_date").read(raw) == (dt.date(2021, 3, 5), None)


@pytest.mark.parametrize("raw", ["2021.3", "2021-03", "2021/3", "2021年3月", 2021.3])
def test_a_month_alone_is_its_first_day_and_says_so(raw):
    assert STAFF.field("hire_date").read(raw) == (
        dt.date(2021, 3, 1),
        f"{raw} → 2021-03-01（只有年月，按当月1日）",
    )


@pytest.mark.parametrize("raw", ["2026.2", "2026-02", "2026/2", "2026年2月", 2026.2])
def test_a_deadlines_month_alone_is_its_last_day_as_an_office_means_it(raw):
    """完成时限 2026.2 is "by the end of February": read as the 1st, a task due then was overdue a month early."""
    assert TASK.field("deadline").read(raw) == (dt.date(2026, 2, 28), f"{raw} → 2026-02-28（只有年月，按当月最后一天）")
    assert PROJECT.field("planned_completion").read(raw)[0] == dt.date(2026, 2, 28)
    assert PROJECT.field("planned_start").read(raw)[0] == dt.date(2026, 2, 1)  # a start is the month's first day


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("2026年12月底", dt.date(2026, 12, 31)),
        ("2026年6月末", dt.date(2026, 6, 30)),
        ("2026年底", dt.date(2026, 12, 31)),
        ("2026.2底", dt.date(2026, 2, 28)),
        ("2024年2月底", dt.date(2024, 2, 29)),
    ],
)
def test_the_end_of_a_month_or_a_year_as_written_is_its_last_day(raw, day):
    for f in (TASK.field("deadline"), STAFF.field("hire_date")):
        assert f.read(raw) == (day, f"{raw} → {day.isoformat()}")


def test_excel_dates_read_as_now():
    f = STAFF.field("hire_date")
    assert f.read(44260.0) == (dt.date(2021, 3, 5), None)
    assert f.read(dt.datetime(2021, 3, 5, 9, 30)) == (dt.date(2021, 3, 5), None)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (2021.1, "可能是2021年1月，也可能是2021年10月"),
        (2021, "只有年份"),
        ("2021", "只有年份"),
        ("2021-3/5", "不是有效日期"),
        ("2021.2.30", "不是有效日期"),
        ("2021.13", "不是有效日期"),
    ],
)
def test_dates_that_cannot_be_read_for_sure_are_refused(raw, reason):
    with pytest.raises(InvalidValue, match=reason):
        STAFF.field("hire_date").read(raw)


# Numbers


@pytest.mark.parametrize(("raw", "value"), [("12张", 12), ("1,234", 1234), ("１２", 12), ("1，234张", 1234)])
def test_numbers_with_units_and_separators(raw, value):
    assert FACILITY.field("open_beds").read(raw) == (value, None)


def test_money_is_converted_to_the_fields_unit_and_says_so():
    yuan = Field("amount", "金额", "float", unit="元")
    assert yuan.read("3.5万元") == (35000, "3.5万元 → 35000元")
    assert PROJECT.field("investment_completed").read("35000元") == (3.5, "35000元 → 3.5万元")
    assert PROJECT.field("investment_completed").read("120万元") == (120, None)
    assert PROJECT.field("investment_completed").read("５０") == (50, None)  # a bare number is in the field's unit
    assert PROJECT.field("funding_central").read("￥35,000元") == (3.5, "¥35,000元 → 3.5万元")


@pytest.mark.parametrize(
    ("record_type", "name", "raw", "value"),
    [
        (FACILITY, "building_area", "1200平方米", 1200),
        (FACILITY, "building_area", "1200㎡", 1200),
        (FACILITY, "building_area", "1200m²", 1200),
        (PROJECT, "progress", "85%", 85),
        (PROJECT, "progress", "85％", 85),
        (POPULATION, "resident", "3200人", 3200),
        (TRAINING, "days", "14天", 14),
        (FACILITY, "equipment_ambulance", "2辆", 2),
    ],
)
def test_each_unit_a_ledger_writes(record_type, name, raw, value):
    assert record_type.field(name).parse(raw) == value


def test_a_year_written_with_its_character():
    assert POPULATION.field("year").read("2024年") == POPULATION.field("year").read("2024年度") == (2024, None)


def test_ten_thousands_of_people():
    assert POPULATION.field("resident").read("1.2万人") == (12000, "1.2万人 → 12000人")


@pytest.mark.parametrize(
    ("record_type", "name", "raw", "reason"),
    [
        (FACILITY, "open_beds", "12人", "“实有床位”以“张”计，“12人”写的是“人”，单位不符"),
        (FACILITY, "building_area", "12张", "以“平方米”计"),
        (PROJECT, "investment_completed", "12平方米", "以“万元”计"),
        (POPULATION, "year", "2024人", "只填数字"),
        (FACILITY, "open_beds", "12床位", "单位看不懂"),
    ],
)
def test_a_unit_that_contradicts_the_field_is_refused(record_type, name, raw, reason):
    with pytest.raises(InvalidValue, match=reason):
        record_type.field(name).read(raw)


def test_parse_is_the_value_read_gives():
    f = STAFF.field("title")
    assert f.parse("主治医师") == f.read("主治医师")[0] == "intermediate"
    assert STAFF.field("hire_date").read("") == (None, None)


# Names written shorter or longer


@pytest.fixture
def county(db):
    with db.session() as s:
        w = World(s)
        chengguan = w.add_township("城关镇")
        w.add_facility("桃源镇卫生院", "thc")
        w.add_facility("桃源镇中心卫生院旧址", "thc", status="closed", status_reason="并入桃源镇卫生院")
        w.add_facility("城关社区卫生服务中心", "chsc", division=chengguan)
        w.add_facility("城关镇卫生院", "thc", division=chengguan)
        w.add_facility("石坪村卫生室", "village_clinic")
        w.add_village("石坪村")
        w.add_village("新村村")
        yield s


@pytest.mark.parametrize(
    ("ref", "typed", "meant"),
    [
        ("facility", "桃源卫生院", "桃源镇卫生院"),
        ("facility", "桃源镇中心卫生院", "桃源镇卫生院"),
        ("facility", "城关社区", "城关社区卫生服务中心"),
        ("facility", "城关中心", "城关社区卫生服务中心"),
        ("division", "石坪", "桃源镇/石坪村"),
        ("division", "新村", "桃源镇/新村村"),
    ],
)
def test_a_name_written_shorter_or_longer_is_proposed_first(county, ref, typed, meant):
    lookups = Lookups(county)
    assert lookups(ref, typed) is None  # never taken
    assert lookups.proposals(ref, typed)[0] == meant
    with pytest.raises(InvalidValue, match=f"(是否指|是指)“{meant}”"):
        STAFF.field("facility_id").parse(typed, lookup=lookups) if ref == "facility" else POPULATION.field(
            "division_id"
        ).parse(typed, lookup=lookups)


def test_proposals_are_ranked_and_leave_out_closed_facilities(county):
    lookups = Lookups(county)
    assert lookups.proposals("facility", "城关社区") == ["城关社区卫生服务中心", "城关镇卫生院"]
    assert "桃源镇中心卫生院旧址" not in lookups.proposals("facility", "桃源中心卫生院")


@pytest.mark.parametrize(
    ("ref", "typed"),
    [
        ("facility", "桃源镇卫生院"),  # found: nothing to propose
        ("facility", "清溪县人民医院"),  # no such place
        ("facility", "卫生院"),  # no place at all
        ("division", "石"),
        ("staff", "石坪"),
    ],
)
def test_no_proposals(county, ref, typed):
    assert Lookups(county).proposals(ref, typed) == []


def test_a_name_found_nowhere_near_keeps_the_plain_message(county):
    with pytest.raises(InvalidValue, match="找不到“工作单位”为“清溪县人民医院”的记录"):
        STAFF.field("facility_id").parse("清溪县人民医院", lookup=Lookups(county))


def test_a_service_area_proposes_the_village_meant(county):
    with pytest.raises(InvalidValue, match="“石坪”是否指“桃源镇/石坪村”"):
        FACILITY.field("service_area").parse("石坪、新村村", lookup=Lookups(county))


def test_proposals_for_a_city_are_fast(db):
    """A city: 2,000 facilities and 4,000 divisions; a roster naming thousands of places not found."""
    with db.session() as s:
        w = World(s)
        for t in range(40):
            township = Division(
                code=f"539921{t + 200:03d}000", name=f"镇{t:02d}甲", kind="township", parent_id=w.county.id
            )
            s.add(township)
            s.flush()
            s.add_all(
                Division(
                    code=f"539921{t + 200:03d}{v + 200:03d}",
                    name=f"村{t:02d}{v:03d}乙",
                    kind="village",
                    parent_id=township.id,
                )
                for v in range(100)
            )
        s.add_all(
            Facility(name=f"第{i:04d}号村卫生室", kind="village_clinic", division_id=w.township.id) for i in range(2000)
        )
        s.flush()
        lookups = Lookups(s)
        lookups.proposals("facility", "预热")
        lookups.proposals("division", "预热")
        start = time.perf_counter()
        for i in range(2000):
            assert lookups.proposals("facility", f"第{i:04d}号卫生室")[0] == f"第{i:04d}号村卫生室"
            assert lookups.proposals("division", f"村{i % 40:02d}{i % 100:03d}")
        assert time.perf_counter() - start < 2.0


def test_an_id_number_kept_as_text_with_excel_s_apostrophe_is_read_without_it():
    assert STAFF.field("id_number").parse("'110101199003074514") == "110101199003074514"
