"""Column mappings a clerk confirmed for her own sheets, proposed again for the next file with the same header."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class ImportMapping(Base):
    """One sheet layout: the kind of records it holds and its headers in order (the signature), with the
    mapping of those headers to fields and the constants given for fields it lacks (JSON)."""

    __tablename__ = "import_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    signature: Mapped[str] = mapped_column(Text, unique=True)
    mapping: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))
