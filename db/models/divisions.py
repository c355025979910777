"""Administrative divisions and their population by year."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.codes import DIVISION_KIND, sql_in
from db.models.base import Base, Versioned


class Division(Base):
    """A city, county, township, street, village or community.

    ``code`` is the 12-digit statistical division code (统计用区划代码); its first
    six digits are the GB/T 2260 code of the county. A division dropped from the official list or merged into
    another is never deleted (records and past reports point to it): ``withdrawn_on`` says since when it is gone.
    """

    __tablename__ = "divisions"
    __table_args__ = (
        CheckConstraint(sql_in("kind", DIVISION_KIND), name="kind"),
        CheckConstraint("length(code) = 12", name="code_length"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("divisions.id"), index=True)
    remote: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)

    parent: Mapped[Division | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Division]] = relationship(back_populates="parent")
    populations: Mapped[list[DivisionPopulation]] = relationship(
        back_populates="division", cascade="all, delete-orphan", order_by="DivisionPopulation.year"
    )


class DivisionPopulation(Versioned, Base):
    """Population of one division in one year (persons)."""

    __tablename__ = "division_populations"
    __table_args__ = (
        UniqueConstraint("division_id", "year"),
        CheckConstraint("year BETWEEN 1949 AND 2100", name="year_range"),
        CheckConstraint("resident >= 0", name="resident_not_negative"),
        CheckConstraint("registered IS NULL OR registered >= 0", name="registered_not_negative"),
        CheckConstraint("rural IS NULL OR (rural >= 0 AND rural <= resident)", name="rural_in_resident"),
        CheckConstraint(
            "aged_65_plus IS NULL OR (aged_65_plus >= 0 AND aged_65_plus <= resident)", name="aged_in_resident"
        ),
        CheckConstraint("aged_0_3 IS NULL OR (aged_0_3 >= 0 AND aged_0_3 <= resident)", name="infants_in_resident"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    division_id: Mapped[int] = mapped_column(ForeignKey("divisions.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    resident: Mapped[int] = mapped_column(Integer)
    registered: Mapped[int | None] = mapped_column(Integer)
    rural: Mapped[int | None] = mapped_column(Integer)
    aged_65_plus: Mapped[int | None] = mapped_column(Integer)
    aged_0_3: Mapped[int | None] = mapped_column(Integer)

    division: Mapped[Division] = relationship(back_populates="populations")
