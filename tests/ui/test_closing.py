"""Closing a facility: the refusal is next to its field and in view, the day it closed is kept, and a clinic with
people on post is not closed (they are transferred or leave first)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog
from sqlalchemy import func, select

from db.models import Facility, StaffMember
from tests.ui.test_pages import pick


def _clinic(db, *, staffed: bool) -> int:
    with db.session() as s:
        on_post = select(func.count()).where(StaffMember.facility_id == Facility.id, StaffMember.status == "on_post")
        query = select(Facility.id).where(Facility.kind == "village_clinic", Facility.status == "operating")
        query = query.where(on_post.scalar_subquery() > 0 if staffed else on_post.scalar_subquery() == 0)
        return s.scalars(query.order_by(Facility.id)).first()


def _form(window, facility_id: int):
    page = window.show_page("facilities")
    page.view.selectRow(page.model.view_row_of(facility_id))
    form = page.edit_selected(exec_=False)
    form.show()
    form.resize(580, 420)  # a short screen: the reason field starts out of view
    return form


def test_a_closing_without_reason_is_refused_in_view_with_the_cursor_on_the_reason(window, demo_db, qtbot):
    form = _form(window, _clinic(demo_db, staffed=False))
    pick(form.editors["status"].widget, "撤销")
    form.try_save()
    assert form.result() != QDialog.DialogCode.Accepted
    reason = form.editors["status_reason"]
    assert reason.error.text() == "撤销机构须写明原因" and reason.error.isVisible()
    viewport = form.scroll.viewport()
    top_left = reason.error.mapTo(viewport, reason.error.rect().topLeft())
    assert 0 <= top_left.y() and top_left.y() + reason.error.height() <= viewport.height()  # in view
    assert reason.widget.hasFocus()


def test_a_closing_keeps_the_day_it_holds_from(window, demo_db):
    clinic = _clinic(demo_db, staffed=False)
    form = _form(window, clinic)
    form.findChild(QDateEdit, "effectiveOn").setDate(QDate(2026, 8, 15))
    pick(form.editors["status"].widget, "撤销")
    form.editors["status_reason"].widget.setText("并入邻村卫生室")
    form.try_save()
    assert form.result() == QDialog.DialogCode.Accepted
    with demo_db.session() as s:
        closed = s.get(Facility, clinic)
        assert (closed.status, closed.status_date) == ("closed", dt.date(2026, 8, 15))


def test_a_clinic_with_people_on_post_is_not_closed(window, demo_db):
    clinic = _clinic(demo_db, staffed=True)
    form = _form(window, clinic)
    pick(form.editors["status"].widget, "撤销")
    form.editors["status_reason"].widget.setText("并入邻村卫生室")
    form.try_save()
    assert form.result() != QDialog.DialogCode.Accepted
    status = form.editors["status"]
    assert "尚有在岗人员" in status.error.text() and status.error.isVisible()
    with demo_db.session() as s:
        assert s.get(Facility, clinic).status == "operating"
