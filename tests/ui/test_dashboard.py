"""The dashboard: each figure against the previous quarter and the same quarter a year before, indicators with
their units and ≥/≤, the townships with most findings, and a city's bed chart by county."""

from __future__ import annotations

import datetime as dt

from desktop.figures import headline_figures
from desktop.periods import Period
from tests.ui.conftest import TODAY
from tests.ui.test_city_lists import city_window  # noqa: F401 (a fixture)


def test_the_cards_say_the_change_from_the_last_quarter_and_a_year_before(window, demo_db, qtbot):
    page = window.show_page("dashboard")
    qtbot.waitUntil(lambda: bool(page.cards["staff_on_post"].change.text()), timeout=20_000)
    with demo_db.session() as s:
        now, before, year_ago = (
            headline_figures(s, p, today=TODAY, subsidies=False, findings=False).staff_on_post
            for p in (Period(2026, 3), Period(2026, 2), Period(2025, 3))
        )
    change = page.cards["staff_on_post"].change.text()
    expected = [f"{now - then:+,}".replace("-", "−") if now != then else "持平" for then in (before, year_ago)]
    assert change == f"较上季 {expected[0]}，较去年同期 {expected[1]}"
    assert now != year_ago  # the demo hires people: the comparison says something
    text = page.indicators.text()
    assert "张" in text and "≥" in text  # a unit after each value, the target's direction before it


def test_the_townships_with_most_findings_are_named_in_order(window, qtbot):
    page = window.show_page("dashboard")
    qtbot.waitUntil(lambda: "—" not in page.severity_buttons["high"].text(), timeout=20_000)
    ranked = page.towns_label.text()
    assert ranked.startswith("问题最多的乡镇（街道）：")
    counts = [int(part.split()[-2]) for part in ranked.split("：", 1)[1].split("、")]
    assert len(counts) == 5 and counts == sorted(counts, reverse=True)


def test_a_citys_bed_chart_is_by_county(city_window, qtbot):  # noqa: F811
    page = city_window.show_page("dashboard")
    qtbot.waitUntil(lambda: "按县统计" in page.chart_title.text(), timeout=20_000)
    assert page.chart.renderer().isValid()


def test_period_neighbours():
    assert Period(2026, 1).previous_quarter() == Period(2025, 4)
    assert Period(2026, 3).previous_quarter() == Period(2026, 2)
    assert Period(2026).previous_quarter() == Period(2025)
    assert Period(2026, 3).year_before() == Period(2025, 3)
    assert dt.date(2025, 9, 30) == Period(2026, 3).year_before().end
