"""The checks on the demo county: many rules fire, every finding is sourced and readable."""

from __future__ import annotations

import datetime as dt
import json

from desktop.checks.runner import run_checks
from desktop.periods import Period


def test_the_demo_county_has_findings_under_many_rules(demo_db):
    with demo_db.session() as session:
        run = run_checks(session, Period(2026, 3), today=dt.date(2026, 11, 23))
    rules = run.by_rule()
    assert len(rules) >= 8, sorted(rules)
    for expected in ("bed_band", "vd_age", "project_overdue", "task_overdue", "ratio_beds", "village_coverage"):
        assert expected in rules
    for f in run.findings:
        assert f.source.startswith("《") and f.message.endswith("。") and f.rule_name
        assert f.severity in ("high", "medium", "low")
    json.dumps([f.as_dict() for f in run.findings], ensure_ascii=False, default=str)
