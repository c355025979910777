"""Development plans (十四五, 十五五) and their planning indicators (规划指标): baseline, target, yearly values."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.codes import INDICATOR_ATTRIBUTE, INDICATOR_COMPUTATION, INDICATOR_DIRECTION, sql_in
from db.models.base import Base


class Plan(Base):
    """A development plan: its name (十四五), the years it covers and the document it comes from. A year is judged
    against the indicators of the plan whose years hold it."""

    __tablename__ = "plans"
    __table_args__ = (
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        CheckConstraint("end_year >= start_year", name="years_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(200))

    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Indicator.position"
    )


class Indicator(Base):
    """A planning indicator of a plan. ``computed_by`` names the core computation that
    derives its value from the records; without it, values are entered."""

    __tablename__ = "indicators"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint(sql_in("attribute", INDICATOR_ATTRIBUTE), name="attribute"),
        CheckConstraint(sql_in("direction", INDICATOR_DIRECTION), name="direction"),
        CheckConstraint(sql_in("computed_by", INDICATOR_COMPUTATION), name="computed_by"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        CheckConstraint(
            "target_year IS NULL OR baseline_year IS NULL OR target_year > baseline_year", name="years_in_order"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    domain: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(20))
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    target_year: Mapped[int | None] = mapped_column(Integer)
    target_value: Mapped[float | None] = mapped_column(Float)
    attribute: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(20))
    computed_by: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    plan: Mapped[Plan] = relationship(back_populates="indicators")
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="IndicatorValue.year"
    )


class IndicatorValue(Base):
    __tablename__ = "indicator_values"
    __table_args__ = (UniqueConstraint("indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)

    indicator: Mapped[Indicator] = relationship(back_populates="values")
