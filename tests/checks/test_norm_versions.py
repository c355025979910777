"""Norms as dated versions: a change from a date changes later periods only."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.models import NormRule, NormVersion
from desktop.norms import NormError, change_norm, default_rules, ensure_defaults, norms_in_force


def test_defaults_are_loaded_once_as_version_1(session):
    assert ensure_defaults(session) == len(default_rules()["rules"])
    assert ensure_defaults(session) == 0
    assert session.scalar(select(func.count()).select_from(NormVersion)) == len(default_rules()["rules"])
    assert set(session.scalars(select(NormVersion.version))) == {1}


def test_every_default_rule_has_a_source_and_every_check_has_a_rule():
    from desktop.checks.runner import check_rule_ids

    rules = {r["id"]: r for r in default_rules()["rules"]}
    assert set(check_rule_ids()) <= set(rules)
    for r in rules.values():
        assert r["source"]["title"] and r["source"]["item"], r["id"]
        assert r["severity"] in ("high", "medium", "low")


def test_a_change_from_july_changes_q3_and_leaves_q2(world, findings, session):
    world.add_centre(22, 30_000)  # band 20-36: within
    assert findings("bed_band", "2026Q2") == [] and findings("bed_band", "2026Q3") == []
    ensure_defaults(session)
    change_norm(session, "bed_band", dt.date(2026, 7, 1), params={"floor": 25}, note="本省标准：最低25张")
    assert findings("bed_band", "2026Q2") == []
    (f,) = findings("bed_band", "2026Q3")
    assert "最低配置25张" in f.message
    versions = session.scalars(select(NormVersion.version).join(NormRule).where(NormRule.key == "bed_band"))
    assert sorted(versions) == [1, 2]  # the old version is kept


def test_a_rule_switched_off_from_a_date(world, findings, session):
    world.add_centre(5, 30_000)
    ensure_defaults(session)
    change_norm(session, "bed_band", dt.date(2026, 7, 1), enabled=False)
    assert len(findings("bed_band", "2026Q2")) == 1
    assert findings("bed_band", "2026Q3") == []
    change_norm(session, "bed_band", dt.date(2026, 9, 1), enabled=True)
    assert len(findings("bed_band", "2026Q3")) == 1


def test_in_force_picks_the_latest_version_started_by_the_date(session):
    ensure_defaults(session)
    change_norm(session, "project_behind", dt.date(2026, 4, 1), params={"margin_points": 10})
    change_norm(session, "project_behind", dt.date(2026, 8, 1), params={"margin_points": 15})
    margins = [
        norms_in_force(session, dt.date(2026, m, 1))["project_behind"].params["margin_points"] for m in (3, 4, 7, 8)
    ]
    assert margins == [20.0, 10, 10, 15]


@pytest.mark.parametrize(
    ("rule", "kwargs", "message"),
    [
        ("no_such_rule", {"params": {"x": 1}}, "没有编号"),
        ("bed_band", {"params": {"flor": 25}}, "没有参数：flor"),
    ],
)
def test_bad_changes_are_refused_with_a_reason(session, rule, kwargs, message):
    ensure_defaults(session)
    with pytest.raises(NormError, match=message):
        change_norm(session, rule, dt.date(2026, 7, 1), **kwargs)


def test_two_versions_on_one_date_are_refused(session):
    ensure_defaults(session)
    change_norm(session, "bed_band", dt.date(2026, 7, 1), params={"floor": 25})
    with pytest.raises(NormError, match="已有一个版本"):
        change_norm(session, "bed_band", dt.date(2026, 7, 1), params={"floor": 30})
