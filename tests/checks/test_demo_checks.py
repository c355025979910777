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


def test_every_finding_reads_as_an_official_document_writes(demo_db):
    """Issue 19's style points, on every finding of the demo county: dates as 2026年2月23日, numbers set close to
    the words around them, ranges with ～, and no finding that names a limit equal to what it condemns."""
    import re

    with demo_db.session() as session:
        run = run_checks(session, Period(2026, 3), today=dt.date(2026, 11, 23))
    assert len(run.findings) > 50
    cjk = "\u4e00-\u9fff（）“”，、；：%"
    rules = {
        "ISO date": re.compile(r"\d{4}-\d{2}-\d{2}"),
        "space beside a number": re.compile(rf"[{cjk}] \d|\d [{cjk}]"),
        "range with a hyphen": re.compile(r"\d-\d"),
    }
    for f in run.findings:
        for name, pattern in rules.items():
            assert not pattern.search(f.message), (name, f.rule_id, f.message)
