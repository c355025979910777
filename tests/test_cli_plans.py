"""countyhealth plans: a bureau lists its plans, adds its 十五五, imports its targets from its own sheet, and the
indicator table and the check of 2026 both judge by them; the export reads back unchanged."""

from __future__ import annotations

import json

from openpyxl import Workbook, load_workbook

from tests.test_cli_checks import demo_path, run  # noqa: F401  (a fixture)


def test_a_bureau_enters_its_15th_plan_from_the_command_line(capsys, demo_path, tmp_path):  # noqa: F811
    code, out, _ = run(capsys, "plans", "list", "--db", demo_path, "--json")
    shipped = {"name": "十四五", "years": "2021～2025年", "indicators": 29}
    assert code == 0 and json.loads(out) == [shipped | {"source": "《安康市“十四五”卫生健康事业发展规划》"}]
    source = "《清溪县“十五五”卫生健康事业发展规划》"
    code, out, _ = run(capsys, "plans", "add", "十五五", "--years", "2026-2030", "--source", source, "--db", demo_path)
    assert code == 0 and out.startswith("已添加“十五五”规划（2026～2030年）。")
    code, _out, err = run(capsys, "plans", "add", "十五五", "--years", "2026-2030", "--db", demo_path)
    assert code != 0 and "十五五" in err
    code, _out, err = run(capsys, "plans", "add", "十六五", "--years", "2035-2031", "--db", demo_path)
    assert code != 0 and "终止年度（2031）不能早于起始年度（2035）" in err

    sheet = tmp_path / "十五五指标.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["清溪县“十五五”主要指标"])
    header = "序号 规划 领域 指标 计量单位 基期年份 基期值 目标年份 目标值 方向 指标属性 计算口径"
    ws.append(header.split())
    ws.append([1, "十五五", "卫生资源", "每千人口医疗卫生机构床位数", "张", 2025, 5.5, 2030, 7, "≥", "预期性",
               "每千人口医疗卫生机构床位数"])  # fmt: skip
    ws.append([2, "十五五", "健康水平", "人均预期寿命", "岁", 2025, 77.3, 2030, 78, "不低于", "预期性", None])
    wb.save(sheet)
    code, out, _ = run(capsys, "plans", "import", str(sheet), "--db", demo_path)
    assert code == 0 and "新增 2 条" in out and "已写入 2 条记录。" in out, out

    code, out, _ = run(capsys, "plans", "show", "十五五", "--db", demo_path)
    assert out.startswith(f"“十五五”规划（2026～2030年）{source}")
    assert "每千人口医疗卫生机构床位数" in out and "≥7（2030年）" in out and "由台账计算" in out
    code, out, _ = run(capsys, "indicators", "--db", demo_path, "--year", "2026", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert set(rows) == {"每千人口医疗卫生机构床位数", "人均预期寿命"}
    beds = rows["每千人口医疗卫生机构床位数"]
    assert beds["target_value"] == 7 and beds["verdict"] == "not_met"
    code, out, _ = run(capsys, "check", "--db", demo_path, "--period", "2026Q3", "--rule", "ratio_beds", "--json")
    (finding,) = json.loads(out)
    assert f"为{beds['value']:.2f}张/千人，低于“十五五”规划2030年目标值7。" in finding["message"]
    code, out, _ = run(capsys, "check", "--db", demo_path, "--period", "2026Q3", "--rule", "ratio_nurses")
    assert "无判定依据的规则：每千人口注册护士数（县域）（“十五五”规划（2026～2030年）未设该指标的目标值）" in out

    exported = tmp_path / "导出.xlsx"
    code, out, _ = run(capsys, "plans", "export", "--out", str(exported), "--db", demo_path)
    assert code == 0 and exported.exists()
    code, out, _ = run(capsys, "plans", "import", str(exported), "--db", demo_path, "--dry-run")
    assert code == 0 and "新增 0 条，修改 0 条，未变 31 条" in out, out
    wb = load_workbook(exported)  # the bed target raised, and imported back: the indicator itself, changed
    ws = wb["数据"]
    header = [c.value for c in ws[1]]
    name, target = header.index("指标名称*"), header.index("目标值")
    plan = header.index("所属规划*")
    for row in ws.iter_rows(min_row=3):
        if row[plan].value == "十五五" and row[name].value == "每千人口医疗卫生机构床位数":
            row[target].value = 7.8
    wb.save(exported)
    code, out, _ = run(capsys, "plans", "import", str(exported), "--db", demo_path)
    assert code == 0 and "新增 0 条，修改 1 条，未变 30 条" in out, out
