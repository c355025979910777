"""The change history: who changed which record, when, from what to what."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, Date, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.codes import CHANGE_ACTION, sql_in
from db.models.base import Base
from db.vault import SealedJSON


class Change(Base):
    __tablename__ = "changes"
    __table_args__ = (
        CheckConstraint(sql_in("action", CHANGE_ACTION), name="action"),
        CheckConstraint("action <> 'strike' OR length(trim(coalesce(reason, ''))) > 0", name="strike_needs_reason"),
        Index("ix_changes_record", "table_name", "row_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    user: Mapped[str] = mapped_column(String(40))
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    old_values: Mapped[dict[str, Any] | None] = mapped_column(
        SealedJSON
    )  # a whole number sealed with sign-in on (db.vault)
    new_values: Mapped[dict[str, Any] | None] = mapped_column(SealedJSON)
    reason: Mapped[str | None] = mapped_column(Text)
    # The day from which the change holds when the clerk said one other than the day it was recorded: a past
    # period is read as of its last day (desktop/snapshot.py), undoing the changes that hold from after it.
    effective_on: Mapped[dt.date | None] = mapped_column(Date)
