"""The 规划指标 page: a clerk enters her 十五五 plan and its bed target in the forms, and 2026 is judged by it on
the page and in the findings, which agree."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from desktop.checks.runner import run_checks
from desktop.periods import Period
from tests.ui.conftest import TODAY
from tests.ui.test_pages import pick


def test_a_plan_and_its_target_entered_in_the_forms_judge_the_year(qtbot, window, demo_db):
    page = window.show_page("indicators")
    page.year.setValue(2026)
    assert page.plan_note.text().startswith("2026年不在已录入的规划期内，沿用“十四五”规划（2021～2025年）的目标值")

    form = page.add_plan(exec_=False)
    assert form.editors["start_year"].widget.text() == "2026" and form.editors["end_year"].widget.text() == "2030"
    form.editors["name"].widget.setText("十五五")
    form.editors["source"].widget.setText("《清溪县“十五五”卫生健康事业发展规划》")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted
    page.ensure_fresh()
    assert page.plan_note.text() == "2026年按“十五五”规划（2026～2030年）的目标值判定。"
    assert page.model.rowCount() == 0  # the new plan has no indicators yet

    form = page.add_indicator(exec_=False)
    assert form.editors["plan_id"].widget.currentText() == "十五五"  # the plan of the year shown
    for name, text in (("domain", "卫生资源"), ("name", "每千人口医疗卫生机构床位数"), ("unit", "张")):
        form.editors[name].widget.setText(text)
    form.editors["target_year"].widget.setText("2030")
    form.editors["target_value"].widget.setText("6")
    pick(form.editors["computed_by"].widget, "每千人口医疗卫生机构床位数")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted, {n: e.error.text() for n, e in form.editors.items()}
    page.ensure_fresh()
    (row,) = page.model.rows
    assert row.target_value == 6 and row.computed and row.verdict == "not_met"  # the demo county has 5.46

    with demo_db.session() as s:
        (finding,) = run_checks(s, Period(2026, 3), today=TODAY, rule_ids=["ratio_beds"]).findings
    assert f"为{row.value:.2f}张/千人，低于“十五五”规划2030年目标值6。" in finding.message
    assert finding.source == "《清溪县“十五五”卫生健康事业发展规划》"
