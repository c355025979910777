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
    # The quarterly report's letterhead: 机关代字 of its 发文字号 and its 主送机关 (migration 0022).
    doc_prefix: Mapped[str | None] = mapped_column(String(20))
    report_addressee: Mapped[str | None] = mapped_column(String(100))

    division: Mapped[Division | None] = relationship()


class FormBlock(Base):
    """The block of a statistical form (表号, 制定机关, 批准文号, 有效期至) a submission sheet carries, where the
    bureau has been given one for it: one row per sheet (its key in desktop.excel.sheets.SHEETS)."""

    __tablename__ = "form_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet: Mapped[str] = mapped_column(String(20), unique=True)
    form_number: Mapped[str | None] = mapped_column(String(40))
    issued_by: Mapped[str | None] = mapped_column(String(100))
    approval_number: Mapped[str | None] = mapped_column(String(100))
    valid_until: Mapped[str | None] = mapped_column(String(20))
