"""区划与人口: the tree of a county set up from the official codes, its population pasted and saved, a merge."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLineEdit, QMessageBox
from sqlalchemy import select

from db.models import Change, Division, DivisionPopulation
from desktop.division_setup import set_up_area
from desktop.ui.main_window import MainWindow
from tests.ui.conftest import TODAY, answer


@pytest.fixture
def county_window(qtbot, db, monkeypatch):
    set_up_area(db, "430922", user="老王")
    win = MainWindow(db, today=TODAY)
    qtbot.addWidget(win)
    win.show()
    return win


def _item(page, name: str):
    for item in page._items():
        if item.text(0).startswith(name):
            return item
    raise AssertionError(name)


def _townships(db) -> list[Division]:
    with db.session() as s:
        return list(s.scalars(select(Division).where(Division.kind == "township").order_by(Division.code)))


def _answer(win, monkeypatch, fill):
    """Answer the next dialog as a clerk would: ``fill`` types into it, then 确定."""

    def ask(dialog):
        if isinstance(dialog, QDialog) and not isinstance(dialog, QMessageBox):
            fill(dialog)
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.result()

    monkeypatch.setattr(win, "ask", ask)


def test_the_tree_shows_the_county_its_townships_and_villages(county_window, db):
    page = county_window.show_page("divisions")
    assert page.tree.topLevelItemCount() == 1
    county = page.tree.topLevelItem(0)
    assert county.text(0) == "桃江县" and county.text(1) == "430922000000" and county.isExpanded()
    assert county.childCount() == 15
    first = county.child(0)
    assert first.childCount() > 0 and first.child(0).text(1).startswith(first.text(1)[:9])
    # nothing selected: every village and community of the county in the grid, for the window's year
    assert page.model.rowCount() == 247 and page.year.value() == TODAY.year
    assert page.model.headerData(2, Qt.Orientation.Horizontal) == "常住人口（人）"
    page.tree.setCurrentItem(first)
    assert page.model.rowCount() == first.childCount()


def test_a_pasted_block_is_saved_as_two_population_rows(county_window, db):
    page = county_window.show_page("divisions")
    township = page.tree.topLevelItem(0).child(0)
    township_id = township.data(0, Qt.ItemDataRole.UserRole)
    page.tree.setCurrentItem(township)
    page.grid.setCurrentIndex(page.model.index(0, 2))
    assert page.grid.paste_text("1,520\t1430\n980\t900\n") == 4
    assert page.model.dirty and "4 处修改尚未保存" in page.status.text()
    assert page.model.data(page.model.index(0, 2), Qt.ItemDataRole.BackgroundRole) is not None  # marked
    assert page.save()
    with db.session() as s:
        rows = s.scalars(select(DivisionPopulation).order_by(DivisionPopulation.division_id)).all()
        assert [(p.year, p.resident, p.registered) for p in rows] == [(TODAY.year, 1520, 1430), (TODAY.year, 980, 900)]
        assert s.get(Division, rows[0].division_id).parent_id == township_id
    assert not page.model.dirty and "新增 2 个" in page.status.text()
    assert page.model.data(page.model.index(0, 2)) == "1,520"


def test_bad_cells_are_marked_and_nothing_is_written(county_window, db):
    page = county_window.show_page("divisions")
    page.tree.setCurrentItem(page.tree.topLevelItem(0).child(0))
    page.grid.setCurrentIndex(page.model.index(0, 2))
    page.grid.paste_text("1,520\t一千\n100\t\t120")
    assert not page.save()
    assert "有 2 处填写有误，全部未保存" in page.status.text()
    assert set(page.model.errors) == {
        (page.model.rows[0].division_id, "registered"),
        (page.model.rows[1].division_id, "rural"),
    }
    with db.session() as s:
        assert not s.scalars(select(DivisionPopulation)).all()


def test_unsaved_figures_are_asked_about_before_leaving(county_window, monkeypatch):
    page = county_window.show_page("divisions")
    page.grid.setCurrentIndex(page.model.index(0, 2))
    page.grid.paste_text("100")
    monkeypatch.setattr(county_window, "ask", lambda box: answer(box, "返回"))
    county_window.show_page("staff")
    assert county_window.current_page() is page and page.model.dirty
    monkeypatch.setattr(county_window, "ask", lambda box: answer(box, "放弃修改"))
    county_window.show_page("staff")
    assert county_window.current_page() is county_window.pages["staff"]


def test_a_merge_through_the_page_moves_the_villages(county_window, db, monkeypatch):
    source, target = _townships(db)[:2]
    page = county_window.show_page("divisions")
    page.tree.setCurrentItem(_item(page, source.name))
    villages = _item(page, source.name).childCount()

    def choose(dialog):
        combo = dialog.findChild(QComboBox, "mergeTarget")
        combo.setCurrentIndex(combo.findData(target.id))

    _answer(county_window, monkeypatch, choose)
    assert page.merge()
    with db.session() as s:
        assert s.get(Division, source.id).withdrawn_on == TODAY
        moved = s.scalars(select(Division).where(Division.parent_id == target.id)).all()
        assert len([v for v in moved if v.code[:9] == source.code[:9]]) == villages
        assert s.scalars(select(Change).where(Change.reason.like("撤乡并镇%"))).first() is not None
    merged = _item(page, source.name)
    assert merged.text(0) == f"{source.name}（已撤销）" and merged.childCount() == 0
    assert f"已将{source.name}并入{target.name}" in page.status.text()


def test_a_village_is_added_and_a_township_marked_remote(county_window, db, monkeypatch):
    township = _townships(db)[0]
    page = county_window.show_page("divisions")
    page.tree.setCurrentItem(_item(page, township.name))

    def fill(dialog):
        dialog.findChild(QLineEdit, "divisionName").setText("新建村")

    _answer(county_window, monkeypatch, fill)
    assert page.add()
    assert page.tree.selectedItems()[0].text(0) == "新建村"
    with db.session() as s:
        made = s.scalars(select(Division).where(Division.name == "新建村")).one()
        assert made.parent_id == township.id and made.code.startswith(township.code[:9])
    page.select(township.id)
    assert page.toggle_remote()
    assert _item(page, township.name).text(0) == f"{township.name}（边远）"


def test_a_paste_with_its_header_row_takes_the_figures_only(qtbot, db):
    """A block copied from Excel with its header line (常住人口 户籍人口 …) pastes the figures, not red cells."""
    from desktop.division_setup import set_up_area
    from desktop.ui.main_window import MainWindow
    from desktop.ui.population_grid import PopulationModel

    set_up_area(db, "430922", user="测试")
    win = MainWindow(db)
    qtbot.addWidget(win)
    page = win.show_page("divisions")
    page.ensure_fresh()
    model = page.model
    done = model.paste(0, PopulationModel.FIRST_FIELD, "常住人口\t户籍人口\n1,520\t1430\n980\t900\n")
    assert done == 4 and not model.errors
    # Headers with digits in them (65岁及以上人口, 0-3岁人口) are headers all the same: nothing moves down a row.
    done = model.paste(0, PopulationModel.FIRST_FIELD + 3, "65岁及以上人口\t0-3岁人口\n300\t20\n")
    assert done == 2 and not model.errors
    assert model.index(0, PopulationModel.FIRST_FIELD + 3).data() in ("300", 300)


def test_unsaved_figures_are_asked_about_before_another_database_opens(county_window, monkeypatch, tmp_path):
    """Figures typed for this database's villages are never saved into another's: opening one asks first, and
    the grid forgets them once it is open."""
    page = county_window.show_page("divisions")
    page.grid.setCurrentIndex(page.model.index(0, 2))
    page.grid.paste_text("100")
    asked = []
    monkeypatch.setattr(county_window, "ask", lambda box: asked.append(box.text()) or answer(box, "返回"))
    before = county_window.db
    assert county_window.switch_database(str(tmp_path / "另一个.db")) is False
    assert county_window.db is before and page.model.dirty and "打开另一个数据库" in asked[0]
    closing = QCloseEvent()
    county_window.closeEvent(closing)
    assert not closing.isAccepted() and county_window.db is before
