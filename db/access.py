"""Who is acting, and what their role lets them write: enforced on every flush and on every statement a
session sends to the database, whatever the caller.

With sign-in off (the default for a one-person office) the actor is the computer's user with every
right. With sign-in on, the window and the command line put the signed-in account here; a viewer's
session then refuses to write anything to the records, wherever the change came from: a form, an ORM
statement, or raw SQL through the session's connection. The change history only grows, for everyone; the
accounts are written by an administrator, or by the app itself counting a sign-in.
"""

from __future__ import annotations

import getpass
import re
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import event
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.engine import ExceptionContext
    from sqlalchemy.orm import sessionmaker
    from sqlalchemy.pool import ConnectionPoolEntry

from db.codes import ROLE
from db.errors import AccessDenied

PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"edit", "unmask", "manage"}),
    "editor": frozenset({"edit", "unmask"}),
    "viewer": frozenset(),
}

# What writing to each table needs; tables not named need "edit". Logs anyone's action adds to are free (the
# history only by adding: see APPEND_ONLY); accounts need an administrator (a sign-in counts its failures as
# SYSTEM, since no one is signed in yet).
TABLE_PERMISSION: dict[str, str | None] = {
    "changes": None,
    "submissions": None,
    "users": "manage",
    "county_profile": "manage",
    "form_blocks": "manage",
    "norm_rules": "manage",
    "norm_versions": "manage",
    "exchange_receivers": "manage",
    "vault": "manage",
}
# Rows nobody changes or deletes once written: what happened stays as it was told.
APPEND_ONLY = {"changes": "修改记录只能追加，不能修改或删除"}

WHAT = {"edit": "修改记录", "unmask": "查看完整的身份证号码和电话号码", "manage": "修改县域信息、核查规范和账号"}


@dataclass(frozen=True)
class Actor:
    name: str
    role: str = "admin"
    signed_in: bool = False  # False: sign-in is off and this is the computer's user

    @property
    def role_label(self) -> str:
        return ROLE.get(self.role, "未登录")

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())

    def require(self, permission: str, what: str | None = None) -> None:
        if not self.can(permission):
            raise AccessDenied(f"账号“{self.name}”（{self.role_label}）无权{what or WHAT[permission]}。")


# The app itself, loading the norms it ships with into a database that lacks them: not a user's edit.
SYSTEM = Actor("系统")


@contextmanager
def acting_as(session: Session, actor: Actor) -> Iterator[None]:
    before = session.info.get("actor")
    session.info["actor"] = actor
    try:
        yield
    finally:
        session.info["actor"] = before


# Whoever opened a database that has accounts, until they sign in: may read, may write nothing.
NOT_SIGNED_IN = Actor("未登录", "guest")


def local_actor() -> Actor:
    """The computer's user while sign-in is off, named as such in the history (本机用户 NAME), so that a name
    there is never taken for an account's."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container or a service account
        return Actor("本机用户")
    return Actor(f"本机用户 {name}")


def actor_of(session: Session) -> Actor:
    actor = session.info.get("actor")
    return actor if isinstance(actor, Actor) else local_actor()


# Records that are never deleted, whoever asks: a facility is closed and a person leaves, with a reason,
# and both stay in the history and in the figures of the periods they belonged to.
NEVER_DELETED = {
    "facilities": "机构撤销请把状态改为“撤销”并写明原因",
    "staff": "人员离岗请把在岗状态改为离职、退休或调出并写明原因",
}


_RESEALING = "countyhealth.resealing"


@contextmanager
def resealing(session: Session) -> Iterator[None]:
    """The one rewrite of the history there is: its whole numbers sealed as sign-in is turned on, or opened as it
    is turned off (db.vault.reseal). Nothing else it says changes."""
    session.info[_RESEALING] = True
    try:
        yield
    finally:
        session.info.pop(_RESEALING, None)


def guard_writes(session: Session, _context: object, _instances: object) -> None:
    """before_flush: refuse the whole flush if the actor may not write one of its rows."""
    for obj in session.deleted:
        if obj.__tablename__ in NEVER_DELETED:
            raise AccessDenied(f"记录不能删除：{NEVER_DELETED[obj.__tablename__]}。")
    for obj in (*session.dirty, *session.deleted):
        if obj.__tablename__ in APPEND_ONLY and (obj in session.deleted or session.is_modified(obj)):
            raise AccessDenied(f"{APPEND_ONLY[obj.__tablename__]}。")
    actor = actor_of(session)
    if actor.role == "admin":
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        needed = TABLE_PERMISSION.get(obj.__tablename__, "edit")
        if needed is not None and (obj not in session.dirty or session.is_modified(obj)):
            actor.require(needed)


_WRITE = re.compile(
    r"(?:WITH\b.*?\)\s*)?(INSERT(?:\s+OR\s+(\w+))?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"
    r"(?:[\"`\[]?\w+[\"`\]]?\.)?[\"`\[]?(\w+)",  # a schema before the table ("main"."changes") is passed over
    re.IGNORECASE | re.DOTALL,
)
_SCHEMA = re.compile(r"(CREATE|DROP|ALTER|ATTACH|DETACH|VACUUM|REINDEX|TRUNCATE|PRAGMA\s+[\w.]+\s*=)", re.IGNORECASE)
_LEADING = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", re.DOTALL)  # blanks and comments before the verb
_LITERALS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"", re.DOTALL)
_UPSERT = re.compile(r"\bON\s+CONFLICT\b.*\bDO\s+UPDATE\b", re.IGNORECASE | re.DOTALL)


def written_table(statement: str) -> tuple[str, str] | None:
    """(what the statement does, the table it writes) for a statement that writes; None for a read. What it does is
    INSERT (rows added), REPLACE or UPSERT (rows that may replace or change others), UPDATE, DELETE, a schema verb,
    or MANY: several statements in one, which no path of the app sends and none may."""
    if re.search(r";\s*\S", _LITERALS.sub("''", statement)):
        return "MANY", ""
    leading = _LEADING.match(statement)
    bare = statement[leading.end() :] if leading else statement
    found = _WRITE.match(bare)
    if found:
        verb = found.group(1).split()[0].upper()
        if verb == "INSERT" and (found.group(2) or "").upper() == "REPLACE":
            verb = "REPLACE"
        elif verb == "INSERT" and _UPSERT.search(bare):
            verb = "UPSERT"
        return verb, found.group(3).lower()
    found = _SCHEMA.match(bare)
    return (found.group(1).split()[0].upper(), "") if found else None


def guard_table_write(session: Session, table: str | None, verb: str = "INSERT") -> None:
    """The rule for a statement writing ``table`` through a session: the history only grows, facilities and
    people are never deleted, and each table needs its permission (a schema change, an administrator)."""
    if verb == "MANY":
        raise AccessDenied("不接受一次执行多条语句。")
    if table in APPEND_ONLY and verb != "INSERT" and not session.info.get(_RESEALING):
        raise AccessDenied(f"{APPEND_ONLY[table]}。")
    if table in NEVER_DELETED and verb in ("DELETE", "REPLACE"):
        raise AccessDenied(f"记录不能删除：{NEVER_DELETED[table]}。")
    actor = actor_of(session)
    if actor.role == "admin":
        return
    needed = TABLE_PERMISSION.get(table, "edit") if table else "manage"
    if needed is not None:
        actor.require(needed)


def _guard_cursor(
    conn: Connection, _cursor: object, statement: str, _parameters: object, _context: object, _executemany: bool
) -> None:
    """before_cursor_execute: every statement a session sends, however it was made (the ORM, a Core statement,
    text, the driver's own executemany) is held to guard_table_write and noted for tables_written. A connection
    no session holds (opening the database, a migration, a backup) is the app's own."""
    ref = conn.info.get(_SESSION)
    session = ref() if ref is not None else None
    if session is None:
        return
    written = written_table(statement)
    if written is not None:
        if session.info.get(READING):
            raise RuntimeError(f"a write sent through a reading session: {statement[:200]}")
        guard_table_write(session, written[1], written[0])
        session.info.setdefault(_WRITTEN, set()).add(written[1] or ANY_TABLE)


_WRITTEN = "countyhealth.written"
READING = "countyhealth.reading"  # set on a session by Database.reading()
ANY_TABLE = "*"  # what a schema statement is noted as: it may change what any table holds


def tables_written(session: Session) -> frozenset[str]:
    """The tables this session has sent a write to (noted as each statement goes out, whatever made it), so the
    window re-reads only what shows them; ``ANY_TABLE`` among them after a schema statement. A write rolled back
    stays noted: a page re-read for nothing costs less than one left showing what is gone."""
    return frozenset(session.info.get(_WRITTEN, ()))


_SESSION = "countyhealth.session"


def _hold(session: Session, _transaction: object, connection: Connection) -> None:
    connection.info[_SESSION] = weakref.ref(session)


def _let_go(_dbapi_connection: object, record: ConnectionPoolEntry) -> None:
    record.info.pop(_SESSION, None)


def install_guard(factory: sessionmaker[Session]) -> None:
    from db.vault import follow_the_server

    event.listen(factory, "before_flush", guard_writes)
    event.listen(factory, "after_begin", _hold)
    event.listen(factory, "after_begin", follow_the_server)
    engine = factory.kw["bind"]
    if not event.contains(engine, "before_cursor_execute", _guard_cursor):
        event.listen(engine, "before_cursor_execute", _guard_cursor)
        event.listen(engine.pool, "checkin", _let_go)
        event.listen(engine, "handle_error", _refusal_as_it_was)


def _refusal_as_it_was(context: ExceptionContext) -> None:
    """A refusal raised while a statement's values were bound (a number no one signed in may seal, db.vault) reaches
    the caller as itself, a sentence for the clerk, not wrapped in SQLAlchemy's StatementError."""
    from db.errors import UserError

    if isinstance(context.original_exception, UserError):
        raise context.original_exception
