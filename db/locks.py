"""Approved areas are locked: once a township's (or county's) file for a period is approved, its records here
are what was approved, and no edit in this database may change them until the period is reopened (with a
reason). Checked before every flush, whoever writes; the approval's own merge is the one exception."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from db.access import guard_table_write
from db.errors import AccessDenied

MERGING = "exchange_merge"  # session.info flag set by the approval's merge
_CACHE = "locked_areas"

# How each kind of record finds the division it belongs to: (column, the table that column refers to).
_OWNER = {
    "divisions": ("id", None),
    "division_populations": ("division_id", None),
    "facilities": ("division_id", None),
    "key_tasks": ("division_id", None),
    "staff": ("facility_id", "facilities"),
    "projects": ("facility_id", "facilities"),
    "facility_equipment": ("facility_id", "facilities"),
    "service_areas": ("facility_id", "facilities"),
    "special_funds": ("facility_id", "facilities"),
    "trainings": ("staff_id", "staff"),
    "staff_loans": ("staff_id", "staff"),
    "project_funding": ("project_id", "projects"),
    "project_updates": ("project_id", "projects"),
    "task_cooperating_units": ("task_id", "key_tasks"),
    "task_updates": ("task_id", "key_tasks"),
}


def locked_areas(session: Session) -> dict[int, str]:
    """Division id -> why it is locked, for every sender whose latest file is approved (cached per transaction)."""
    cached: dict[int, str] | None = session.info.get(_CACHE)
    if cached is not None:
        return cached
    from db.models import Division, ExchangeReceipt

    latest: dict[str, ExchangeReceipt] = {}
    with session.no_autoflush:
        for receipt in session.scalars(select(ExchangeReceipt).order_by(ExchangeReceipt.id)):
            if receipt.status != "superseded":
                latest[receipt.division_code] = receipt
        approved = {code: r for code, r in latest.items() if r.status == "approved"}
        out: dict[int, str] = {}
        if approved:
            children: dict[int | None, list[int]] = {}
            roots = {}
            for division_id, parent_id, code in session.execute(select(Division.id, Division.parent_id, Division.code)):
                children.setdefault(parent_id, []).append(division_id)
                if code in approved:
                    roots[division_id] = approved[code]
            for root, receipt in roots.items():
                why = (
                    f"“{receipt.sender_name}”{_label(receipt.period)}的数据已于 {receipt.decided_at:%Y-%m-%d} "
                    f"由{receipt.decided_by}审核锁定"
                )
                todo = [root]
                while todo:
                    current = todo.pop()
                    out[current] = why
                    todo.extend(children.get(current, ()))
    session.info[_CACHE] = out
    return out


def _label(period: str) -> str:
    if "Q" in period:
        year, quarter = period.split("Q")
        return f"{year}年第{'一二三四'[int(quarter) - 1]}季度"
    return f"{period}年"


_MODELS: dict[str, type] = {}  # table name -> model, filled on first use


def _model(table: str) -> type:
    from db.models import Base

    if not _MODELS:
        _MODELS.update({m.class_.__tablename__: m.class_ for m in Base.registry.mappers})
    return _MODELS[table]


def _division_of(session: Session, table: str, value: int | None) -> int | None:
    while value is not None:
        column, parent = _OWNER[table]
        if parent is None:
            return value
        record = session.get(_model(parent), value)
        if record is None:
            return None
        table, value = parent, getattr(record, _OWNER[parent][0])
    return None


def guard_locked_areas(session: Session, _context: object, _instances: object) -> None:
    if session.info.get(MERGING):
        return
    touched = [
        obj
        for obj in (*session.new, *session.dirty, *session.deleted)
        if getattr(obj, "__tablename__", None) in _OWNER and (obj not in session.dirty or session.is_modified(obj))
    ]
    if not touched:
        return
    locked = locked_areas(session)
    if not locked:
        return
    with session.no_autoflush:
        for obj in touched:
            column, _parent = _OWNER[obj.__tablename__]
            start = getattr(obj, column)
            if obj.__tablename__ == "divisions" and obj in session.new:
                start = obj.parent_id
            division = _division_of(session, obj.__tablename__, start)
            _refuse_if_locked(locked, division)


def guard_inserted(session: Session, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """The same rules for rows written by an INSERT statement (a bulk import's), which no flush sees: refused, the
    whole statement, before it is built, if the actor may not write the table (a viewer; the statement would be
    refused as it is sent) or one of the rows lies in a locked area."""
    guard_table_write(session, table)
    if table not in _OWNER or session.info.get(MERGING):
        return
    locked = locked_areas(session)
    if not locked:
        return
    column = "parent_id" if table == "divisions" else _OWNER[table][0]  # a new division lies under its parent
    with session.no_autoflush:
        for start in {row.get(column) for row in rows}:
            _refuse_if_locked(locked, _division_of(session, table, start))


def _refuse_if_locked(locked: dict[int, str], division: int | None) -> None:
    if division in locked:
        raise AccessDenied(
            f"{locked[division]}，不能在此修改。如需更正，请先在“数据交换”中重新打开该期（须写明原因）。"
        )


def _forget(session: Session, *_args: object) -> None:
    session.info.pop(_CACHE, None)


def _forget_at_end(session: Session, transaction: SessionTransaction) -> None:
    # A savepoint released changes nothing its transaction does not already see (SQLAlchemy fires after_commit for
    # it too: an import's batches each read the locks again).
    if transaction.parent is None:
        _forget(session)


def install_locks(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", guard_locked_areas)
    event.listen(factory, "after_transaction_end", _forget_at_end)
    for name in ("after_rollback", "after_soft_rollback"):  # a savepoint undone may have undone an approval
        event.listen(factory, name, _forget)
