"""People's whole ID and phone numbers sealed at rest while sign-in is on, opened only by a signed-in account.

A random data key seals each number (SM4-GCM, db.sealing) and keys a hash of each ID number (HMAC-SM3) that keeps
it unique and lets a whole number be looked up without opening the others. The data key is stored only wrapped:
once per account, under a key derived from the account's password (LUKS's key slots), so that signing in unwraps
it and changing a password re-wraps that account's slot alone. The wrapping key comes from the same scrypt run
that checks the password: scrypt ends in PBKDF2, whose first 32 bytes (the stored hash) do not depend on how many
follow, so bytes 33-48 are a key the stored hash does not reveal, at no extra cost at sign-in.

Without a password the file still gives names, birth dates, workplaces and every other record, but no whole ID or
phone number (the README says what a holder of the file can and cannot do). No masked form is kept in clear beside
a sealed number: with the birth date in clear, "110105********002X" would give the whole number back. Turning
sign-in on seals what is stored; turning it off opens it again.

The column types below do the sealing where the ORM or Core reads and writes: a database's vault hangs on its
engine's dialect (one per engine), where a type's processors can reach it.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import JSON, LargeBinary, String, bindparam, select, type_coerce, update
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:
    from sqlalchemy import Connection, MetaData, Table
    from sqlalchemy.engine import Dialect, Engine, RowMapping
    from sqlalchemy.orm import Session, SessionTransaction
    from sqlalchemy.sql.elements import ColumnElement
    from sqlalchemy.types import TypeEngine

from db.errors import AccessDenied
from db.sealing import KEY_BYTES, Sealer, Unsealable, seal, unseal

MARK = "$sm4$"  # a sealed value as stored; no ID or phone number starts so
MARK_BYTES = MARK.encode()
# What the change history says of a sealed column is sealed with it (the history's values are JSON, each record's
# fields by name): a person's or a project contact's whole ID or phone number.
SENSITIVE_KEYS = frozenset({"id_number", "id_key", "phone"})
LOOKUP_MARK = "$k$"  # an ID number's keyed hash as stored
_VALUE = b"countyhealth-value"
_SLOT = b"countyhealth-data-key"
_CHECK = b"countyhealth-vault-check"
NEEDS_SIGN_IN = (
    "本库的身份证号码和电话号码已加密保存，当前没有可用的数据密钥（未登录、账号尚无数据密钥，"
    "或其他电脑上的管理员刚启用了登录）：请重新登录后再写入或查找号码。"
)


@dataclass(frozen=True)
class Vault:
    """An unwrapped data key, held in memory while a signed-in account works."""

    data_key: bytes = field(repr=False)

    @cached_property
    def _values(self) -> Sealer:
        return Sealer(_derive(self.data_key, b"countyhealth-values"))

    @cached_property
    def _lookup_key(self) -> bytes:
        return _derive(self.data_key, b"countyhealth-lookup")

    def seal_text(self, text: str) -> str:
        return MARK + base64.b64encode(self._values.seal(text.encode(), _VALUE)).decode()

    def open_text(self, stored: str) -> str:
        try:
            return self._values.unseal(base64.b64decode(stored[len(MARK) :]), _VALUE).decode()
        except (Unsealable, ValueError) as exc:
            raise AccessDenied("有号码无法解密：数据库文件可能已损坏，请从备份恢复。") from exc

    def seal_bytes(self, data: bytes) -> bytes:
        return MARK_BYTES + self._values.seal(data, _VALUE)

    def open_bytes(self, stored: bytes) -> bytes:
        try:
            return self._values.unseal(bytes(stored[len(MARK_BYTES) :]), _VALUE)
        except Unsealable as exc:
            raise AccessDenied("有数据无法解密：数据库文件可能已损坏，请从备份恢复。") from exc

    def lookup(self, number: str) -> str:
        from cryptography.hazmat.primitives import hashes, hmac

        mac = hmac.HMAC(self._lookup_key, hashes.SM3())
        mac.update(number.encode())
        return LOOKUP_MARK + mac.finalize().hex()

    @property
    def check(self) -> bytes:
        """Stored beside the slots: proof at sign-in that a slot gave this database's key, not another's."""
        return self._values.seal(_CHECK, _CHECK)

    def opens(self, check: bytes) -> bool:
        try:
            return self._values.unseal(check, _CHECK) == _CHECK
        except Unsealable:
            return False


def new_vault() -> Vault:
    import os

    return Vault(os.urandom(KEY_BYTES))


def _derive(key: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(hashes.SM3(), KEY_BYTES, salt=None, info=info).derive(key)


def wrap(vault: Vault, slot_key: bytes) -> bytes:
    return seal(slot_key, vault.data_key, _SLOT)


def unwrap(wrapped: bytes, slot_key: bytes) -> Vault | None:
    try:
        return Vault(unseal(slot_key, wrapped, _SLOT))
    except Unsealable:
        return None


def is_sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith((MARK, LOOKUP_MARK))


# --- where an engine keeps its vault ------------------------------------------------------------------------------

_VAULT, _SEALED, _HAS_VAULT = "countyhealth_vault", "countyhealth_sealed", "countyhealth_has_vault"


def attach(dialect: Dialect, *, sealed: bool, vault: Vault | None, has_vault: bool | None = None) -> None:
    """Tell a database's column types whether its numbers are sealed and, once someone signed in, the key."""
    setattr(dialect, _SEALED, sealed)
    setattr(dialect, _VAULT, vault if sealed else None)
    if has_vault is not None:
        setattr(dialect, _HAS_VAULT, has_vault)


def vault_of(dialect: Dialect) -> Vault | None:
    return getattr(dialect, _VAULT, None)


def sealed_on(dialect: Dialect) -> bool:
    return bool(getattr(dialect, _SEALED, False))


def binds_as_is(column_type: object, dialect: Dialect) -> bool:
    """Whether a sealed column's values go to the database as given (sign-in off): a bulk insert then skips its
    per-value processing (a history's values are still made JSON text)."""
    sealed = isinstance(column_type, SealedText | LookupKey | SealedJSON)
    return sealed and vault_of(dialect) is None and not sealed_on(dialect)


_V = TypeVar("_V")


def _bound(value: _V | None, dialect: Dialect, seal_with: Callable[[Vault, _V], _V], already: bool) -> _V | None:
    """A value as a sealed column stores it: as given while sign-in is off or where it is stored so already (a copy
    carries values as they are), sealed by the signed-in key, and never in clear into a sealed database."""
    if value is None or already:
        return value
    vault = vault_of(dialect)
    if vault is not None:
        return seal_with(vault, value)
    if sealed_on(dialect):
        raise AccessDenied(NEEDS_SIGN_IN)
    return value


class SealedText(TypeDecorator[str]):
    """A person's ID or phone number: stored whole while sign-in is off, sealed while it is on. Read without the
    key (no one signed in), a sealed value stays sealed; a value is never written in clear into a sealed database."""

    impl = String
    cache_ok = True

    def __init__(self, plain_length: int) -> None:
        super().__init__(80)  # a sealed value of up to 24 characters, marked and in base64
        self.plain_length = plain_length  # what a clerk may type: the field's own limit

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return _bound(value, dialect, Vault.seal_text, is_sealed(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or not value.startswith(MARK):
            return value
        vault = vault_of(dialect)
        return value if vault is None else vault.open_text(value)


class LookupKey(TypeDecorator[str]):
    """How an ID number is found and kept unique: the number itself while sign-in is off, its keyed hash while it
    is on. Written and compared as the number; the type turns it into what is stored."""

    impl = String
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(80)  # the marked hex of a 32-byte hash

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return _bound(value, dialect, Vault.lookup, is_sealed(value))


class SealedBytes(TypeDecorator[bytes]):
    """A private key, or a received file's records: sealed with the numbers while sign-in is on."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return _bound(value, dialect, Vault.seal_bytes, value is not None and bytes(value[:5]) == MARK_BYTES)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        if value is None or bytes(value[: len(MARK_BYTES)]) != MARK_BYTES:
            return value
        vault = vault_of(dialect)
        return value if vault is None else vault.open_bytes(value)


class SealedJSON(TypeDecorator[Any]):
    """A change's values: those under SENSITIVE_KEYS sealed while sign-in is on, the rest as they are."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if not isinstance(value, dict) or SENSITIVE_KEYS.isdisjoint(value):
            return value
        vault = vault_of(dialect)
        if vault is None:
            if sealed_on(dialect) and any(_clear(value.get(k)) for k in SENSITIVE_KEYS):
                raise AccessDenied(NEEDS_SIGN_IN)
            return value
        return _sealed_values(value, vault)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        vault = vault_of(dialect)
        if vault is None or not isinstance(value, dict) or SENSITIVE_KEYS.isdisjoint(value):
            return value
        return _opened_values(value, vault)


def _clear(value: Any) -> bool:
    return isinstance(value, str) and not is_sealed(value)


def _sealed_values(values: dict[str, Any], vault: Vault) -> dict[str, Any]:
    return {k: vault.seal_text(v) if k in SENSITIVE_KEYS and _clear(v) else v for k, v in values.items()}


def _opened_values(values: dict[str, Any], vault: Vault) -> dict[str, Any]:
    def opened(v: Any) -> Any:
        return vault.open_text(v) if isinstance(v, str) and v.startswith(MARK) else v

    return {k: opened(v) if k in SENSITIVE_KEYS else v for k, v in values.items()}


def as_stored(table: Table) -> list[ColumnElement[Any]]:
    """A table's columns as stored, sealed values sealed: what a copy carries and compares, whoever is signed in."""
    return [type_coerce(c, _stored(c)).label(c.name) if isinstance(c.type, _SEALED_TYPES) else c for c in table.columns]


def _stored(column: ColumnElement[Any]) -> TypeEngine[Any]:
    """What a sealed column's type stores: plain text, bytes or JSON."""
    assert isinstance(column.type, TypeDecorator)
    return column.type.impl_instance


# --- sealing what is stored, and opening it again ------------------------------------------------------------------


def reseal(
    connection: Connection, metadata: MetaData, *, sealing: Vault | None = None, opening: Vault | None = None
) -> int:
    """Rewrite every sealed column of every table, in the connection's transaction: from clear to sealed with
    ``sealing``, or back with ``opening``. Values already in the target form are left. Returns the rows rewritten.
    The statements are typed as plain text and bytes, so the column types do not seal or open them again."""
    vault = sealing or opening
    assert vault is not None and (sealing is None) != (opening is None)
    changed = 0
    for table in metadata.sorted_tables:
        kinds = {c.name: c for c in table.columns if isinstance(c.type, _SEALED_TYPES)}
        if not kinds:
            continue
        raw = [type_coerce(table.c[name], _stored(table.c[name])).label(name) for name in kinds]
        rows = connection.execute(select(table.c.id, *raw)).mappings().all()
        updates = []
        for row in rows:
            new = {name: _rewritten(column, row, sealing, opening) for name, column in kinds.items()}
            if any(new[name] is not row[name] and new[name] != row[name] for name in kinds):
                updates.append({"_id": row["id"], **{f"_{name}": value for name, value in new.items()}})
        if updates:
            statement = (
                update(table)
                .where(table.c.id == bindparam("_id"))
                .values({name: bindparam(f"_{name}", type_=_stored(table.c[name])) for name in kinds})
            )
            connection.execute(statement, updates)
            changed += len(updates)
    return changed


def _rewritten(column: Any, row: RowMapping, sealing: Vault | None, opening: Vault | None) -> Any:
    kind, value = type(column.type), row[column.name]
    if value is None:
        return None
    either = sealing or opening
    assert either is not None
    if kind is SealedText:
        if sealing is not None:
            return value if is_sealed(value) else sealing.seal_text(value)
        return either.open_text(value) if value.startswith(MARK) else value
    if kind is LookupKey:  # from the row's number, opened where sealed
        number = row[column.info["field"]]
        if number is not None and number.startswith(MARK):
            number = either.open_text(number)
        return sealing.lookup(number) if sealing is not None else number
    if kind is SealedBytes:
        marked = bytes(value[: len(MARK_BYTES)]) == MARK_BYTES
        if sealing is not None:
            return value if marked else sealing.seal_bytes(bytes(value))
        return either.open_bytes(value) if marked else value
    if not isinstance(value, dict) or SENSITIVE_KEYS.isdisjoint(value):  # SealedJSON
        return value
    return _sealed_values(value, sealing) if sealing is not None else _opened_values(value, either)


_SEALED_TYPES = (SealedText, LookupKey, SealedBytes, SealedJSON)


def scrub(engine: Engine) -> None:
    """After sealing or opening: the values as they were removed from a SQLite file's free pages (VACUUM rebuilds
    it from what is live) and from its journal (the WAL checkpointed and cut to nothing). A server keeps old row
    versions until its own VACUUM; the README says so."""
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()  # the driver's own: the engine's "begin" would open a transaction around it
    try:
        driver = raw.driver_connection
        assert driver is not None
        driver.execute("VACUUM")
        driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()


def follow_the_server(session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    """after_begin, on a server several clerks share: an administrator elsewhere may have turned sign-in on or off
    (or sealed again under a new key) since this client opened. Each transaction starts from the state the server
    holds: a key that no longer opens it is dropped (nothing is sealed under it), a database sealed meanwhile is
    treated as sealed (nothing is written in clear). A file has one writer, this process, so it needs no check."""
    dialect = connection.dialect
    if dialect.name == "sqlite" or not getattr(dialect, _HAS_VAULT, False):
        return
    from db.models import VaultState  # the models import this module's types

    row = connection.execute(select(VaultState.check_value)).first()
    vault = vault_of(dialect)
    if row is None:
        if sealed_on(dialect):
            attach(dialect, sealed=False, vault=None)
    elif not sealed_on(dialect) or (vault is not None and not vault.opens(row[0])):
        attach(dialect, sealed=True, vault=None)
