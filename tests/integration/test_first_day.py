"""A bureau's first day, at the level of the command line: a real county set up from its code, every template
filled the way a township fills it (openpyxl, below the example row of the template the app wrote), imported,
and the checks run on what came in."""

from __future__ import annotations

import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from db.models import (
    Division,
    DivisionPopulation,
    Facility,
    FacilityEquipment,
    KeyTask,
    Project,
    ProjectFunding,
    ProjectUpdate,
    ServiceArea,
    SpecialFund,
    StaffLoan,
    StaffMember,
    TaskUpdate,
    Training,
)
from desktop.cli import main
from desktop.excel.templates import DATA_SHEET, FIRST_DATA_ROW, TEMPLATES

DOCTOR = "430922195803120015"  # 68 in 2026: a village doctor past the age norm
YOUNG = "430922198805060021"
NURSE = "430922199307150029"


def _fill(template, out, rows, updates=None):
    """Rows under the template's headers, by header label (the asterisk of a required column dropped)."""
    wb = load_workbook(template)

    def write(ws, data):
        headers = {}
        for c in ws[1]:
            if c.value:
                label = str(c.value).rstrip("*")
                headers[label] = headers[re.sub(r"（[^）]*）$", "", label)] = c.column
        for i, row in enumerate(data):
            for label, value in row.items():
                ws.cell(row=FIRST_DATA_ROW + i, column=headers[label], value=value)

    write(wb[DATA_SHEET], rows)
    if updates:
        name, data = updates
        write(wb[name], data)
    wb.save(out)


def _import(kind, path, db, capsys):
    code = main(["import", kind, str(path), "--db", db])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


@pytest.fixture
def county(db, capsys):
    assert main(["setup", "--division", "430922", "--db", db.target]) == 0
    capsys.readouterr()
    return db


def _template(kind, db, tmp_path, capsys):
    path = tmp_path / f"{kind}-模板.xlsx"
    assert main(["template", kind, "--db", db, "--out", str(path)]) == 0
    capsys.readouterr()
    return path


def test_a_first_day_from_the_codes_to_the_checks(county, tmp_path, capsys):
    db = county.target
    filled = {}

    def fill(kind, rows, updates=None):
        filled[kind] = tmp_path / f"{kind}-已填.xlsx"
        _fill(_template(kind, db, tmp_path, capsys), filled[kind], rows, updates)
        return _import(kind, filled[kind], db, capsys)

    # A village the 2023 list lacks (a new resettlement community), added under its township.
    out = fill(
        "divisions",
        [{"上级区划": "修山镇", "名称": "移民新村", "类别": "社区", "区划代码": "430922101900", "边远地区": "是"}],
    )
    assert "新增 1 条" in out
    out = fill(
        "population",
        [
            {"行政村（社区）": "修山镇/修山社区", "年度": 2026, "常住人口": 5200, "乡村人口": 3100},
            {"行政村（社区）": "邹家湾社区", "年度": 2026, "常住人口": 2100, "乡村人口": 1900},
            {"行政村（社区）": "移民新村", "年度": 2026, "常住人口": 800, "乡村人口": 800},
        ],
    )
    assert "新增 3 条" in out
    out = fill(
        "facilities",
        [
            {
                "机构名称": "修山镇中心卫生院",
                "机构类别": "乡镇卫生院",
                "所在乡镇（街道）或村（社区）": "修山镇",
                "经济类型": "公立",
                "运营状态": "运营",
                "编制床位": 40,
                "实有床位": 36,
                "服务范围": "修山社区、邹家湾社区、舒塘社区",
                "救护车": 1,
                "DR": 1,
                "彩色B超": 1,
                "全自动生化分析仪": 1,
            },
            {
                "机构名称": "修山镇邹家湾社区卫生室",
                "机构类别": "村卫生室",
                "所在乡镇（街道）或村（社区）": "修山镇/邹家湾社区",
                "经济类型": "公立",
                "业务用房产权": "公有产权",
                "运营状态": "运营",
                "能提供中医药服务": "是",
                "达到规范化标准": "是",
                "服务范围": "邹家湾社区、移民新村",
                "健康一体机": 1,
                "简易呼吸器": 2,
            },
        ],
    )
    assert "新增 2 条" in out
    out = fill(
        "staff",
        [
            {
                "姓名": "周德明",
                "身份证号码": DOCTOR,
                "工作单位": "修山镇邹家湾社区卫生室",
                "人员类别": "乡村医生",
                "专业技术职称": "无职称",
                "用工形式": "镇聘村用",
                "在岗状态": "在岗",
                "参加工作日期": "1980-03-01",
            },
            {
                "姓名": "刘芳",
                "身份证号码": YOUNG,
                "工作单位": "修山镇邹家湾社区卫生室",
                "人员类别": "乡村医生",
                "专业技术职称": "无职称",
                "用工形式": "镇聘村用",
                "在岗状态": "在岗",
                "参加工作日期": "2010-07-01",
            },
            {
                "姓名": "陈静",
                "身份证号码": NURSE,
                "工作单位": "修山镇中心卫生院",
                "人员类别": "注册护士",
                "专业技术职称": "初级（师）",
                "用工形式": "在编",
                "在岗状态": "在岗",
                "参加工作日期": "2015-08-01",
            },
        ],
    )
    assert "新增 3 条" in out
    out = fill(
        "trainings",
        [
            {
                "人员": f"刘芳/{YOUNG}",
                "培训类型": "在岗培训",
                "开始日期": "2025-03-03",
                "结束日期": "2025-03-12",
                "培训天数": 10,
                "培训地点（机构）": "县人民医院",
                "免费培训": "是",
            },
            {
                "人员": YOUNG,  # the number alone finds her too
                "培训类型": "在岗培训",
                "开始日期": "2025-10-13",
                "结束日期": "2025-10-17",
                "培训天数": 5,
                "免费培训": "是",
            },
            {
                "人员": f"刘芳/{YOUNG}",
                "培训类型": "脱产进修",
                "开始日期": "2024-03-01",
                "结束日期": "2024-05-31",
                "培训天数": 92,
                "培训地点（机构）": "益阳市中心医院",
            },
        ],
    )
    assert "新增 3 条" in out
    out = fill(
        "loans",
        [{"人员": f"陈静/{NURSE}", "借用单位": "县卫生健康局", "借用开始日期": "2025-09-01", "借用事由": "专班"}],
    )
    assert "新增 1 条" in out
    out = fill("special_funds", [{"机构名称": "修山镇中心卫生院", "年度": 2026, "专项资金（万元）": 20}])
    assert "新增 1 条" in out
    out = fill(
        "projects",
        [
            {
                "项目名称": "修山镇中心卫生院门诊楼改扩建项目",
                "建设单位": "修山镇中心卫生院",
                "建设性质": "改扩建",
                "计划开工日期": "2026-01-10",
                "计划完工日期": "2026-12-31",
                "建设阶段": "在建",
                "形象进度": 60,
                "完成投资（万元）": 260,
                "责任单位": "县卫生健康局",
                "计划投资：中央资金（万元）": 300,
                "计划投资：县级资金（万元）": 80,
                "计划投资：单位自筹（万元）": 20,
            }
        ],
        (
            "进度",
            [
                {
                    "项目名称": "修山镇中心卫生院门诊楼改扩建项目",
                    "填报日期": "2026-06-30",
                    "建设阶段": "在建",
                    "形象进度": 45,
                    "完成投资（万元）": 180,
                },
                {
                    "项目名称": "修山镇中心卫生院门诊楼改扩建项目",
                    "填报日期": "2026-09-30",
                    "建设阶段": "在建",
                    "形象进度": 60,
                    "完成投资（万元）": 260,
                    "进展说明": "主体封顶",
                },
            ],
        ),
    )
    assert "新增 1 条" in out and "进度记录新增 2 条" in out
    out = fill(
        "tasks",
        [
            {
                "台账名称": "县域医共体建设重点任务",
                "序号": "1",
                "任务名称": "组建县域医共体",
                "牵头单位": "县卫生健康局",
                "完成时限": "2026-12-31",
                "推进状态": "推进中",
            }
        ],
        (
            "进展",
            [
                {
                    "任务": "县域医共体建设重点任务/1",
                    "填报日期": "2026-09-20",
                    "推进状态": "推进中",
                    "进展情况": "印发实施方案",
                }
            ],
        ),
    )
    assert "新增 1 条" in out and "进度记录新增 1 条" in out

    with county.session() as s:
        count = lambda model: s.scalar(select(func.count()).select_from(model))  # noqa: E731
        assert count(Division) == 1 + 15 + 247 + 1
        new = s.scalar(select(Division).where(Division.code == "430922101900"))
        assert new.remote and new.kind == "community" and s.get(Division, new.parent_id).name == "修山镇"
        assert count(DivisionPopulation) == 3
        assert count(Facility) == 2 and count(StaffMember) == 3
        centre = s.scalar(select(Facility).where(Facility.kind == "thc"))
        assert {e.item: e.quantity for e in s.scalars(select(FacilityEquipment))} == {
            "ambulance": 1,
            "dr": 1,
            "colour_ultrasound": 1,
            "biochem_analyser": 1,
            "checkup_machine": 1,
            "simple_resuscitator": 2,
        }
        served = s.scalars(select(ServiceArea.division_id).where(ServiceArea.facility_id == centre.id)).all()
        assert {s.get(Division, d).name for d in served} == {"修山社区", "邹家湾社区", "舒塘社区"}
        assert count(Training) == 3 and count(StaffLoan) == 1 and count(SpecialFund) == 1
        loan = s.scalar(select(StaffLoan))
        assert loan.from_facility_id == centre.id  # lent from where she works, though the sheet did not say
        assert {f.source: f.amount for f in s.scalars(select(ProjectFunding))} == {
            "central": 300,
            "county": 80,
            "self_raised": 20,
        }
        assert count(Project) == 1 and count(ProjectUpdate) == 2
        assert count(KeyTask) == 1 and count(TaskUpdate) == 1

    assert main(["check", "--db", db, "--period", "2026Q3", "--json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    by_rule: dict[str, list[str]] = {}
    for f in findings:
        by_rule.setdefault(f["rule_id"], []).append(f["message"])
    text = "\n".join(f["message"] for f in findings)
    # The old doctor is past the age norm and untrained; the young one's two free trainings (15 days) and her
    # three months' study clear both training rules for her.
    assert any("周德明" in m for m in by_rule["vd_age"])
    assert any("周德明" in m for m in by_rule["vd_training"])
    assert not any("刘芳" in m for m in by_rule.get("vd_training", []) + by_rule.get("vd_full_time_study", []))
    # The centre has its special funds, its service area and its equipment; the clinic its equipment.
    assert not any("修山镇中心卫生院" in m for m in by_rule.get("thc_special_funds", []))
    assert "data_service_area_missing" not in by_rule
    assert "thc_equipment" not in by_rule and "clinic_equipment" not in by_rule
    # The nurse has been lent for more than six months: the loan rule reads the imported loan.
    assert any("陈静" in m for m in by_rule["staff_loan_duration"]), text
    # The project is on schedule (60% against 72% of its time, within the margin) and its tasks are current.
    assert "project_behind" not in by_rule and "task_stale" not in by_rule


def test_every_template_kind_the_issue_names_exists():
    assert {
        "divisions",
        "population",
        "facilities",
        "staff",
        "trainings",
        "loans",
        "special_funds",
        "projects",
        "tasks",
    } <= set(TEMPLATES)


def test_a_filled_template_of_trainings_goes_back_and_forth(county, tmp_path, capsys):
    """Exported with the records (people masked as 姓名/号码) and imported unchanged: nothing changes."""
    db = county.target
    fac = tmp_path / "f.xlsx"
    _fill(
        _template("facilities", db, tmp_path, capsys),
        fac,
        [
            {
                "机构名称": "修山镇中心卫生院",
                "机构类别": "乡镇卫生院",
                "所在乡镇（街道）或村（社区）": "修山镇",
                "经济类型": "公立",
                "运营状态": "运营",
                "服务范围": "修山社区",
                "DR": 1,
            }
        ],
    )
    _import("facilities", fac, db, capsys)
    staff = tmp_path / "s.xlsx"
    row = {"姓名": "陈静", "身份证号码": NURSE, "工作单位": "修山镇中心卫生院", "人员类别": "注册护士"}
    row |= {"专业技术职称": "初级（师）", "用工形式": "在编", "在岗状态": "在岗"}
    _fill(_template("staff", db, tmp_path, capsys), staff, [row])
    _import("staff", staff, db, capsys)
    trainings = tmp_path / "t.xlsx"
    _fill(
        _template("trainings", db, tmp_path, capsys),
        trainings,
        [{"人员": NURSE, "培训类型": "在岗培训", "开始日期": "2026-03-02", "结束日期": "2026-03-06", "培训天数": 5}],
    )
    _import("trainings", trainings, db, capsys)
    for kind in ("trainings", "facilities"):
        back = tmp_path / f"{kind}-含记录.xlsx"
        assert main(["template", kind, "--with-records", "--db", db, "--out", str(back)]) == 0
        capsys.readouterr()
        ws = load_workbook(back)[DATA_SHEET]
        cells = [c.value for c in ws[FIRST_DATA_ROW]]
        if kind == "trainings":
            assert cells[0] == "陈静/430922********0029"  # the number masked in the file
        else:
            assert "修山镇/修山社区" in cells or "修山社区" in cells
        out = _import(kind, back, db, capsys)
        assert "新增 0 条，修改 0 条，未变 1 条" in out


def test_what_the_import_would_refuse_is_found_by_the_check_before_it(county, tmp_path, capsys):
    """A dry run (the window's 检查) finds the rules across cells the write enforces: 乡村人口 above 常住人口, a
    training ending before it starts; a township's own population is refused (its villages carry it). Before,
    the first passed the check and then ended the import with a program error."""
    db = county.target
    population = tmp_path / "人口.xlsx"
    _fill(
        _template("population", db, tmp_path, capsys),
        population,
        [
            {"行政村（社区）": "修山镇/修山社区", "年度": 2026, "常住人口": 1200, "乡村人口": 1500},
            {"行政村（社区）": "修山镇", "年度": 2026, "常住人口": 45000},
        ],
    )
    assert main(["import", "population", str(population), "--db", db, "--dry-run"]) == 2
    out = capsys.readouterr().out
    assert "乡村人口（1,500 人）不能多于常住人口（1,200 人）" in out
    assert "“行政村（社区）”应为行政村或社区；“修山镇”是乡镇" in out
    assert main(["import", "population", str(population), "--db", db, "--good-rows-only"]) == 2
    assert "已写入 0 条记录" in capsys.readouterr().out

    staff = tmp_path / "人员.xlsx"
    row = {"姓名": "陈静", "身份证号码": NURSE, "工作单位": "", "人员类别": "注册护士"}
    _fill(_template("facilities", db, tmp_path, capsys), tmp_path / "f.xlsx", [_CENTRE])
    _import("facilities", tmp_path / "f.xlsx", db, capsys)
    row |= {"工作单位": _CENTRE["机构名称"], "专业技术职称": "初级（师）", "用工形式": "在编", "在岗状态": "在岗"}
    _fill(_template("staff", db, tmp_path, capsys), staff, [row])
    _import("staff", staff, db, capsys)
    trainings = tmp_path / "培训.xlsx"
    _fill(
        _template("trainings", db, tmp_path, capsys),
        trainings,
        [{"人员": NURSE, "培训类型": "在岗培训", "开始日期": "2026-03-06", "结束日期": "2026-03-02", "培训天数": 5}],
    )
    assert main(["import", "trainings", str(trainings), "--db", db, "--dry-run"]) == 2
    assert "“结束日期”不能早于“开始日期”" in capsys.readouterr().out


def test_a_person_named_wrongly_is_told_whose_number_it_is_without_showing_it(county, tmp_path, capsys):
    db = county.target
    _fill(_template("facilities", db, tmp_path, capsys), tmp_path / "f.xlsx", [_CENTRE])
    _import("facilities", tmp_path / "f.xlsx", db, capsys)
    row = {"姓名": "陈静", "身份证号码": NURSE, "工作单位": _CENTRE["机构名称"], "人员类别": "注册护士"}
    row |= {"专业技术职称": "初级（师）", "用工形式": "在编", "在岗状态": "在岗"}
    _fill(_template("staff", db, tmp_path, capsys), tmp_path / "s.xlsx", [row])
    _import("staff", tmp_path / "s.xlsx", db, capsys)
    trainings = tmp_path / "培训.xlsx"
    _fill(
        _template("trainings", db, tmp_path, capsys),
        trainings,
        [{"人员": f"刘德华/{NURSE}", "培训类型": "在岗培训", "开始日期": "2026-03-02", "结束日期": "2026-03-06"}],
    )
    assert main(["import", "trainings", str(trainings), "--db", db]) == 2
    out = capsys.readouterr().out
    assert NURSE not in out  # the whole number is not repeated back
    assert "登记的姓名是“陈静”" in out


_CENTRE = {
    "机构名称": "修山镇中心卫生院",
    "机构类别": "乡镇卫生院",
    "所在乡镇（街道）或村（社区）": "修山镇",
    "经济类型": "公立",
    "运营状态": "运营",
}


def test_a_clinic_names_its_health_centre_from_the_same_file(county, tmp_path, capsys):
    """A county's facilities come in one file: the clinic below names the centre above (牵头医院或管理卫生院),
    though neither was stored before; a clinic naming a centre whose row is refused is told so."""
    db = county.target
    path = tmp_path / "机构.xlsx"
    clinic = {
        "机构名称": "修山镇邹家湾社区卫生室",
        "机构类别": "村卫生室",
        "所在乡镇（街道）或村（社区）": "修山镇/邹家湾社区",
        "经济类型": "公立",
        "运营状态": "运营",
    }
    _fill(
        _template("facilities", db, tmp_path, capsys),
        path,
        [clinic | {"牵头医院或管理卫生院": _CENTRE["机构名称"]}, _CENTRE],  # the clinic first: order is the file's
    )
    out = _import("facilities", path, db, capsys)
    assert "新增 2 条" in out
    with county.session() as s:
        from sqlalchemy import select

        from db.models import Facility

        by_name = {f.name: f for f in s.scalars(select(Facility))}
        assert by_name[clinic["机构名称"]].lead_facility_id == by_name[_CENTRE["机构名称"]].id

    bad = tmp_path / "机构2.xlsx"
    _fill(
        _template("facilities", db, tmp_path, capsys),
        bad,
        [
            {**_CENTRE, "机构名称": "鸬鹚渡镇卫生院", "所在乡镇（街道）或村（社区）": "鸬鹚渡镇", "编制床位": "很多"},
            clinic | {"机构名称": "鸬鹚渡镇花桥村卫生室", "牵头医院或管理卫生院": "鸬鹚渡镇卫生院"},
        ],
    )
    assert main(["import", "facilities", str(bad), "--db", db, "--dry-run"]) == 2  # found by the check itself
    assert "所指的机构在本文件中未能导入（第3行）" in capsys.readouterr().out
    assert main(["import", "facilities", str(bad), "--db", db, "--good-rows-only"]) == 2
    out = capsys.readouterr().out
    assert "所指的机构在本文件中未能导入（第3行）" in out and "已写入 0 条记录" in out


def test_divisions_come_in_by_the_rules_of_the_divisions_page(county, tmp_path, capsys):
    """A code under its township's, no second village of a name beside the first, no parent changed by a file
    (a cycle, or a village moved without what points to it); a rename goes through."""
    db = county.target
    bad = tmp_path / "区划.xlsx"
    _fill(
        _template("divisions", db, tmp_path, capsys),
        bad,
        [
            {"上级区划": "修山镇", "名称": "北京村", "类别": "行政村", "区划代码": "110105001001"},
            {"上级区划": "修山镇", "名称": "八都村", "类别": "行政村", "区划代码": "430922101901"},
        ],
    )
    assert main(["import", "divisions", str(bad), "--db", db, "--dry-run"]) == 2
    out = capsys.readouterr().out
    assert "区划代码应以 430922101 开头" in out and "修山镇之下已有“八都村”" in out

    back = tmp_path / "区划-含记录.xlsx"
    assert main(["template", "divisions", "--with-records", "--db", db, "--out", str(back)]) == 0
    capsys.readouterr()
    wb = load_workbook(back)
    ws = wb[DATA_SHEET]
    headers = [c.value.rstrip("*") for c in ws[1] if c.value]
    rows = {ws.cell(row=r, column=2).value: r for r in range(FIRST_DATA_ROW, ws.max_row + 1)}
    ws.cell(row=rows["八都村"], column=headers.index("名称") + 1, value="八都新村")
    ws.cell(row=rows["修山镇"], column=headers.index("上级区划") + 1, value="鸬鹚渡镇")  # a township under another
    wb.save(back)
    assert main(["import", "divisions", str(back), "--db", db, "--good-rows-only"]) == 2
    out = capsys.readouterr().out
    assert "已有区划的上级区划不能通过导入修改" in out and "已写入 1 条记录" in out
    with county.session() as s:
        from db.models import Division as D

        assert s.scalar(select(func.count()).select_from(D).where(D.name == "八都新村")) == 1
        town = s.scalar(select(D).where(D.name == "修山镇"))
        assert s.get(D, town.parent_id).kind == "county"


def test_a_moved_clinic_is_not_added_twice(county, tmp_path, capsys):
    """A filled template with a clinic's place changed would add a second clinic beside the first (its staff left
    with the first): the row says to move it in the window instead."""
    db = county.target
    clinic = {
        "机构名称": "修山镇邹家湾社区卫生室",
        "机构类别": "村卫生室",
        "所在乡镇（街道）或村（社区）": "修山镇/邹家湾社区",
        "经济类型": "公立",
        "运营状态": "运营",
    }
    _fill(_template("facilities", db, tmp_path, capsys), tmp_path / "a.xlsx", [clinic])
    _import("facilities", tmp_path / "a.xlsx", db, capsys)
    moved = tmp_path / "b.xlsx"
    _fill(
        _template("facilities", db, tmp_path, capsys),
        moved,
        [clinic | {"所在乡镇（街道）或村（社区）": "修山镇/舒塘社区"}],
    )
    assert main(["import", "facilities", str(moved), "--db", db]) == 2
    out = capsys.readouterr().out
    assert "已登记同名机构“修山镇邹家湾社区卫生室”（在邹家湾社区）：如为迁址，请在窗口中修改该机构的所在地" in out


def test_in_a_city_a_clinic_naming_a_centre_stored_in_another_county_must_say_which(tmp_path, capsys, db):
    """A city's new 城关镇卫生院 in one county while another county has one: a clinic naming it bare is asked
    which, not linked to the stored one; with its county it finds the new one."""
    assert main(["setup", "--division", "4309", "--db", db.target]) == 0
    capsys.readouterr()
    with db.session() as s:
        from db.models import Division as D

        towns = s.execute(select(D.name, D.parent_id).where(D.kind == "township").order_by(D.code)).all()
        counties = dict(s.execute(select(D.id, D.name).where(D.kind == "county")).all())
    first, second = towns[0], next(t for t in towns if t.parent_id != towns[0].parent_id)
    a, b = counties[first.parent_id], counties[second.parent_id]
    centre = {"机构名称": "中心卫生院", "机构类别": "乡镇卫生院", "经济类型": "公立", "运营状态": "运营"}
    _fill(
        _template("facilities", db.target, tmp_path, capsys),
        tmp_path / "a.xlsx",
        [centre | {"所在乡镇（街道）或村（社区）": f"{a}/{first.name}"}],
    )
    _import("facilities", tmp_path / "a.xlsx", db.target, capsys)
    twin = centre | {"所在乡镇（街道）或村（社区）": f"{b}/{second.name}"}
    clinic = {
        "机构名称": "某村卫生室",
        "机构类别": "村卫生室",
        "所在乡镇（街道）或村（社区）": f"{b}/{second.name}",
        "经济类型": "公立",
        "运营状态": "运营",
    }
    path = tmp_path / "b.xlsx"
    _fill(
        _template("facilities", db.target, tmp_path, capsys),
        path,
        [twin, clinic | {"牵头医院或管理卫生院": "中心卫生院"}],
    )
    assert main(["import", "facilities", str(path), "--db", db.target, "--dry-run"]) == 2
    assert "有 2 个同名记录" in capsys.readouterr().out
    _fill(
        _template("facilities", db.target, tmp_path, capsys),
        path,
        [twin, clinic | {"牵头医院或管理卫生院": f"{b}/中心卫生院"}],
    )
    assert "新增 2 条" in _import("facilities", path, db.target, capsys)
    with db.session() as s:
        from db.models import Facility as F

        lead = s.get(F, s.scalar(select(F.lead_facility_id).where(F.name == "某村卫生室")))
        assert s.get(D, s.get(D, lead.division_id).parent_id).name == b


def test_a_credit_code_that_is_another_facilitys_is_refused_not_written_over_it(county, tmp_path, capsys):
    """A row whose name and place are one facility's and whose credit code is another's would turn the second into
    the first: the row is a problem, and both stay as they were."""
    db = county.target
    other = {**_CENTRE, "机构名称": "鸬鹚渡镇卫生院", "所在乡镇（街道）或村（社区）": "鸬鹚渡镇"}
    from desktop.validators import credit_code_check_char

    code = "12430922MB1234567" + credit_code_check_char("12430922MB1234567")
    _fill(
        _template("facilities", db, tmp_path, capsys),
        tmp_path / "a.xlsx",
        [_CENTRE, other | {"统一社会信用代码": code}],
    )
    _import("facilities", tmp_path / "a.xlsx", db, capsys)
    wrong = tmp_path / "b.xlsx"
    _fill(_template("facilities", db, tmp_path, capsys), wrong, [_CENTRE | {"统一社会信用代码": code, "实有床位": 30}])
    assert main(["import", "facilities", str(wrong), "--db", db, "--dry-run"]) == 2
    out = capsys.readouterr().out
    assert "统一社会信用代码属于已登记的“鸬鹚渡镇卫生院”，而名称和所在地属于“修山镇中心卫生院”" in out
