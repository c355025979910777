"""Yearly special funds a THC or CHSC receives for buildings and equipment."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base
from db.models.facilities import Facility


class SpecialFund(Base):
    """The special funds (专项资金) allotted to one facility for one year, in 万元."""

    __tablename__ = "special_funds"
    __table_args__ = (
        UniqueConstraint("facility_id", "year"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("year BETWEEN 1949 AND 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)

    facility: Mapped[Facility] = relationship()
