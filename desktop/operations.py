"""The clerk's actions that write, each in its own transaction, each saying what it changed.

An action is one call here: it takes the database, opens the one session it writes in, commits, and returns
``Done``: its result and the tables it wrote (``db.access.tables_written``, noted as each statement is sent, so
nothing has to remember to say it). The window runs it through ``desktop.ui.operations`` and re-reads only the
pages that show one of those tables. An action that is one core call is ``perform(db, lambda s: call(s, ...))``;
one with more to it (a save, which also returns the record's new version) is named below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from db.engine import Database
    from desktop.records.types import RecordType

T = TypeVar("T")


@dataclass(frozen=True)
class Done(Generic[T]):
    """What an action returned, and the tables it wrote (empty when it found nothing to change)."""

    value: T
    changed: frozenset[str]


def perform(db: Database, action: Callable[[Session], T]) -> Done[T]:
    """Run ``action`` in a new session and commit it; an exception rolls everything back and is raised as it is."""
    from db.access import tables_written

    with db.session() as session:
        value = action(session)
        session.commit()
        return Done(value, tables_written(session))


@dataclass(frozen=True)
class Saved:
    """A record's fields changed by a save: ``{field: (old, new)}``, and the record's version after it (None for a
    record type without versions)."""

    changed: dict[str, tuple[Any, Any]]
    version: int | None


def save_record(
    db: Database,
    rtype: RecordType,
    record_id: int,
    values: dict[str, Any],
    *,
    user: str,
    reason: str | None = None,
    expected_version: int | None = None,
    seen: dict[str, Any] | None = None,
    effective_on: dt.date | None = None,
) -> Done[Saved]:
    """Some fields of one record changed (a form, a cell of a list, an undo): ``desktop.records.editing.update_record``
    with the record's new version read back in the same transaction, for the next save to be based on."""
    from desktop.records.editing import update_record

    def action(session: Session) -> Saved:
        # Held here, the record update_record reads is the one it writes, and its new version is known without
        # reading it back (the session keeps only a weak reference: a statement fewer, a round trip on a server).
        record = session.get(rtype.model, record_id)
        changed = update_record(
            session, rtype, record_id, values, user=user, reason=reason,
            expected_version=expected_version, seen=seen, effective_on=effective_on,
        )  # fmt: skip
        return Saved(changed, getattr(record, "version", None))

    return perform(db, action)
