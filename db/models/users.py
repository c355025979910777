"""Accounts for the optional sign-in: a name, a role and a password hash with its parameters."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, DateTime, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from db.codes import ROLE, sql_in
from db.models.base import Base


class User(Base):
    """One person who may sign in. Sign-in is required as soon as one active account exists."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(sql_in("role", ROLE), name="role"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        CheckConstraint("failed_attempts >= 0", name="failed_attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    # "scrypt$<log2 n>$<r>$<p>$<salt, base64>$<hash, base64>": the parameters travel with the hash.
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # The data key, sealed under a key from this account's password (db.vault); None while sign-in is off, or
    # for an account made before numbers were sealed until an administrator sets its password.
    wrapped_key: Mapped[bytes | None] = mapped_column(LargeBinary(64))


class VaultState(Base):
    """At most one row, present while the numbers are sealed: since when, and a check value that tells a data key
    unwrapped at sign-in from a wrong one."""

    __tablename__ = "vault"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sealed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    check_value: Mapped[bytes] = mapped_column(LargeBinary(64))
