"""Opening the form of a record to add or edit it, with the edit pushed on the undo stack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.lists import (
    division_choices,
    facility_choices,
    plan_choices,
    record_title,
    record_values,
    village_choices,
)
from desktop.operations import perform, save_record
from desktop.records import privacy
from desktop.records.editing import ConflictError, create_record
from desktop.records.types import RecordType
from desktop.ui.commands import push_edit
from desktop.ui.forms import RecordForm
from desktop.ui.operations import changed
from desktop.ui.pages.base import date_edit
from desktop.ui.pages.history import RecordHistoryDialog

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


def _choices(win: MainWindow, rtype: RecordType, values: dict[str, Any] | None = None) -> dict[str, list[tuple]]:
    """The drop-downs' choices; a withdrawn division stays among them only for a record that points to it."""
    out = {}
    with win.db.reading() as session:
        for f in rtype.editable:
            if f.kind == "refs" and f.ref == "division":
                out[f.name] = village_choices(session, keep=(values or {}).get(f.name) or ())
            elif f.kind == "ref" and f.ref == "division":
                out[f.name] = division_choices(session, keep=[(values or {}).get(f.name)], kinds=f.ref_kinds)
            elif f.kind == "ref" and f.ref == "facility":
                out[f.name] = facility_choices(session, keep=[(values or {}).get(f.name)])
            elif f.kind == "ref" and f.ref == "plan":
                out[f.name] = plan_choices(session)
    return out


def edit_record_dialog(
    win: MainWindow,
    rtype: RecordType,
    record_id: int,
    *,
    extra: QWidget | None = None,
    fixed: dict[str, Any] | None = None,
    parent: QWidget | None = None,
    exec_: bool = True,
    dated: bool = False,
) -> RecordForm:
    """``fixed``: fields the opening form gives (a training's person), not shown. ``dated``: the form asks from
    which day the change holds (a facility's beds or status), so that the periods before it keep the old values.
    It offers the day the window's period is read as of (its last day, or today while it runs): a clerk putting
    2026Q3's data right changes 2026Q3, and a change of this quarter holds from today."""
    since = None
    if dated:
        since = date_edit(win.period.as_of(win.today))
        since.setObjectName("effectiveOn")
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(QLabel("本次修改自"))
        line.addWidget(since)
        line.addWidget(QLabel("起生效（此前各报告期的床位、状态等不变）"))
        line.addStretch(1)
        if extra is not None:
            both = QWidget()
            stack = QVBoxLayout(both)
            stack.setContentsMargins(0, 0, 0, 0)
            stack.addWidget(extra, 1)
            stack.addWidget(row)
            extra = both
        else:
            extra = row
    with win.db.reading() as session:  # the values and the choices in one transaction
        values = record_values(session, rtype, record_id)
        title_value = record_title(session, rtype, values)
        choices = _choices(win, rtype, values)
    opened = {"version": values.pop("version", None), "seen": dict(values)}  # what this clerk's form is based on

    def save(raw: dict[str, Any]) -> None:
        if not raw:
            return
        effective_on = since.date().toPython() if since is not None else None
        try:
            done = save_record(
                win.db, rtype, record_id, raw, user=win.user,
                expected_version=opened["version"], seen=opened["seen"], effective_on=effective_on,
            )  # fmt: skip
        except ConflictError as exc:  # the form now shows the other's change and is based on it
            opened["version"], opened["seen"] = exc.version, exc.current
            raise
        if done.value.changed and opened["version"] is not None:
            opened["version"] = done.value.version
        push_edit(win, rtype, record_id, done.value, title=title_value, effective_on=effective_on)
        changed(win, done)

    def reveal(name: str) -> Any:  # the showing is recorded (who saw this person's whole number)
        return changed(win, perform(win.db, lambda session: privacy.reveal(session, rtype, record_id, name))).value

    form = RecordForm(
        rtype,
        title=f"编辑{rtype.label}：{title_value}",
        values=values,
        choices=choices,
        save=save,
        extra=extra,
        editing=True,
        reveal=reveal,
        history=lambda: win.ask(RecordHistoryDialog(win, rtype.model.__tablename__, record_id, str(title_value))),
        read_only=not win.can("edit"),
        fixed=fixed,
        parent=parent or win,
    )
    if exec_:
        form.exec()
    return form


def new_record_dialog(
    win: MainWindow,
    rtype: RecordType,
    defaults: dict[str, Any] | None = None,
    *,
    fixed: dict[str, Any] | None = None,
    parent: QWidget | None = None,
    exec_: bool = True,
) -> RecordForm:
    """``fixed``: fields the opening form gives (a training's person), not shown."""
    created: list[int] = []

    def save(raw: dict[str, Any]) -> None:
        done = perform(win.db, lambda session: create_record(session, rtype, raw, user=win.user).id)
        created.append(done.value)
        changed(win, done)

    form = RecordForm(
        rtype,
        title=f"新增{rtype.label}",
        values=defaults or {},
        choices=_choices(win, rtype),
        save=save,
        fixed=fixed,
        parent=parent or win,
    )
    form.created = created
    if exec_:
        form.exec()
    return form
