"""Projects overdue or behind, THC special funds, tasks overdue or stale; each at its limit."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import AS_OF


@pytest.fixture
def centre(world):
    return world.add_centre(30, 30_000)


@pytest.mark.parametrize(
    ("end", "updates", "found"),
    [
        (AS_OF, [], False),  # due today: not yet overdue
        (AS_OF - dt.timedelta(days=1), [], True),
        (AS_OF - dt.timedelta(days=1), [(dt.date(2026, 9, 1), "completed", 100)], False),
        (AS_OF - dt.timedelta(days=1), [(dt.date(2026, 10, 15), "completed", 100)], True),  # finished too late
    ],
)
def test_project_overdue(world, centre, findings, end, updates, found):
    world.add_project(centre, dt.date(2025, 1, 1), end, updates=updates)
    assert bool(findings("project_overdue")) is found


@pytest.mark.parametrize(("progress", "found"), [(30.0, False), (29.9, True), (60.0, False)])
def test_project_behind(world, centre, findings, progress, found):
    # Planned over 200 days; 100 days elapsed on 2026-09-30: 50% of the time, so 30% is exactly 20 points behind.
    start = AS_OF - dt.timedelta(days=100)
    world.add_project(
        centre,
        start,
        start + dt.timedelta(days=200),
        updates=[(AS_OF - dt.timedelta(days=5), "construction", progress)],
    )
    result = findings("project_behind")
    assert bool(result) is found
    if found:
        assert "落后20.1个百分点" in result[0].message


def test_progress_is_read_as_reported_on_the_check_date(world, centre, findings):
    start = dt.date(2026, 1, 1)
    world.add_project(
        centre,
        start,
        dt.date(2026, 12, 31),
        updates=[(dt.date(2026, 3, 31), "design", 5), (dt.date(2026, 9, 30), "construction", 70)],
    )
    assert findings("project_behind") == []  # Q3: 70% with 75% of the time gone
    assert len(findings("project_behind", "2026Q2")) == 1  # Q2: 5% with 50% gone


@pytest.mark.parametrize(("amount", "found"), [(None, True), (9.9, True), (10, False), (30, False), (30.1, True)])
def test_special_funds(world, centre, findings, amount, found):
    if amount is not None:
        world.add_fund(centre, amount)
    world.add_fund(centre, 2, year=2025)  # another year's figure does not count
    result = findings("thc_special_funds")
    assert bool(result) is found


@pytest.mark.parametrize(
    ("deadline", "status", "found"),
    [
        (AS_OF, "in_progress", False),
        (AS_OF - dt.timedelta(days=1), "in_progress", True),
        (AS_OF - dt.timedelta(days=1), "done", False),
        (None, "in_progress", False),
    ],
)
def test_task_overdue(world, findings, deadline, status, found):
    world.add_task(deadline, status=status)
    result = findings("task_overdue")
    assert bool(result) is found
    if found:
        assert "牵头单位：县卫生健康局" in result[0].message


def test_a_task_done_after_the_check_date_was_overdue_then(world, findings):
    world.add_task(
        dt.date(2026, 6, 30),
        status="done",
        updates=[(dt.date(2026, 5, 1), "in_progress"), (dt.date(2026, 10, 20), "done")],
    )
    assert len(findings("task_overdue")) == 1
    assert findings("task_overdue", "2026Q4") == []


@pytest.mark.parametrize(
    ("update", "status", "found"),
    [
        (dt.date(2026, 7, 1), "in_progress", False),
        (dt.date(2026, 6, 30), "in_progress", True),
        (dt.date(2026, 6, 30), "done", False),
    ],
)
def test_task_stale(world, findings, update, status, found):
    world.add_task(dt.date(2027, 12, 31), status=status, updates=[(update, status)])
    assert bool(findings("task_stale")) is found


def test_a_task_never_updated_is_stale(world, findings):
    world.add_task(dt.date(2027, 12, 31), status="not_started")
    (f,) = findings("task_stale")
    assert "从未填报进展" in f.message


def test_a_tasks_finding_names_its_ledger_and_cites_the_document_that_set_it(world, findings):
    """A task of a medical-group ledger is overdue against that ledger's own document, not the reform list's."""
    own = "《贵州省加快推进紧密型城市医疗集团建设工作方案》"
    task = world.add_task(dt.date(2026, 6, 30), source_document=own)
    (f,) = findings("task_overdue")
    assert f.source == own
    assert f.message == (
        f"测试台账{task.number}{task.title}（牵头单位：县卫生健康局）应于2026年6月30日完成，"
        "截至2026年9月30日仍为“推进中”，已逾期92天。"
    )
    (stale,) = findings("task_stale")
    assert (
        stale.source == own and "自2026年7月1日以来" in stale.message or "从未填报进展（2026年7月1日起" in stale.message
    )
    bare = world.add_task(dt.date(2026, 6, 30))  # a task whose document is not recorded: the rule's own source
    assert next(f for f in findings("task_overdue") if f.where.id == bare.id).source.startswith("《")
