"""Construction projects, their funding by source and dated progress updates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.codes import FUNDING_SOURCE, PROJECT_KIND, PROJECT_STAGE, sql_in
from db.models.base import Base, Versioned
from db.models.facilities import Facility
from db.vault import SealedText


class Project(Versioned, Base):
    """A construction project. Money is in 万元 (10,000 yuan).

    The columns hold the latest state; ``updates`` keep every reported state so
    that any quarter can be shown as it was.
    """

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint(sql_in("kind", PROJECT_KIND), name="kind"),
        CheckConstraint(sql_in("stage", PROJECT_STAGE), name="stage"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        CheckConstraint("length(trim(lead_unit)) > 0", name="lead_unit_not_blank"),
        CheckConstraint("planned_completion >= planned_start", name="planned_dates_in_order"),
        CheckConstraint(
            "actual_completion IS NULL OR actual_completion >= planned_start", name="completed_after_start"
        ),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
        CheckConstraint("investment_completed >= 0", name="investment_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    planned_start: Mapped[dt.date] = mapped_column(Date)
    planned_completion: Mapped[dt.date] = mapped_column(Date)
    actual_completion: Mapped[dt.date | None] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(20), default="preparation", server_default="preparation")
    progress: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    investment_completed: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    lead_unit: Mapped[str] = mapped_column(String(100))
    contact: Mapped[str | None] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(SealedText(20))  # a person's: sealed with sign-in on
    risks: Mapped[str | None] = mapped_column(Text)

    facility: Mapped[Facility] = relationship()
    funding: Mapped[list[ProjectFunding]] = relationship(back_populates="project", cascade="all, delete-orphan")
    updates: Mapped[list[ProjectUpdate]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectUpdate.date"
    )


class ProjectFunding(Base):
    """Planned investment of a project from one source, in 万元."""

    __tablename__ = "project_funding"
    __table_args__ = (
        UniqueConstraint("project_id", "source"),
        CheckConstraint(sql_in("source", FUNDING_SOURCE), name="source"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(20))
    amount: Mapped[float] = mapped_column(Float)

    project: Mapped[Project] = relationship(back_populates="funding")


class ProjectUpdate(Base):
    """The state of a project as reported on a date."""

    __tablename__ = "project_updates"
    __table_args__ = (
        UniqueConstraint("project_id", "date"),
        CheckConstraint(sql_in("stage", PROJECT_STAGE), name="stage"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
        CheckConstraint("investment_completed >= 0", name="investment_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(20))
    progress: Mapped[float] = mapped_column(Float)
    investment_completed: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)

    project: Mapped[Project] = relationship(back_populates="updates")
