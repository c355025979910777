"""Norms: each rule of the checks as dated, versioned data with its source."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.codes import SEVERITY, sql_in
from db.models.base import Base


class NormRule(Base):
    """A rule of the checks (e.g. the THC bed band), identified by a stable key."""

    __tablename__ = "norm_rules"
    __table_args__ = (CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(100))

    versions: Mapped[list[NormVersion]] = relationship(
        back_populates="rule", cascade="all, delete-orphan", order_by="NormVersion.effective_from"
    )


class NormVersion(Base):
    """The parameters of a rule in force from ``effective_from`` until the next version.

    Versions are never edited in place: a changed threshold is a new version, so
    a report of an earlier period still uses the norm then in force.
    """

    __tablename__ = "norm_versions"
    __table_args__ = (
        UniqueConstraint("rule_id", "version"),
        UniqueConstraint("rule_id", "effective_from"),
        CheckConstraint(sql_in("severity", SEVERITY), name="severity"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("length(trim(source_title)) > 0", name="source_not_blank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("norm_rules.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    applies_to: Mapped[list[str]] = mapped_column(JSON)
    severity: Mapped[str] = mapped_column(String(10))
    source_title: Mapped[str] = mapped_column(String(200))
    source_issuer: Mapped[str | None] = mapped_column(String(100))
    source_number: Mapped[str | None] = mapped_column(String(60))
    source_item: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(40))

    rule: Mapped[NormRule] = relationship(back_populates="versions")
