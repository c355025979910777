"""What the bureau sent: every exported submission, with the file's fingerprint."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class Submission(Base):
    """One exported workbook: which sheets, for which period, when, by whom, and its SHA-256."""

    __tablename__ = "submissions"
    __table_args__ = (CheckConstraint("length(sha256) = 64", name="sha256_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheets: Mapped[str] = mapped_column(String(400))
    period: Mapped[str] = mapped_column(String(10))
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    user: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(400))
    sha256: Mapped[str] = mapped_column(String(64))
