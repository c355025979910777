"""A bureau's own ledgers, as they are kept, imported: their own headers and order, title lines, two-level headers,
序号 and 合计 rows, everyday words, every date form, full-width digits; and each doubt asked, not guessed.

Each ledger is generated the way a township keeps it (by hand in Excel or WPS), imported into the demo county, and
the records read back from the database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from db.models import Division, DivisionPopulation, Facility, KeyTask, Project, SpecialFund, StaffMember, Training
from desktop.excel.importer import run_import
from desktop.excel.mapping import ColumnMapping
from desktop.identifiers import make_id_number


def person(n: int, birth=dt.date(1985, 3, 1), sex="F") -> str:
    return make_id_number("430922", birth + dt.timedelta(days=n), sex, n)


def write(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None, hidden=()) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for cells in (merges or {}).get(name, []):
            ws.merge_cells(cells)
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def staff_of(db, *names: str) -> dict[str, StaffMember]:
    with db.session() as s:
        rows = s.scalars(select(StaffMember).where(StaffMember.name.in_(names))).all()
        s.expunge_all()
    return {p.name: p for p in rows}


def facility_id(db, name: str) -> int:
    with db.session() as s:
        return s.scalar(select(Facility.id).where(Facility.name == name))


def imported(db, kind: str, path: Path, **kw):
    report = run_import(db, kind, path, user="测试", **kw)
    assert not report.problems, [(p.where, p.message) for p in report.problems]
    assert report.written > 0
    return report


def test_a_township_roster_with_a_title_its_own_headers_and_everyday_words(demo_db, tmp_path):
    path = write(
        tmp_path / "沟街镇卫生院职工花名册.xlsx",
        {
            "Sheet1": [
                ["沟街镇卫生院在职职工花名册"],
                ["填报单位：沟街镇卫生院（盖章）", None, None, None, None, "填报时间：2026年11月"],
                [
                    "序号",
                    "姓名",
                    "性别",
                    "公民身份号码",
                    "工作单位",
                    "职称",
                    "参加工作时间",
                    "人员类别",
                    "用工性质",
                    "在职状态",
                ],  # fmt: skip
                [1, "甘一", "女", person(1), "沟街镇卫生院", "主治医师", "2008/9/1", "执业医师", "正式", "在职"],
                [2, "甘二", "女", person(2), "沟街镇卫生院", "护师", "2012.7", "注册护士", "合同制", "在职"],
                [
                    3,
                    "甘三",
                    "女",
                    person(3),
                    "沟街镇卫生院",
                    "副主任医师",
                    "1999年8月1日",
                    "执业医师",
                    "事业编制",
                    "在职",
                ],  # fmt: skip
                ["合计", "3人"],
                [],
                ["填表人：王某", None, None, "审核人：李某"],
            ]
        },
    )
    report = imported(demo_db, "staff", path)
    assert report.count("new") == 3
    people = staff_of(demo_db, "甘一", "甘二", "甘三")
    assert {n: (p.title, p.employment_form, p.status) for n, p in people.items()} == {
        "甘一": ("intermediate", "establishment", "on_post"),
        "甘二": ("junior", "contract", "on_post"),
        "甘三": ("associate_senior", "establishment", "on_post"),
    }
    assert people["甘二"].hire_date == dt.date(2012, 7, 1)  # a month alone: its first day, and the report says so
    assert people["甘三"].hire_date == dt.date(1999, 8, 1)
    shown = {r.shown for r in report.readings}
    assert {"主治医师 → 中级", "合同制 → 编外", "在职 → 在岗"} <= shown
    assert any(s.startswith("2012.7 → 2012-07-01") for s in shown)


def test_a_two_level_header_with_column_numbers_subtotals_and_every_date_form(demo_db, tmp_path):
    dates = ["2021-03-05", "2021/3/5", "2021.3.5", "2021.03.05", "20210305", "2021年3月5日", dt.datetime(2021, 3, 5)]
    rows = [
        ["象湾镇卫生院人员基本情况表"],
        ["序号", "基本情况", None, None, "工作情况", None, None, None, None],
        [
            None,
            "姓名",
            "身份证件号码",
            "性别",
            "单位名称",
            "专业技术资格",
            "从事专业类别",
            "编制情况",
            "参加工作年月",
        ],  # fmt: skip
        ["甲", "乙", 1, 2, 3, 4, 5, 6, 7],
    ]
    for n, day in enumerate(dates, 10):
        rows.append([n - 9, f"象{n}", person(n), "女", "象湾镇卫生院", "护士", "注册护士", "合同工", day])
        if n == 12:
            rows.append(["小计", None, None, None, None, None, None, None, None])
    rows.append(["合计", "7人"])
    merges = {"花名册": ["A2:A3", "B2:D2", "E2:I2"]}
    # An on-post roster has no 在岗状态 column: the clerk gives it for every row.
    mapping = ColumnMapping("staff", constants={"在岗状态": "在岗"})
    report = imported(demo_db, "staff", write(tmp_path / "two.xlsx", {"花名册": rows}, merges), mapping=mapping)
    assert report.count("new") == 7
    people = staff_of(demo_db, *[f"象{n}" for n in range(10, 17)])
    assert {p.hire_date for p in people.values()} == {dt.date(2021, 3, 5)}
    assert {p.title for p in people.values()} == {"junior_assistant"}
    assert report.layouts[0].table.header_rows == (1, 2)


def test_one_sheet_per_centre_without_a_unit_column_gives_each_sheet_its_facility(demo_db, tmp_path):
    header = ["序号", "姓名", "身份证号", "从事专业类别", "职称", "用工形式", "在岗情况"]
    sheets = {
        "和湾镇卫生院": [header, [1, "和一", person(21), "注册护士", "护士", "编外", "在岗"]],
        "碧田镇卫生院": [
            ["碧田镇卫生院人员名单"],
            header,
            [1, "碧一", person(22), "执业医师", "主治医师", "在编", "在岗"],
        ],
        "说明": [["本表隐藏，不导入"], header, [1, "隐一", person(23), "注册护士", "护士", "编外", "在岗"]],
    }
    report = imported(demo_db, "staff", write(tmp_path / "centres.xlsx", sheets, hidden=("说明",)))
    people = staff_of(demo_db, "和一", "碧一", "隐一")
    assert set(people) == {"和一", "碧一"}  # the hidden sheet is not read
    assert people["和一"].facility_id == facility_id(demo_db, "和湾镇卫生院")
    assert people["碧一"].facility_id == facility_id(demo_db, "碧田镇卫生院")
    assert [layout.sheet for layout in report.layouts] == ["和湾镇卫生院", "碧田镇卫生院"]
    assert report.hidden_sheets == ["说明"]  # and the report says so
    assert "工作单位＝和湾镇卫生院（取自工作表名称）" in report.layouts[0].described()


def test_full_width_digits_and_numbers_with_units_in_a_facility_ledger(demo_db, tmp_path):
    path = write(
        tmp_path / "机构.xlsx",
        {
            "机构台账": [
                ["清溪县基层医疗卫生机构基本情况台账"],
                [
                    "单位名称",
                    "机构类型",
                    "所在乡镇",
                    "经济类型",
                    "运营状态",
                    "编制床位数",
                    "实际开放床位",
                    "业务用房面积（㎡）",
                    "联系电话",
                ],  # fmt: skip
                [
                    "沟街镇卫生院",
                    "乡镇卫生院",
                    "沟街镇",
                    "公立",
                    "正常运营",
                    "６０张",
                    "45张",
                    "1,234.5㎡",
                    "0737-4234567",
                ],
            ]
        },
    )
    with demo_db.session() as s:
        before = s.scalar(select(Facility).where(Facility.name == "沟街镇卫生院"))
        assert (before.approved_beds, before.open_beds) != (60, 45)
    report = run_import(demo_db, "facilities", path, user="测试")
    assert not report.problems, [(p.where, p.message) for p in report.problems]
    with demo_db.session() as s:
        after = s.scalar(select(Facility).where(Facility.name == "沟街镇卫生院"))
        assert (after.approved_beds, after.open_beds, after.building_area) == (60, 45, 1234.5)


def test_a_population_ledger_with_thousands_separators_and_a_year_written_with_its_character(demo_db, tmp_path):
    path = write(
        tmp_path / "人口.xlsx",
        {
            "人口": [
                ["2027年各村常住人口统计表"],
                ["村（社区）", "年份", "常住人口数", "户籍人口数", "农村人口"],
                ["泉岗村", "2027年", "1,234", "1,300", "1,100"],
                ["凤街村", "2027年度", "2,001人", "2,100", "1,900"],
            ]
        },
    )
    imported(demo_db, "population", path)
    with demo_db.session() as s:
        got = s.execute(
            select(Division.name, DivisionPopulation.resident, DivisionPopulation.rural)
            .join(Division, Division.id == DivisionPopulation.division_id)
            .where(DivisionPopulation.year == 2027)
        ).all()
    assert sorted(got) == [("凤街村", 2001, 1900), ("泉岗村", 1234, 1100)]


def test_a_project_ledger_with_money_in_yuan_a_percentage_and_months_alone(demo_db, tmp_path):
    path = write(
        tmp_path / "项目.xlsx",
        {
            "项目台账": [
                ["2026年卫生健康重点项目推进台账"],
                [
                    "序号",
                    "项目名称",
                    "建设单位",
                    "建设内容",
                    "建设性质",
                    "计划开工时间",
                    "计划竣工时间",
                    "进展阶段",
                    "形象进度",
                    "累计完成投资（万元）",
                    "责任单位",
                ],  # fmt: skip
                [
                    1,
                    "沟街镇卫生院门诊楼改造",
                    "沟街镇卫生院",
                    "改造门诊楼",
                    "改扩建",
                    "2026.3",
                    "2026年12月",
                    "在建",
                    "60%",
                    "3,500,000元",
                    "县卫生健康局",
                ],  # fmt: skip
            ]
        },
    )
    report = imported(demo_db, "projects", path)
    with demo_db.session() as s:
        p = s.scalar(select(Project).where(Project.name == "沟街镇卫生院门诊楼改造"))
        assert (p.planned_start, p.planned_completion) == (dt.date(2026, 3, 1), dt.date(2026, 12, 31))
        assert (p.progress, p.investment_completed, p.kind) == (60, 350, "extension")
    assert any(r.shown.startswith("3,500,000元 → 350") for r in report.readings)


def test_a_special_funds_ledger_in_ten_thousands(demo_db, tmp_path):
    path = write(
        tmp_path / "专项.xlsx",
        {"资金": [["单位", "年度", "专项资金（万元）", "备注"], ["沟街镇卫生院", 2027, "５０", "设备购置"]]},
    )
    imported(demo_db, "special_funds", path)
    with demo_db.session() as s:
        fund = s.scalar(select(SpecialFund).where(SpecialFund.year == 2027))
        assert (fund.amount, fund.facility_id) == (50, facility_id(demo_db, "沟街镇卫生院"))


def test_a_task_ledger_whose_own_numbers_are_records_not_row_numbers(demo_db, tmp_path):
    path = write(
        tmp_path / "任务.xlsx",
        {
            "台账": [
                ["县医改重点任务推进台账"],
                ["台账名称", "序号", "重点任务", "牵头单位", "完成时限", "完成状态"],
                ["2027年医改重点任务", "1", "推进紧密型县域医共体建设", "县卫生健康局", "2027年12月", "推进中"],
                ["2027年医改重点任务", "2", "完善家庭医生签约服务", "县卫生健康局", "2027年6月30日", "已完成"],
            ]
        },
    )
    imported(demo_db, "tasks", path)
    with demo_db.session() as s:
        tasks = s.execute(
            select(KeyTask.number, KeyTask.status, KeyTask.deadline).where(KeyTask.ledger == "2027年医改重点任务")
        ).all()
    assert sorted(tasks) == [("1", "in_progress", dt.date(2027, 12, 31)), ("2", "done", dt.date(2027, 6, 30))]


def test_a_task_ledger_without_a_ledger_column_is_named_by_its_title_line_and_the_name_is_not_remembered(
    demo_db, tmp_path
):
    """A bureau's own ledger names itself in its title, merged across the table under an 附件 line, not in a
    column: every task is on the ledger the title names, the report says where the name came from, and the mapping
    remembered for the header does not carry it to next year's ledger."""
    from desktop.excel.importer import layout_mapping

    header = ["序号", "重点任务", "具体内容", "牵头单位", "配合单位", "完成时限", "推进状态", "备注"]

    def ledger(year: int) -> Path:
        return write(
            tmp_path / f"{year}任务.xlsx",
            {
                "Sheet1": [
                    ["附件1"],
                    [f"桃江县{year}年卫生健康重点工作任务推进台账"],
                    ["填报单位：县卫生健康局", None, None, None, None, "填报日期：2026年11月"],
                    header,
                    [
                        "1",
                        "推进紧密型县域医共体建设",
                        "完成牵头医院…",
                        "医政股",
                        "财务股",
                        f"{year}年12月",
                        "推进中",
                        None,
                    ],
                    [
                        "2",
                        "完善家庭医生签约服务",
                        "签约率达到…",
                        "基层股",
                        None,
                        f"{year}年6月30日",
                        "已完成",
                        "待资金到位",
                    ],
                ]
            },
            merges={"Sheet1": ["A2:H2"]},
        )

    report = imported(demo_db, "tasks", ledger(2027))
    assert not report.ignored_columns  # 备注 too is kept (KeyTask.note)
    with demo_db.session() as s:
        notes = s.execute(select(KeyTask.number, KeyTask.note).where(KeyTask.ledger.like("桃江县2027%"))).all()
    assert sorted(notes) == [("1", None), ("2", "待资金到位")]
    layout = report.layouts[0]
    assert layout.given == {"台账名称": "桃江县2027年卫生健康重点工作任务推进台账（取自表格标题）"}
    assert "台账名称" not in str(layout_mapping(layout, "tasks").constants)
    imported(demo_db, "tasks", ledger(2028))
    with demo_db.session() as s:
        tasks = s.execute(select(KeyTask.ledger, KeyTask.number).where(KeyTask.ledger.like("桃江县%"))).all()
    assert sorted(tasks) == [
        ("桃江县2027年卫生健康重点工作任务推进台账", "1"),
        ("桃江县2027年卫生健康重点工作任务推进台账", "2"),
        ("桃江县2028年卫生健康重点工作任务推进台账", "1"),
        ("桃江县2028年卫生健康重点工作任务推进台账", "2"),
    ]

    row = ["1", "某任务", None, "医政股", None, None, "推进中"]
    untitled = write(tmp_path / "无标题.xlsx", {"Sheet1": [header, row]})
    refused = run_import(demo_db, "tasks", untitled, user="测试", dry_run=True)
    assert [p.message for p in refused.problems] == ["缺少必填列“台账名称”"]


def test_a_training_ledger_names_people_by_id_number(demo_db, tmp_path):
    with demo_db.session() as s:
        someone = s.scalar(select(StaffMember).where(StaffMember.category == "village_doctor").limit(1))
        number, name, sid = someone.id_number, someone.name, someone.id
    path = write(
        tmp_path / "培训.xlsx",
        {
            "培训": [
                ["2027年乡村医生培训登记表"],
                ["序号", "姓名", "身份证号码", "培训形式", "开始时间", "结束时间", "培训天数", "是否免费"],
                [1, name, number, "在岗培训", "2027.3.1", "2027.3.5", "5天", "√"],
            ]
        },
    )
    imported(demo_db, "trainings", path)
    with demo_db.session() as s:
        t = s.scalar(select(Training).where(Training.staff_id == sid, Training.start_date == dt.date(2027, 3, 1)))
        assert (t.days, t.free_of_charge, t.end_date) == (5, True, dt.date(2027, 3, 5))


def test_an_unknown_header_for_a_required_field_is_asked_and_a_mapping_answers_it(demo_db, tmp_path):
    rows = [
        ["序号", "姓名", "身份证号码", "工作单位", "岗位等级X", "用工形式", "人员类别"],
        [1, "问一", person(31), "马田镇卫生院", "中级", "编外", "注册护士"],
    ]
    path = write(tmp_path / "doubt.xlsx", {"表": rows})
    report = run_import(demo_db, "staff", path, user="测试")
    messages = [p.message for p in report.problems]
    assert "缺少必填列“专业技术职称”" in messages and "缺少必填列“在岗状态”" in messages
    assert report.written == 0 and not report.plans and "岗位等级X" in report.ignored_columns
    mapping = ColumnMapping("staff", {"岗位等级X": "专业技术职称"}, {"在岗状态": "在岗"})
    report = imported(demo_db, "staff", path, mapping=mapping)
    assert staff_of(demo_db, "问一")["问一"].title == "intermediate"
    # The next file with this header is read with the mapping confirmed for it, and says so.
    rows[1] = [1, "问二", person(32), "马田镇卫生院", "初级（士）", "编外", "注册护士"]
    report = imported(demo_db, "staff", write(tmp_path / "doubt2.xlsx", {"表": rows}))
    assert report.layouts[0].remembered
    assert staff_of(demo_db, "问二")["问二"].status == "on_post"


def test_a_header_only_like_a_field_is_proposed_not_taken(demo_db, tmp_path):
    rows = [
        ["姓名", "身份证号码", "工作单位", "现专业技术职称及取得时间", "用工形式", "人员类别", "在岗状态"],
        ["疑一", person(41), "马田镇卫生院", "中级", "编外", "注册护士", "在岗"],
    ]
    report = run_import(demo_db, "staff", write(tmp_path / "p.xlsx", {"表": rows}), user="测试")
    assert [p.message for p in report.problems] == [
        "缺少必填列“专业技术职称”（“现专业技术职称及取得时间”列可能就是，请确认列对应）"
    ]
    assert report.written == 0


def test_a_facility_written_shorter_is_proposed_for_the_clerk_to_confirm_never_taken(demo_db, tmp_path):
    rows = [
        ["姓名", "身份证号码", "工作单位", "职称", "用工形式", "人员类别", "在岗状态"],
        ["简一", person(51), "马田卫生院", "中级", "编外", "注册护士", "在岗"],
    ]
    report = run_import(demo_db, "staff", write(tmp_path / "short.xlsx", {"表": rows}), user="测试")
    assert len(report.problems) == 1 and report.written == 0
    problem = report.problems[0]
    assert "是否指“马田镇卫生院”" in problem.message and problem.proposals[0] == "马田镇卫生院"
    assert not staff_of(demo_db, "简一")
    # The clerk confirms what the name stands for: the row is read so, said so, and the next file is read so too.
    mapping = ColumnMapping("staff")
    mapping.confirm(problem.field, problem.value, problem.proposals[0])
    report = imported(demo_db, "staff", tmp_path / "short.xlsx", mapping=mapping)
    assert "马田卫生院 → 马田镇卫生院（已确认）" in {r.shown for r in report.readings}
    assert staff_of(demo_db, "简一")["简一"].facility_id == facility_id(demo_db, "马田镇卫生院")
    rows[1] = ["简二", person(52), "马田卫生院", "中级", "编外", "注册护士", "在岗"]
    report = imported(demo_db, "staff", write(tmp_path / "short2.xlsx", {"表": rows}))
    assert report.layouts[0].remembered and staff_of(demo_db, "简二")


@pytest.mark.parametrize("fmt", ["csv-gbk", "csv-utf8-bom", "txt-tab"])
def test_a_roster_kept_as_text_in_any_encoding_and_separator(demo_db, tmp_path, fmt):
    header = [
        "序号",
        "姓名",
        "公民身份号码",
        "单位",
        "专业技术职务",
        "人员类别",
        "用工形式",
        "在岗状态",
        "参加工作时间",
    ]
    lines = [["龙口镇卫生院职工名册"], header]
    for n in range(3):
        lines.append([str(n + 1), f"文{n}", person(60 + n), "龙口镇卫生院", "主管护师", "注册护士", "聘用", "在职",
                      "２０１０年９月"])  # fmt: skip
    sep = "\t" if fmt == "txt-tab" else ","
    text = "\r\n".join(sep.join(cells) for cells in lines) + "\r\n"
    path = tmp_path / ("roster.txt" if fmt == "txt-tab" else "roster.csv")
    path.write_bytes(text.encode("gbk") if fmt == "csv-gbk" else text.encode("utf-8-sig"))
    imported(demo_db, "staff", path)
    people = staff_of(demo_db, "文0", "文1", "文2")
    assert {(p.title, p.employment_form, p.hire_date) for p in people.values()} == {
        ("intermediate", "contract", dt.date(2010, 9, 1))
    }


def test_an_old_excel_roster_is_read_as_it_is(demo_db, tmp_path):
    import shutil
    import subprocess

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is needed to write an .xls")
    rows = [
        ["碧水镇卫生院花名册"],
        ["姓名", "身份证号码", "工作单位", "职称", "用工形式", "人员类别", "在岗状态", "参加工作日期"],
        ["旧一", person(71), "碧水镇卫生院", "医士", "合同制", "乡村医生", "在岗", dt.date(2001, 5, 1)],
    ]
    source = write(tmp_path / "old.xlsx", {"花名册": rows})
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    imported(demo_db, "staff", tmp_path / "old.xls")
    p = staff_of(demo_db, "旧一")["旧一"]
    assert (p.title, p.hire_date, p.facility_id) == ("junior_assistant", dt.date(2001, 5, 1),
                                                     facility_id(demo_db, "碧水镇卫生院"))  # fmt: skip


def test_our_own_template_is_read_by_its_labels_and_no_mapping_is_remembered_for_it(demo_db, tmp_path):
    from openpyxl import load_workbook

    from db.models import ImportMapping
    from desktop.excel.templates import write_template
    from tests.factories import fill_staff_rows

    with demo_db.session() as s:
        path = write_template(s, "staff", tmp_path / "模板.xlsx")
    wb = load_workbook(path)
    fill_staff_rows(wb["数据"], 3, "马田镇卫生院")
    wb.save(path)
    report = imported(demo_db, "staff", path)
    assert report.layouts[0].in_template_columns and report.count("new") == 3
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(ImportMapping)) == 0


def test_new_facilities_on_two_sheets_named_by_rows_of_their_own_sheet_are_linked_to_their_own(demo_db, tmp_path):
    header = ["机构名称", "机构类别", "所在乡镇（街道）或村（社区）", "经济类型", "运营状态", "管理卫生院"]
    sheets = {
        "沟街": [header, ["沟街镇第二卫生院", "乡镇卫生院", "沟街镇", "公立", "运营", None],
                 ["泉岗村第二卫生室", "村卫生室", "泉岗村", "公立", "运营", "沟街镇第二卫生院"]],
        "东城": [header, ["东城第二卫生院", "乡镇卫生院", "东城街道", "公立", "运营", None],
                 ["梅城村第二卫生室", "村卫生室", "梅城村", "公立", "运营", "东城第二卫生院"]],
    }  # fmt: skip
    imported(demo_db, "facilities", write(tmp_path / "新机构.xlsx", sheets))
    with demo_db.session() as s:
        lead = {
            name: s.scalar(select(Facility.name).where(Facility.id == lead_id))
            for name, lead_id in s.execute(
                select(Facility.name, Facility.lead_facility_id).where(Facility.name.like("%第二卫生室"))
            )
        }
    assert lead == {"泉岗村第二卫生室": "沟街镇第二卫生院", "梅城村第二卫生室": "东城第二卫生院"}


def test_the_problems_of_a_text_roster_are_marked_on_a_workbook_of_its_cells(demo_db, tmp_path):
    from openpyxl import load_workbook

    from desktop.excel.importer import write_problem_workbook

    lines = [
        "姓名,身份证号码,工作单位,职称,用工形式,人员类别,在岗状态",
        f"错一,{person(81)[:-1]}0,马田镇卫生院,中级,编外,注册护士,在岗",
    ]
    path = tmp_path / "名单.csv"
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    report = run_import(demo_db, "staff", path, user="测试")
    assert [(p.column, p.row) for p in report.problems] == [("B", 2)]
    marked = load_workbook(write_problem_workbook(report, tmp_path / "名单_问题标注.xlsx"))
    assert marked.sheetnames == ["问题清单", "名单"]
    assert marked["名单"]["A2"].value == "错一" and marked["名单"]["B2"].comment is not None
    assert marked["问题清单"]["F2"].value.startswith("身份证号码校验位错误")


def test_a_unit_named_in_a_header_is_the_unit_of_its_bare_numbers_and_a_unit_of_something_else_is_asked(
    demo_db, tmp_path
):
    path = write(tmp_path / "资金.xlsx", {"资金": [["单位名称", "年度", "金额（元）"], ["沟街镇卫生院", 2028, 500000]]})
    report = imported(demo_db, "special_funds", path)
    with demo_db.session() as s:
        assert s.scalar(select(SpecialFund.amount).where(SpecialFund.year == 2028)) == 50  # 万元, as the field
    assert "500000元 → 50万元" in {r.shown for r in report.readings}
    rows = [["机构名称", "所在乡镇（街道）或村（社区）", "实有床位（人）"], ["沟街镇卫生院", "沟街镇", 45]]
    report = run_import(demo_db, "facilities", write(tmp_path / "床位.xlsx", {"表": rows}), user="测试")
    [beds] = [p for p in report.problems if p.column == "C"]  # (besides the required columns it lacks)
    assert report.written == 0 and "单位与“实有床位”（张）不符" in beds.message


def test_a_value_given_for_every_row_never_overrides_the_facility_a_sheet_names_and_is_not_remembered(
    demo_db, tmp_path
):
    header = ["姓名", "身份证号码", "职称", "用工形式", "人员类别", "在岗状态"]
    sheets = {
        "Sheet1": [header, ["值一", person(91), "中级", "编外", "注册护士", "在岗"]],
        "象湾镇卫生院": [header, ["值二", person(92), "中级", "编外", "注册护士", "在岗"]],
    }
    mapping = ColumnMapping("staff", constants={"工作单位": "沟街镇卫生院"})
    report = run_import(demo_db, "staff", write(tmp_path / "两表.xlsx", sheets), user="测试", mapping=mapping)
    assert [(p.sheet, p.header) for p in report.problems] == [("象湾镇卫生院", "工作单位")]
    assert "而本表是“象湾镇卫生院（取自工作表名称）”" in report.problems[0].message and report.written == 0
    # Given for a sheet that names no facility, it is that sheet's; the next file with this header must say its
    # own facility again: a facility given for every row is not remembered.
    report = imported(demo_db, "staff", write(tmp_path / "一表.xlsx", {"Sheet1": sheets["Sheet1"]}), mapping=mapping)
    assert staff_of(demo_db, "值一")["值一"].facility_id == facility_id(demo_db, "沟街镇卫生院")
    rows = [header, ["值三", person(93), "中级", "编外", "注册护士", "在岗"]]
    report = run_import(demo_db, "staff", write(tmp_path / "下月.xlsx", {"Sheet1": rows}), user="测试")
    assert report.layouts[0].remembered and [p.message for p in report.problems] == ["缺少必填列“工作单位”"]


def test_a_percentage_formatted_cell_is_asked_about_not_read_as_a_fraction_of_a_percent(demo_db, tmp_path):
    header = ["项目名称", "建设单位", "建设性质", "计划开工日期", "计划完工日期", "建设阶段", "形象进度", "责任单位"]
    rows = [
        header,
        ["沟街镇卫生院污水处理", "沟街镇卫生院", "改扩建", "2026.3", "2026.12", "在建", 0.85, "县卫生健康局"],
    ]
    report = run_import(demo_db, "projects", write(tmp_path / "进度.xlsx", {"表": rows}), user="测试")
    assert [p.message for p in report.problems] == [
        "“形象进度”为 0.85：如表格中显示为 85%，请把该列设为“常规”格式后填写 85"
    ]


def test_headers_that_name_no_field_are_a_header_for_the_clerk_to_place_not_a_dead_end(demo_db, tmp_path):
    rows = [
        ["XM", "SFZH", "DW", "ZC", "YGXS", "RYLB", "ZT"],
        ["拼一", person(95), "马田镇卫生院", "中级", "编外", "注册护士", "在岗"],
    ]
    path = write(tmp_path / "pinyin.xlsx", {"staff": rows})
    report = run_import(demo_db, "staff", path, user="测试")
    assert report.layouts[0].table.header_rows == (0,) and not report.plans and report.written == 0
    assert "缺少必填列“姓名”" in [p.message for p in report.problems]
    mapping = ColumnMapping("staff", dict(zip(rows[0], ["姓名", "身份证号码", "工作单位", "专业技术职称", "用工形式",
                                                         "人员类别", "在岗状态"], strict=True)))  # fmt: skip
    imported(demo_db, "staff", path, mapping=mapping)
    assert staff_of(demo_db, "拼一")["拼一"].title == "intermediate"


def imported_again(db, path: Path, as_of: dt.date) -> int:
    report = run_import(db, "tasks", path, user="测试", as_of=as_of)
    assert not report.problems, [(p.where, p.message) for p in report.problems]
    return report.count_updates("new") + report.count_updates("changed")


def test_a_task_ledgers_progress_column_becomes_each_tasks_report_for_the_period_once(demo_db, tmp_path):
    """A bureau's ledger says where each task stands in a 推进情况 column it writes over each quarter: imported for
    a period, each text is the task's progress report on the period's last day, in the row's status; the same
    ledger imported again changes those reports, not adds more; a task whose text is what its last report said
    gets no report (it did not move this quarter), and the check then still finds it not updated."""
    from db.models import TaskUpdate
    from desktop.checks.runner import run_checks
    from desktop.periods import Period

    header = ["台账名称", "序号", "重点任务", "牵头单位", "推进状态", "推进情况"]

    def ledger(name: str, rows: list[list]) -> Path:
        return write(tmp_path / name, {"台账": [["县卫生健康重点任务推进台账"], header, *rows]})

    q3, q4 = Period(2026, 3), Period(2026, 4)
    first = ledger("三季度.xlsx", [
        ["进展台账", "1", "推进医共体建设", "医政股", "推进中", "已完成牵头医院章程修订"],
        ["进展台账", "2", "完善家庭医生签约", "基层股", "推进中", "签约率达到45%"],
        ["进展台账", "3", "建设中医馆", "中医股", "未启动", None],
    ])  # fmt: skip
    report = imported(demo_db, "tasks", first, as_of=q3.end)
    assert (report.count("new"), report.count_updates("new")) == (3, 2)
    assert "推进情况" not in report.ignored_columns and "推进情况→任务进展" in report.layouts[0].described()
    assert [(r.column, r.shown, r.cells) for r in report.readings if r.header == "任务进展"] == [
        ("F", "推进情况 → 2026年9月30日的进展情况", 2)
    ]

    def reports() -> list[tuple[str, dt.date, str, str]]:
        with demo_db.session() as s:
            rows = s.execute(
                select(KeyTask.number, TaskUpdate.date, TaskUpdate.status, TaskUpdate.note)
                .join(KeyTask, KeyTask.id == TaskUpdate.task_id)
                .where(KeyTask.ledger == "进展台账")
                .order_by(KeyTask.number, TaskUpdate.date)
            ).all()
        return [tuple(r) for r in rows]

    assert reports() == [
        ("1", q3.end, "in_progress", "已完成牵头医院章程修订"),
        ("2", q3.end, "in_progress", "签约率达到45%"),
    ]
    # The same ledger again for the same quarter, one text corrected: that report changes, nothing is added.
    again = ledger("三季度更正.xlsx", [
        ["进展台账", "1", "推进医共体建设", "医政股", "推进中", "已完成牵头医院章程修订"],
        ["进展台账", "2", "完善家庭医生签约", "基层股", "推进中", "签约率达到46%"],
    ])  # fmt: skip
    report = imported(demo_db, "tasks", again, as_of=q3.end)
    assert (report.count_updates("changed"), report.count_updates("unchanged"), report.count_updates("new")) == (
        1,
        1,
        0,
    )
    # The next quarter: task 1 moved and is done, task 2's text is as it was (it did not move).
    later = ledger("四季度.xlsx", [
        ["进展台账", "1", "推进医共体建设", "医政股", "已完成", "医共体已挂牌运行"],
        ["进展台账", "2", "完善家庭医生签约", "基层股", "推进中", "签约率达到46%"],
    ])  # fmt: skip
    imported(demo_db, "tasks", later, as_of=q4.end)
    assert reports()[-1] == ("2", q3.end, "in_progress", "签约率达到46%")
    assert ("1", q4.end, "done", "医共体已挂牌运行") in reports() and len(reports()) == 3
    # The third quarter's ledger brought in again for the fourth: what it says was said then, nothing goes back.
    assert imported_again(demo_db, again, q4.end) == 0 and len(reports()) == 3
    with demo_db.session() as s:
        run = run_checks(s, q4, today=dt.date(2027, 1, 10))
        stale = {f.where.name for f in run.findings if f.rule_id == "task_stale"}
    assert any("完善家庭医生签约" in n for n in stale) and not any("推进医共体建设" in n for n in stale)


def test_a_projects_progress_changed_in_its_record_is_its_report_of_that_day_and_what_every_list_shows(
    demo_db, tmp_path, capsys
):
    """A project's list row, its checks and the report read its state from its latest progress report. A project
    ledger imported for the third quarter with a new 形象进度, or the form's change of it, is that report (of the
    quarter's last day, of today): the list no longer shows the report before the change beside a record that
    says otherwise."""
    from openpyxl import load_workbook

    from db.models import ProjectUpdate
    from desktop.cli import main
    from desktop.lists import project_rows
    from desktop.periods import Period
    from desktop.records.editing import update_record
    from desktop.records.types import PROJECT

    q3, today = Period(2026, 3), dt.date(2026, 11, 23)

    def row(project_id: int):
        with demo_db.session() as s:
            return next(r for r in project_rows(s, q3, today=today) if r.id == project_id)

    with demo_db.session() as s:
        shown = next(r for r in project_rows(s, q3, today=today) if 0 < r.progress < 90)
    path = tmp_path / "项目台账.xlsx"
    assert main(["template", "projects", "--db", demo_db.target, "--with-records", "--out", str(path)]) == 0
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    column = [c.value for c in ws[1]].index("形象进度（%）") + 1
    at = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == shown.name)
    ws.cell(at, column, value=shown.progress + 7)
    wb.save(path)

    report = imported(demo_db, "projects", path, as_of=q3.end)
    assert report.count("changed") == 1
    assert [(r.header, r.shown, r.cells) for r in report.readings if r.header == "项目进度"] == [
        ("项目进度", "完成投资、形象进度、建设阶段的修改 → 2026年9月30日的进度报告", 1)
    ]
    assert row(shown.id).progress == pytest.approx(shown.progress + 7)
    with demo_db.session() as s:
        on_the_day = s.scalars(
            select(ProjectUpdate).where(ProjectUpdate.project_id == shown.id, ProjectUpdate.date == q3.end)
        ).one()
        assert on_the_day.progress == pytest.approx(shown.progress + 7)

        # The form's change: the report of today, which a later period reads.
        update_record(s, PROJECT, shown.id, {"progress": 95}, user="测试")
        s.commit()
        reports = s.scalars(select(ProjectUpdate.progress).where(ProjectUpdate.project_id == shown.id)).all()
    assert reports.count(95) == 1
    with demo_db.session() as s:
        later = next(r for r in project_rows(s, Period(2026, 4), today=dt.date.today()) if r.id == shown.id)
    assert later.progress == 95 and row(shown.id).progress == pytest.approx(shown.progress + 7)
