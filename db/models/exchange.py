"""Exchange files between levels: this database's keys, the senders and receivers it knows, the files it received."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.codes import RECEIPT_STATUS, sql_in
from db.models.base import Base
from db.vault import SealedBytes


class ExchangeIdentity(Base):
    """Exactly one row: the Ed25519 key this database signs its exchange files with, made on first export.
    Whoever holds the database can sign as it, as whoever holds it can already change its records."""

    __tablename__ = "exchange_identity"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    private_key: Mapped[bytes] = mapped_column(SealedBytes)  # the private halves sealed with sign-in on (db.vault)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # The X25519 pair files sent to this database are encrypted to; None until first asked for (an identity made
    # before files were encrypted gets it then).
    box_private_key: Mapped[bytes | None] = mapped_column(SealedBytes)
    box_public_key: Mapped[bytes | None] = mapped_column(LargeBinary(32))


class ExchangeReceiver(Base):
    """A level above whose files this database writes: its encryption key, from the key file it sent, registered
    by an administrator after reading its fingerprint back over the phone. An exchange file is encrypted to one
    of these and only that database can open it."""

    __tablename__ = "exchange_receivers"

    id: Mapped[int] = mapped_column(primary_key=True)
    division_code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime)
    registered_by: Mapped[str] = mapped_column(String(40))


class ExchangeSender(Base):
    """A township or county whose files this database accepts, with the key its first file was signed with:
    a later file signed with another key is refused (a file from someone else under its name). Until an
    administrator confirms that key (its fingerprint read back over the phone), none of its files is approved:
    anyone can make a key and write any name into a file."""

    __tablename__ = "exchange_senders"

    id: Mapped[int] = mapped_column(primary_key=True)
    division_code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime)
    registered_by: Mapped[str] = mapped_column(String(40))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # None: its key not yet checked by phone
    confirmed_by: Mapped[str | None] = mapped_column(String(40))


class ExchangeReceipt(Base):
    """One received file, kept whole until approved: its records count in this database's figures only
    once the receiving clerk approves it. Approving locks the sender's period; reopening needs a reason
    (kept in the change history)."""

    __tablename__ = "exchange_receipts"
    __table_args__ = (
        CheckConstraint(sql_in("status", RECEIPT_STATUS), name="status"),
        CheckConstraint("length(file_sha256) = 64", name="sha256_length"),
        Index("ix_exchange_receipts_sender_period", "division_code", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    division_code: Mapped[str] = mapped_column(String(12))
    sender_name: Mapped[str] = mapped_column(String(60))
    period: Mapped[str] = mapped_column(String(10))
    file_name: Mapped[str] = mapped_column(String(400))
    file_sha256: Mapped[str] = mapped_column(String(64))
    exported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    exported_by: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)
    received_by: Mapped[str] = mapped_column(String(40))
    rows: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(SealedBytes)  # the records, as the file carried them (gzip JSON)
    status: Mapped[str] = mapped_column(String(12), default="received", server_default="received")
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
