"""countyhealth check / indicators / subsidies / norms, as a user runs them."""

from __future__ import annotations

import json

import pytest

from desktop.cli import main


@pytest.fixture
def demo_path(demo_db):
    return demo_db.target


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_prints_a_readable_list(capsys, demo_path):
    code, out, _ = run(capsys, "check", "--db", demo_path, "--period", "2026Q3")
    assert code == 0
    assert out.startswith("清溪县2026年第三季度核查结果（核查日期 2026-09-30")
    assert "【严重】年满60周岁乡村医生离岗退出（vd_age）" in out
    assert "依据：《章贡区加强基层卫生健康服务能力建设实施方案》（区府办字〔2020〕56号）" in out


def test_check_json_has_the_promised_keys(capsys, demo_path):
    code, out, _ = run(capsys, "check", "--db", demo_path, "--period", "2026Q3", "--json")
    assert code == 0
    data = json.loads(out)
    assert len({d["rule_id"] for d in data}) >= 8
    for d in data:
        assert {"rule_id", "severity", "where", "measured", "limit", "period", "message", "source"} <= set(d)


def test_check_one_rule_for_a_year(capsys, demo_path):
    code, out, _ = run(capsys, "check", "--db", demo_path, "--year", "2025", "--rule", "ratio_beds", "--json")
    assert code == 0
    data = json.loads(out)
    assert [d["rule_id"] for d in data] == ["ratio_beds"] and data[0]["period"] == "2025"


def test_check_with_nothing_found_still_exits_0(capsys, db):
    code, out, _ = run(capsys, "check", "--db", db.target, "--period", "2026Q3")
    assert code == 0 and "共发现问题 0 条" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--period", "2026Q5"], "报告期“2026Q5”格式不正确"), (["--rule", "beds"], "没有这些核查规则：beds")],
)
def test_bad_arguments_get_a_chinese_reason(capsys, demo_path, args, message):
    code, _, err = run(capsys, "check", "--db", demo_path, *args)
    assert code == 2 and message in err


def test_indicators(capsys, demo_path):
    code, out, _ = run(capsys, "indicators", "--db", demo_path, "--year", "2025")
    assert code == 0 and "每千人口医疗卫生机构床位数" in out and "计算" in out and "填报" in out
    code, out, _ = run(capsys, "indicators", "--db", demo_path, "--year", "2025", "--json")
    rows = {r["code"]: r for r in json.loads(out)}
    assert rows["beds_per_1000"]["computed"] and rows["beds_per_1000"]["target_value"] == 7.5
    assert rows["beds_per_1000"]["verdict"] in ("met", "not_met")


def test_indicators_without_population_say_so(capsys, demo_path):
    code, out, _ = run(capsys, "indicators", "--db", demo_path, "--year", "2022", "--json")
    rows = {r["code"]: r for r in json.loads(out)}
    assert rows["beds_per_1000"]["value"] is None and "缺少2022年常住人口" in rows["beds_per_1000"]["reason"]


def test_indicators_say_which_plan_judges_the_year(capsys, demo_path):
    _code, out, _ = run(capsys, "indicators", "--db", demo_path, "--year", "2024")
    assert "2024年按“十四五”规划（2021～2025年）的目标值判定。" in out
    _code, out, _ = run(capsys, "indicators", "--db", demo_path, "--year", "2026")
    assert "2026年不在已录入的规划期内，沿用“十四五”规划（2021～2025年）的目标值" in out
    _code, out, _ = run(capsys, "indicators", "--db", demo_path, "--year", "2019")
    assert "尚未录入2019年及以前开始的规划，没有可判定的指标。" in out


def test_subsidies(capsys, demo_path):
    code, out, _ = run(capsys, "subsidies", "--db", demo_path, "--period", "2026Q3")
    assert code == 0 and "月补贴合计" in out


def test_norms_set_and_list(capsys, demo_path):
    code, out, _ = run(
        capsys, "norms", "set", "bed_band", "--db", demo_path, "--from", "2026-07-01", "--param", "floor=25"
    )
    assert code == 0 and "第2版" in out and "2026年第三季度起各期的核查结果随之改变" in out
    code, out, _ = run(capsys, "norms", "list", "--db", demo_path, "--date", "2026-07-01")
    assert "最低床位数25张" in out and "v2（2026-07-01 起）" in out and "floor" not in out
    code, out, _ = run(capsys, "norms", "list", "--db", demo_path, "--date", "2026-06-30")
    assert "最低床位数20张" in out
    code, _, err = run(capsys, "norms", "set", "bed_band", "--db", demo_path, "--from", "2026-08-01")
    assert code == 2 and "至少指定一项修改" in err
    code, out, _ = run(
        capsys, "norms", "set", "bed_band", "--db", demo_path, "--from", "2026-09-01",
        "--source-title", "《某省床位配置标准》", "--source-number", "某卫发〔2026〕8号", "--source-item", "第五条",
    )  # fmt: skip
    assert code == 0
    code, out, _ = run(capsys, "check", "--db", demo_path, "--period", "2026Q3")
    assert "依据：《某省床位配置标准》（某卫发〔2026〕8号）第五条" in out
