"""The county profile: whose database this is, and the names on every form's footer."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base
from db.models.divisions import Division


class CountyProfile(Base):
    """Exactly one row (id 1)."""

    __tablename__ = "county_profile"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    division_id: Mapped[int | None] = mapped_column(ForeignKey("divisions.id"))
    bureau_name: Mapped[str] = mapped_column(String(100))
    head_of_unit: Mapped[str | None] = mapped_column(String(40))
    preparer: Mapped[str | None] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(20))

    division: Mapped[Division | None] = relationship()
