from __future__ import annotations

import datetime as dt

import pytest

from desktop.checks.runner import run_checks
from desktop.periods import Period
from tests.factories import World

TODAY = dt.date(2026, 11, 23)
AS_OF = dt.date(2026, 9, 30)  # the date of 2026Q3


@pytest.fixture
def session(db):
    with db.session() as s:
        yield s


@pytest.fixture
def world(session):
    return World(session)


@pytest.fixture
def findings(session):
    def run(rule: str, period: str = "2026Q3"):
        return run_checks(session, Period.parse(period), today=TODAY, rule_ids=[rule]).findings

    return run
