"""Who is acting, and what their role lets them write: enforced on every flush, whatever the caller.

With sign-in off (the default for a one-person office) the actor is the computer's user with every
right. With sign-in on, the window and the command line put the signed-in account here; a viewer's
session then refuses to flush any change to the records, wherever the change came from.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session

from db.codes import ROLE
from db.errors import AccessDenied

PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"edit", "unmask", "manage"}),
    "editor": frozenset({"edit", "unmask"}),
    "viewer": frozenset(),
}

# What writing to each table needs; tables not named need "edit". Logs anyone's action adds to are free;
# accounts are guarded by the functions that manage them (a failed sign-in must be counted by no one).
TABLE_PERMISSION: dict[str, str | None] = {
    "changes": None,
    "submissions": None,
    "users": None,
    "county_profile": "manage",
    "norm_rules": "manage",
    "norm_versions": "manage",
}

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
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container or a service account
        name = "本机用户"
    return Actor(name)


def actor_of(session: Session) -> Actor:
    actor = session.info.get("actor")
    return actor if isinstance(actor, Actor) else local_actor()


# Records that are never deleted, whoever asks: a facility is closed and a person leaves, with a reason,
# and both stay in the history and in the figures of the periods they belonged to.
NEVER_DELETED = {
    "facilities": "机构撤销请把状态改为“撤销”并写明原因",
    "staff": "人员离岗请把在岗状态改为离职、退休或调出并写明原因",
}


def guard_writes(session: Session, _context, _instances) -> None:
    """before_flush: refuse the whole flush if the actor may not write one of its rows."""
    for obj in session.deleted:
        if obj.__tablename__ in NEVER_DELETED:
            raise AccessDenied(f"记录不能删除：{NEVER_DELETED[obj.__tablename__]}。")
    actor = actor_of(session)
    if actor.role == "admin":
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        needed = TABLE_PERMISSION.get(obj.__tablename__, "edit")
        if needed is not None and (obj not in session.dirty or session.is_modified(obj)):
            actor.require(needed)


def guard_statements(state) -> None:
    """do_orm_execute: the same rule for insert, update and delete statements run through a session."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if state.is_delete and name in NEVER_DELETED:
        raise AccessDenied(f"记录不能删除：{NEVER_DELETED[name]}。")
    guard_table_write(state.session, name)


def guard_table_write(session: Session, table: str | None) -> None:
    """The same rule for rows written past the ORM (a bulk import's INSERT through the driver)."""
    needed = TABLE_PERMISSION.get(table, "edit")
    actor = actor_of(session)
    if needed is not None and actor.role != "admin":
        actor.require(needed)


def install_guard(factory) -> None:
    event.listen(factory, "before_flush", guard_writes)
    event.listen(factory, "do_orm_execute", guard_statements)
