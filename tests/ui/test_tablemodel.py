"""The one list model: its sort survives filtering and new rows, and falls back to text for mixed columns."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.ui.tablemodel import Column, ListModel


def _names(model: ListModel) -> list[str]:
    return [model.row_at(i)[0] for i in range(model.rowCount())]


def test_the_sort_holds_through_a_filter_and_is_remade_for_new_rows(qapp):
    model = ListModel([Column("名称", lambda r: r[0]), Column("数值", lambda r: r[1], numeric=True)])
    model.set_rows([("a", 3), ("b", None), ("c", 1), ("d", 2)])
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert _names(model) == ["c", "d", "a", "b"]  # empty cells last
    model.set_visible([0, 1, 2])
    assert _names(model) == ["c", "a", "b"]
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert _names(model) == ["b", "a", "c"]
    model.set_rows([("x", 5), ("y", 4), ("z", 6)], visible=[0, 1])
    assert _names(model) == ["x", "y"]  # the new rows' own values, not the old ones'
    model.set_rows([("m", "乙"), ("n", 2), ("o", None)])
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert _names(model) == ["n", "m", "o"]  # mixed numbers and text: compared as text, empty still last
