"""The benchmark harness: its fit, its goals, and a small real run through ``python -m tests.benchmarks``."""

from __future__ import annotations

import math
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.benchmarks.goals import LINEAR, evaluate
from tests.benchmarks.harness import growth_exponent, growth_interval
from tests.benchmarks.jobs import all_jobs

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("k", [0.0, 0.5, 1.0, 1.5, 2.0])
def test_the_growth_exponent_recovers_a_power_law(k):
    sizes = [1, 3, 10]
    assert growth_exponent(sizes, [0.2 * n**k for n in sizes]) == pytest.approx(k)


def test_a_fixed_cost_makes_a_linear_job_look_slower_than_linear_and_n_log_n_is_caught():
    sizes = [1, 3, 10]
    assert 0.0 < growth_exponent(sizes, [1.0 + 0.1 * n for n in sizes]) < 1.0
    people = [2604 * n for n in sizes]  # the demo cities' staff
    assert growth_exponent(sizes, [p * math.log(p) for p in people]) > 1.1
    assert growth_exponent([10], [1.0]) is None


def test_noise_widens_the_interval_but_n_log_n_still_lies_above_linear():
    sizes, rng = [1, 3, 10], random.Random(7)
    noisy = lambda t, n: [t * rng.uniform(0.9, 1.15) for _ in range(n)]  # noqa: E731
    linear = [noisy(0.2 * n, runs) for n, runs in zip(sizes, [15, 10, 5], strict=True)]
    low, high = growth_interval(sizes, linear)
    assert low <= LINEAR <= high
    n_log_n = [noisy(1e-5 * p * math.log(p), runs) for p, runs in zip([2604, 7812, 26040], [15, 10, 5], strict=True)]
    low, high = growth_interval(sizes, n_log_n)
    assert LINEAR < low < 1.11 < high


def _result(project: float, baseline: float, peak: float = 100.0) -> dict:
    side = lambda t: {"median": t, "times": [t], "peak_mb": peak, "notes": {}}  # noqa: E731
    return {"project": side(project), "baseline": side(baseline)}


def test_goals_are_judged_at_the_largest_size_and_a_superlinear_job_fails():
    results = {
        "checks": {
            "sizes": {1: _result(0.1, 0.1), 10: _result(2.5, 0.5)},
            "growth": {"project": 1.4},
            "growth_interval": [1.25, 1.5],
        },
        "export": {"sizes": {10: _result(3.0, 2.5)}, "growth": {"project": 1.03}, "growth_interval": [0.97, 1.09]},
        "staff_open": {"sizes": {10: _result(0.4, 0.01, peak=650)}, "growth": {}},
        "report": {"sizes": {1: _result(2.0, 1.0), 10: _result(20.0, 2.0)}, "growth": {}},
    }
    verdicts = {text: (measured, met) for text, measured, met in evaluate(results, 10)}
    assert verdicts["all checks under 2 s"] == ("2.500 s", False)
    assert verdicts["export within 1.5x its baseline"] == ("1.20x", True)
    assert verdicts["peak memory of the window under 600 MB"] == ("650 MB (staff_open)", False)
    assert verdicts["the PDF under 15 s"] == ("20.000 s", False)
    assert verdicts["the PDF for one county under 3 s (the report issue)"] == ("2.000 s", True)
    assert verdicts["the frozen app starts within 1.5x the venv (the packaging issue)"] == ("not measured", None)
    linear = "grows no faster than linearly"
    assert verdicts[f"checks: {linear}"] == ("k = 1.40 (90% interval 1.25 to 1.50)", False)
    assert verdicts[f"export: {linear}"] == ("k = 1.03 (90% interval 0.97 to 1.09)", True)


def test_every_job_of_the_issue_is_benchmarked():
    keys = {job.key for job in all_jobs()}
    assert {"start", "staff_open", "staff_filter", "checks", "export", "import_dry", "import_real", "report"} <= keys
    assert "demo_write" in keys
    assert "import_new" in keys  # a first day's roster, every person new (issue 18)
    assert {"sealed_staff_open", "sealed_export", "sealed_import"} <= keys  # sign-in on beside off (issue 20)


def test_a_partial_run_prints_the_table_and_leaves_results_md_alone():
    results = ROOT / "tests" / "benchmarks" / "RESULTS.md"
    before = results.read_bytes() if results.exists() else None
    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks", "--only", "checks", "--sizes", "1", "3"],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "demo city of 3 counties written" in out
    assert "all checks, 3 counties:" in out and "the quarterly PDF report, 1 county:" not in out
    assert "growth: k in time ~ counties^k" in out
    assert "met      all checks under 2 s" in out
    assert "not run  start under 2 s" in out
    assert (results.read_bytes() if results.exists() else None) == before


def test_round_trips_count_each_statement_and_each_transactions_begin_and_end(tmp_path):
    from sqlalchemy import text

    from db import open_database
    from tests.benchmarks.bench_server import RoundTrips

    db = open_database(tmp_path / "t.db")
    try:
        trips = RoundTrips(db.engine)
        with db.reading() as session:  # BEGIN, two statements, ROLLBACK
            session.execute(text("SELECT 1")).all()
            session.execute(text("SELECT 2")).all()
        assert trips.count == 4
        trips.count = 0
        with db.session() as session:  # a transaction that sent nothing sends neither its BEGIN nor its end
            session.commit()
        assert trips.count == 0
    finally:
        db.close()


def test_the_link_table_says_how_many_round_trips_a_ratio_leaves_room_for():
    from tests.benchmarks.bench_server import DELAY
    from tests.benchmarks.harness import Job
    from tests.benchmarks.results import _link

    def job(key: str, server: bool) -> Job:
        return Job(key, f"{key}, on the server", "", "", lambda c: None, lambda c: None, server=server)

    server = _result(0.016, 0.004)
    server["project"]["notes"] = {"round trips": 5}
    run = {
        "jobs": [job("server_page_history", True), job("checks", False)],
        "results": {"server_page_history": {"sizes": {1: _result(1.0, 1.0), 10: server}}, "checks": {}},
    }
    ((title, trips, added, per, room, allowed),) = _link(run)
    assert (title, trips) == ("server_page_history", 5)
    assert added == pytest.approx(0.012) and per == pytest.approx(0.0024) and room == pytest.approx(0.0012)
    assert allowed == int(0.0012 // (2 * DELAY)) == 0
