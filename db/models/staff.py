"""Staff members, their trainings and loans to other units."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

if TYPE_CHECKING:
    from sqlalchemy.engine.default import DefaultExecutionContext

from db.codes import (
    EDUCATION,
    EMPLOYMENT_FORM,
    PRACTICE_CATEGORY,
    SEX,
    STAFF_CATEGORY,
    STAFF_STATUS,
    TITLE,
    TRAINING_KIND,
    sql_in,
)
from db.models.base import Base, Versioned
from db.models.facilities import Facility
from db.vault import LookupKey, SealedText


def _number_of_the_row(context: DefaultExecutionContext) -> str | None:
    parameters = context.get_current_parameters()  # type: ignore[no-untyped-call]  # unannotated in SQLAlchemy
    number: str | None = parameters.get("id_number")
    return number


class StaffMember(Versioned, Base):
    """One person working in a facility of the county.

    The ID number is unique across the database (its lookup key is); birth date and sex are kept as columns
    (derived from it by the core) so that age checks can be queried. With sign-in on, the ID and phone
    numbers are stored sealed and the lookup key is the number's keyed hash (db.vault).
    A person is never deleted: status becomes left, retired or transferred
    with a reason.
    """

    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint(sql_in("sex", SEX), name="sex"),
        CheckConstraint(sql_in("category", STAFF_CATEGORY), name="category"),
        CheckConstraint(
            "practice_category IS NULL OR " + sql_in("practice_category", PRACTICE_CATEGORY), name="practice_category"
        ),
        CheckConstraint(sql_in("title", TITLE), name="title"),
        CheckConstraint("education IS NULL OR " + sql_in("education", EDUCATION), name="education"),
        CheckConstraint(sql_in("employment_form", EMPLOYMENT_FORM), name="employment_form"),
        CheckConstraint(sql_in("status", STAFF_STATUS), name="status"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        CheckConstraint("hire_date IS NULL OR hire_date > birth_date", name="hired_after_birth"),
        CheckConstraint("directed_service_until IS NULL OR directed_graduate", name="service_only_if_directed"),
        CheckConstraint(
            "status = 'on_post' OR length(trim(coalesce(status_reason, ''))) > 0", name="leaving_needs_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    sex: Mapped[str] = mapped_column(String(1))
    id_number: Mapped[str] = mapped_column(SealedText(18))
    # Set from id_number: as a default on insert, and by _key_follows_the_number when the number changes.
    id_key: Mapped[str] = mapped_column(
        LookupKey(), unique=True, default=_number_of_the_row, info={"field": "id_number"}
    )
    birth_date: Mapped[dt.date] = mapped_column(Date)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"), index=True)
    category: Mapped[str] = mapped_column(String(30), index=True)
    practice_category: Mapped[str | None] = mapped_column(String(20))
    practice_certificate_no: Mapped[str | None] = mapped_column(String(30))
    gp_registered: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    psychiatry_registered: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    title: Mapped[str] = mapped_column(String(30), default="none", server_default="none")
    education: Mapped[str | None] = mapped_column(String(20))
    education_full_time: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    education_medical: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    employment_form: Mapped[str] = mapped_column(String(30))
    directed_graduate: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    directed_service_until: Mapped[dt.date | None] = mapped_column(Date)
    hire_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="on_post", server_default="on_post", index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_date: Mapped[dt.date | None] = mapped_column(Date)
    liability_insured: Mapped[bool | None] = mapped_column(Boolean)
    phone: Mapped[str | None] = mapped_column(SealedText(20))

    facility: Mapped[Facility] = relationship()
    trainings: Mapped[list[Training]] = relationship(
        back_populates="staff", cascade="all, delete-orphan", order_by="Training.start_date"
    )
    loans: Mapped[list[StaffLoan]] = relationship(
        back_populates="staff", cascade="all, delete-orphan", order_by="StaffLoan.start_date"
    )


class Training(Base):
    """A training a person attended: on-post training or full-time study."""

    __tablename__ = "trainings"
    __table_args__ = (
        CheckConstraint(sql_in("kind", TRAINING_KIND), name="kind"),
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        CheckConstraint("days > 0", name="days_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    place: Mapped[str | None] = mapped_column(String(100))
    free_of_charge: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    staff: Mapped[StaffMember] = relationship(back_populates="trainings")


class StaffLoan(Base):
    """A person lent from their facility to another unit for a period."""

    __tablename__ = "staff_loans"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_in_order"),
        CheckConstraint("length(trim(to_unit)) > 0", name="to_unit_not_blank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    from_facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"))
    to_facility_id: Mapped[int | None] = mapped_column(ForeignKey("facilities.id"))
    to_unit: Mapped[str] = mapped_column(String(100))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    # Seed 002 item 7: an 在编 person is lent only on the written request of a county organisation or personnel
    # department (书面商借); its number or title.
    approval: Mapped[str | None] = mapped_column(String(200))

    staff: Mapped[StaffMember] = relationship(back_populates="loans")


@event.listens_for(StaffMember, "before_update")
def _key_follows_the_number(_mapper: object, _connection: object, person: StaffMember) -> None:
    from sqlalchemy import inspect

    if inspect(person).attrs.id_number.history.has_changes():
        person.id_key = person.id_number
