"""Key-task ledgers: tasks, their cooperating units and dated updates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.codes import TASK_STATUS, sql_in
from db.models.base import Base, Versioned


class KeyTask(Versioned, Base):
    """One task of a ledger (重点任务台账), put on the ledger and struck off when done."""

    __tablename__ = "key_tasks"
    __table_args__ = (
        UniqueConstraint("ledger", "number"),
        CheckConstraint(sql_in("status", TASK_STATUS), name="status"),
        CheckConstraint("length(trim(title)) > 0", name="title_not_blank"),
        CheckConstraint("length(trim(lead_unit)) > 0", name="lead_unit_not_blank"),
        CheckConstraint(
            "status <> 'struck_off' OR length(trim(coalesce(struck_off_note, ''))) > 0", name="struck_off_needs_note"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ledger: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str | None] = mapped_column(Text)
    source_document: Mapped[str | None] = mapped_column(String(200))
    lead_unit: Mapped[str] = mapped_column(String(100))
    responsible_person: Mapped[str | None] = mapped_column(String(100))  # 责任人: who answers for it
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    phase: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="not_started", server_default="not_started")
    struck_off_note: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)  # 备注: what a bureau's ledger notes beside the task
    # The area whose ledger this is: a city's tasks stay with the county that sent them; empty for a task
    # of this database's own area (entered here).
    division_id: Mapped[int | None] = mapped_column(ForeignKey("divisions.id"), index=True)

    cooperating_units: Mapped[list[TaskCooperatingUnit]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskCooperatingUnit.position"
    )
    updates: Mapped[list[TaskUpdate]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskUpdate.date"
    )


class TaskCooperatingUnit(Base):
    __tablename__ = "task_cooperating_units"
    __table_args__ = (
        UniqueConstraint("task_id", "unit"),
        CheckConstraint("length(trim(unit)) > 0", name="unit_not_blank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("key_tasks.id", ondelete="CASCADE"))
    unit: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    task: Mapped[KeyTask] = relationship(back_populates="cooperating_units")


class TaskUpdate(Base):
    """Progress reported on a task on a date, with its evidence."""

    __tablename__ = "task_updates"
    __table_args__ = (
        CheckConstraint(sql_in("status", TASK_STATUS), name="status"),
        CheckConstraint("length(trim(note)) > 0", name="note_not_blank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("key_tasks.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)

    task: Mapped[KeyTask] = relationship(back_populates="updates")
