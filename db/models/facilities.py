"""Facilities, their key equipment and the villages they serve."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.codes import (
    ACCREDITATION,
    BUILDING_OWNERSHIP,
    EQUIPMENT,
    FACILITY_KIND,
    FACILITY_STATUS,
    OWNERSHIP,
    TCM_HALL,
    sql_in,
)
from db.models.base import Base, Versioned
from db.models.divisions import Division


class Facility(Versioned, Base):
    """A hospital, public health institution, THC, CHSC, station or village clinic.

    ``open_beds`` are the medical beds actually open; elderly-care beds are kept
    apart in ``elderly_care_beds`` and the THC bed norm adds the two.
    A facility is never deleted: it is marked ``closed`` with a reason.
    """

    __tablename__ = "facilities"
    __table_args__ = (
        CheckConstraint(sql_in("kind", FACILITY_KIND), name="kind"),
        CheckConstraint(sql_in("ownership", OWNERSHIP), name="ownership"),
        CheckConstraint(
            "building_ownership IS NULL OR " + sql_in("building_ownership", BUILDING_OWNERSHIP),
            name="building_ownership",
        ),
        CheckConstraint(sql_in("status", FACILITY_STATUS), name="status"),
        CheckConstraint(sql_in("tcm_hall", TCM_HALL), name="tcm_hall"),
        CheckConstraint(sql_in("accreditation", ACCREDITATION), name="accreditation"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        CheckConstraint("credit_code IS NULL OR length(credit_code) = 18", name="credit_code_length"),
        CheckConstraint("approved_beds >= 0", name="approved_beds_not_negative"),
        CheckConstraint("open_beds >= 0", name="open_beds_not_negative"),
        CheckConstraint("elderly_care_beds >= 0", name="elderly_beds_not_negative"),
        CheckConstraint("tcm_beds >= 0 AND tcm_beds <= open_beds", name="tcm_beds_in_open_beds"),
        CheckConstraint("building_area IS NULL OR building_area >= 0", name="area_not_negative"),
        CheckConstraint(
            "status <> 'closed' OR length(trim(coalesce(status_reason, ''))) > 0", name="closed_needs_reason"
        ),
        CheckConstraint("lead_facility_id IS NULL OR lead_facility_id <> id", name="not_own_lead"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    grade: Mapped[str | None] = mapped_column(String(20))
    division_id: Mapped[int] = mapped_column(ForeignKey("divisions.id"), index=True)
    lead_facility_id: Mapped[int | None] = mapped_column(ForeignKey("facilities.id"), index=True)
    group_name: Mapped[str | None] = mapped_column(String(100))
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    licence_no: Mapped[str | None] = mapped_column(String(60))
    ownership: Mapped[str] = mapped_column(String(20), default="public", server_default="public")
    building_ownership: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="operating", server_default="operating")
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_date: Mapped[dt.date | None] = mapped_column(Date)
    approved_beds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    open_beds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    elderly_care_beds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    tcm_beds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    building_area: Mapped[float | None] = mapped_column(Float)
    tcm_hall: Mapped[str] = mapped_column(String(20), default="none", server_default="none")
    provides_tcm: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    standardised: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    accreditation: Mapped[str] = mapped_column(String(30), default="none", server_default="none")
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(200))

    division: Mapped[Division] = relationship()
    lead_facility: Mapped[Facility | None] = relationship(remote_side=[id])
    equipment: Mapped[list[FacilityEquipment]] = relationship(back_populates="facility", cascade="all, delete-orphan")
    service_area: Mapped[list[ServiceArea]] = relationship(back_populates="facility", cascade="all, delete-orphan")


class FacilityEquipment(Base):
    """How many of one key item of equipment a facility has."""

    __tablename__ = "facility_equipment"
    __table_args__ = (
        UniqueConstraint("facility_id", "item"),
        CheckConstraint(sql_in("item", EQUIPMENT), name="item"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(30))
    quantity: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    facility: Mapped[Facility] = relationship(back_populates="equipment")


class ServiceArea(Base):
    """A division (village or community) served by a facility."""

    __tablename__ = "service_areas"
    __table_args__ = (UniqueConstraint("facility_id", "division_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id", ondelete="CASCADE"))
    division_id: Mapped[int] = mapped_column(ForeignKey("divisions.id"), index=True)

    facility: Mapped[Facility] = relationship(back_populates="service_area")
    division: Mapped[Division] = relationship()
