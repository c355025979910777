"""A city reads as its counties: the 机构 tree goes 县 › 乡镇, and lists that span counties name each row's county
(a column hidden where there is one county only); a city's several 城关街道 are told apart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from db import open_database
from desktop.demo import DemoOptions, write_demo
from desktop.ui.main_window import MainWindow
from desktop.ui.pages.base import COUNTY
from tests.ui.conftest import TODAY


@pytest.fixture
def city_window(qtbot, tmp_path):
    db = open_database(tmp_path / "city.db")
    write_demo(db, DemoOptions(scale="city", city_size=3))
    win = MainWindow(db, today=TODAY)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    db.close()


def _county_column(page) -> int:
    return next(i for i, c in enumerate(page.model.columns) if c.label == COUNTY)


def test_the_city_facility_tree_goes_county_then_township(city_window):
    page = city_window.show_page("facilities")
    root = page.tree.topLevelItem(0)
    counties = [root.child(i) for i in range(root.childCount())]
    assert len(counties) == 3 and all(c.data(0, Qt.ItemDataRole.UserRole)[0] == "county" for c in counties)
    first = counties[0]
    towns = [first.child(i) for i in range(first.childCount())]
    assert towns and all(t.data(0, Qt.ItemDataRole.UserRole)[0] == "township" for t in towns)
    county_name = first.text(0).split("（")[0]
    first.setSelected(True)
    shown = {page.model.row_at(r).county for r in range(page.model.rowCount())}
    assert shown == {county_name}
    assert first.text(0) == f"{county_name}（{page.model.rowCount()}）"
    first.setSelected(False)
    towns[0].setSelected(True)
    town_id = towns[0].data(0, Qt.ItemDataRole.UserRole)[1]
    assert {page.model.row_at(r).township_id for r in range(page.model.rowCount())} == {town_id}
    assert not page.view.isColumnHidden(_county_column(page))


def test_lists_name_the_county_in_a_city_and_not_in_a_county(city_window, window):
    for key in ("facilities", "staff"):
        city_page = city_window.show_page(key)
        assert not city_page.view.isColumnHidden(_county_column(city_page)), key
        counties = {city_page.model.row_at(r).county for r in range(city_page.model.rowCount())}
        assert len(counties) == 3, key
        county_page = window.show_page(key)
        assert county_page.view.isColumnHidden(_county_column(county_page)), key


def test_the_city_findings_tell_townships_of_the_same_name_apart(city_window, qtbot):
    page = city_window.show_page("findings")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=20_000)
    assert not page.view.isColumnHidden(_county_column(page))
    labels = [page.township.itemText(i) for i in range(1, page.township.count())]
    assert labels and all(" · " in label for label in labels)
    assert len(labels) == len(set(labels))
    page.township.setCurrentIndex(1)
    county, town = page.township.currentData()
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    assert rows and all((f.where.county, f.where.township) == (county, town) for f in rows)
