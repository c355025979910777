"""Declarative base shared by every model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import FromClause, Integer, MetaData, Table, text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Named constraints make batch migrations on SQLite (which rebuild the table)
# able to find and alter a constraint later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    if TYPE_CHECKING:
        id: Mapped[int]  # every table's key (a test holds this), so code over any record type may use it


def table_of(model: type[Base]) -> Table:
    """A mapped class's table (typed as the Table it is, where SQLAlchemy's typing says any FROM clause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class Versioned:
    """A record clerks edit in forms. Every UPDATE bumps ``version`` and names the version it read, so two
    clerks saving the same record cannot overwrite each other: the second save matches no row and is refused
    (desktop.records.editing turns that into the other clerk's change, shown on the form)."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))
    if TYPE_CHECKING:
        __table__: ClassVar[FromClause]  # the mapped class's, which the mixin's directive reads

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 (SQLAlchemy passes the class)
        return {"version_id_col": cls.__table__.c.version}
