"""People's ID and phone numbers: masked everywhere by default; seeing them whole is a recorded act.

Only an account allowed to unmask (administrator, editor; anyone while sign-in is off) may, and each
time goes into the change history: whose number was shown, or which file was written with them whole.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.access import actor_of
from desktop.records.editing import log_change
from desktop.records.types import RecordType


def reveal(session: Session, rtype: RecordType, record_id: int, field_name: str) -> str | None:
    """A sensitive field's whole value, for the form's "show" button; recorded. The caller commits."""
    field = rtype.field(field_name)
    actor = actor_of(session)
    actor.require("unmask")
    record = session.get(rtype.model, record_id)
    value: str | None = getattr(record, field_name) if record is not None else None
    if value is None:
        return None
    title = getattr(record, rtype.title_field, "")
    _record(session, rtype.model.__tablename__, record_id, f"查看{title}的完整{field.label}")
    return value


def note_unmasked_file(session: Session, what: str, file_name: str) -> None:
    """Before a file is written with whole numbers: refuse if not allowed, else record it."""
    actor_of(session).require("unmask")
    _record(session, "submissions", 0, f"{what}含完整身份证号码和电话号码：{file_name}")


def _record(session: Session, table: str, row_id: int, reason: str) -> None:
    log_change(session, actor_of(session).name, table, row_id, "unmask", None, None, reason)
