"""Accounts and sign-in, off until the county creates its first account.

Passwords are hashed with scrypt at OWASP's parameters (N=2^17, r=8, p=1), the parameters stored with
the hash so that stronger ones can come later without invalidating old accounts. Five wrong passwords
in a row pause the account, 30 seconds doubling with every further failure up to 15 minutes; the pause
is kept in the database, so restarting the app does not lift it.

With sign-in on, people's whole numbers are sealed under a data key that each account holds wrapped under a key
from its password (db.vault): the first account seals what is stored, signing in unwraps the key, a password set
or changed re-wraps that account's slot alone, and turning sign-in off opens everything again.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
import os
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.access import SYSTEM, Actor, acting_as, actor_of, resealing
from db.codes import ROLE
from db.errors import UserError
from db.models import User, VaultState
from db.vault import attach, new_vault, reseal, scrub, sealed_on, unwrap, vault_of, wrap
from desktop.records.editing import log_change

SCRYPT_LOG2N, SCRYPT_R, SCRYPT_P = 17, 8, 1
FREE_ATTEMPTS = 5
FIRST_PAUSE = dt.timedelta(seconds=30)
LONGEST_PAUSE = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8

log = logging.getLogger(__name__)


class AccountError(UserError, ValueError):
    """An account action or a sign-in that cannot be done; ``str(err)`` is the Chinese reason."""


def hash_password(password: str, *, log2n: int = SCRYPT_LOG2N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    return _new_password(password, log2n=log2n, r=r, p=p)[0]


def _new_password(password: str, *, log2n: int = SCRYPT_LOG2N, r: int = SCRYPT_R, p: int = SCRYPT_P):
    """(the stored hash, the key that wraps the account's slot of the data key), from one scrypt run."""
    salt = os.urandom(16)
    derived = _scrypt(password, salt, log2n, r, p)
    b64 = base64.b64encode
    return f"scrypt${log2n}${r}${p}${b64(salt).decode()}${b64(derived[:32]).decode()}", derived[32:]


def verify_password(password: str, stored: str) -> bool:
    return _slot_key(password, stored) is not None


def _slot_key(password: str, stored: str) -> bytes | None:
    """The key that wraps this account's slot if the password is right, else None."""
    try:
        scheme, log2n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return None
        expected = base64.b64decode(digest)
        derived = _scrypt(password, base64.b64decode(salt), int(log2n), int(r), int(p))
    except (ValueError, TypeError):
        return None
    return derived[32:] if hmac.compare_digest(derived[:32], expected) else None


def _scrypt(password: str, salt: bytes, log2n: int, r: int, p: int) -> bytes:
    """48 bytes: the first 32 are the stored hash; scrypt ends in PBKDF2, whose first block does not depend on how
    many follow, so bytes 33-48 are a key the stored hash does not give away (db.vault)."""
    n = 1 << log2n
    # OpenSSL refuses more than maxmem; scrypt needs 128·n·r bytes, 128 MiB at OWASP's parameters.
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r + (1 << 20), dklen=48)


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str
    active: bool
    locked_until: dt.datetime | None

    @property
    def role_label(self) -> str:
        return ROLE[self.role]


def sign_in_required(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(User).where(User.active.is_(True))))


def list_accounts(session: Session) -> list[Account]:
    rows = session.scalars(select(User).order_by(User.id)).all()
    return [Account(u.id, u.name, u.role, u.active, u.locked_until) for u in rows]


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少 {MIN_PASSWORD_LENGTH} 位")
    if password.strip() != password:
        raise AccountError("密码首尾不能是空格")


def _may_manage(session: Session) -> Actor:
    """The acting user, if they may manage accounts: an administrator, or anyone while sign-in is off."""
    actor = actor_of(session)
    if sign_in_required(session) or actor.signed_in:
        actor.require("manage", "管理账号")
    return actor


def _log(session: Session, actor: Actor, user: User, action: str, old, new, reason: str | None = None) -> None:
    log_change(session, actor.name, "users", user.id, action, old, new, reason)


def add_account(session: Session, name: str, role: str, password: str) -> Account:
    """Create an account. The first one turns sign-in on, so it must be an administrator."""
    actor = _may_manage(session)
    name = (name or "").strip()
    if not name:
        raise AccountError("请填写账号名")
    if len(name) > 40:
        raise AccountError("账号名最多 40 个字")
    if role not in ROLE:
        raise AccountError(f"未知的角色：{role}")
    if not sign_in_required(session) and role != "admin":
        raise AccountError("第一个账号必须是管理员：创建后即开始要求登录，须有人能管理账号")
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise AccountError(f"账号“{name}”已存在")
    _check_password(password)
    first = not sign_in_required(session)
    stored, slot_key = _new_password(password)
    user = User(
        name=name,
        role=role,
        password_hash=stored,
        active=True,
        failed_attempts=0,
        created_at=dt.datetime.now(),
    )
    session.add(user)
    session.flush()
    _log(session, actor, user, "insert", None, {"name": name, "role": role})
    if first:
        _seal_stored(session, user, slot_key)
    else:
        _give_slot(session, user, slot_key)
    return Account(user.id, user.name, user.role, True, None)


def _user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise AccountError(f"没有账号“{name}”")
    return user


def _keep_an_admin(session: Session, user: User) -> None:
    others = session.scalar(
        select(func.count()).select_from(User).where(User.role == "admin", User.active.is_(True), User.id != user.id)
    )
    if not others:
        raise AccountError("至少要保留一个启用的管理员账号；如不再需要登录，请选择“关闭登录”")


def update_account(
    session: Session, name: str, *, role: str | None = None, active: bool | None = None, password: str | None = None
) -> None:
    """An administrator changes an account's role, enables or disables it, or sets a new password."""
    actor = _may_manage(session)
    user = _user(session, name)
    old, new = {}, {}
    if role is not None and role != user.role:
        if role not in ROLE:
            raise AccountError(f"未知的角色：{role}")
        if user.role == "admin":
            _keep_an_admin(session, user)
        old["role"], new["role"] = user.role, role
        user.role = role
    if active is not None and active != user.active:
        if not active and user.role == "admin":
            _keep_an_admin(session, user)
        old["active"], new["active"] = user.active, active
        user.active = active
        if not active:  # its password no longer opens the data key, even on a copy of the file
            user.wrapped_key = None
    if password is not None:
        _check_password(password)
        user.password_hash, slot_key = _new_password(password)
        _give_slot(session, user, slot_key)
        user.failed_attempts, user.locked_until = 0, None
        old["password"], new["password"] = "（旧密码）", "（已重设）"
    if new:
        session.flush()
        _log(session, actor, user, "update", old, new)


def change_own_password(session: Session, old_password: str, new_password: str) -> None:
    actor = actor_of(session)
    if not actor.signed_in:
        raise AccountError("未登录，无需修改密码")
    user = _user(session, actor.name)
    if _slot_key(old_password, user.password_hash) is None:
        raise AccountError("原密码不正确")
    _check_password(new_password)
    with acting_as(session, SYSTEM):  # anyone may change their own, who knows it: the app writes it for them
        user.password_hash, slot_key = _new_password(new_password)
        _give_slot(session, user, slot_key)
        session.flush()
    _log(session, actor, user, "update", {"password": "（旧密码）"}, {"password": "（本人修改）"})


def turn_off_sign_in(session: Session) -> int:
    """Remove every account: the office goes back to one person without sign-in. Returns how many."""
    actor = _may_manage(session)
    _open_stored(session)
    users = session.scalars(select(User)).all()
    for user in users:
        _log(session, actor, user, "update", {"name": user.name, "role": user.role}, None, "关闭登录，删除账号")
        session.delete(user)
    session.flush()
    return len(users)


# The one answer to a wrong name, a wrong password, or any password while the account is paused: whoever does not
# know an account's password learns nothing of it, not even that it exists.
WRONG = f"账号或密码不正确（连续错误 {FREE_ATTEMPTS} 次，账号将暂停登录一段时间）"


def sign_in(session: Session, name: str, password: str, *, now: dt.datetime | None = None) -> Actor:
    """Check a name and password; count failures and pause the account after too many. The caller commits
    in both cases (a failure is counted), so a pause survives a restart. Only the right password learns that the
    account is paused or disabled."""
    now = now or dt.datetime.now()
    user = session.scalar(select(User).where(User.name == (name or "").strip()))
    if user is None:
        verify_password(password, _DUMMY_HASH)  # the same time as a real check: names cannot be probed
        raise AccountError(WRONG)
    slot_key = _slot_key(password, user.password_hash)
    right = slot_key is not None
    paused = user.locked_until is not None and user.locked_until > now
    if paused:
        if right:
            wait = int((user.locked_until - now).total_seconds()) + 1
            raise AccountError(f"密码错误次数过多，账号已暂停登录，请 {_duration(wait)}后再试")
        raise AccountError(WRONG)
    with acting_as(session, SYSTEM):  # no one is signed in yet: the app counts
        if not right:
            user.failed_attempts += 1
            extra = user.failed_attempts - FREE_ATTEMPTS
            if extra >= 0:
                pause = min(FIRST_PAUSE * (2 ** min(extra, 10)), LONGEST_PAUSE)  # no overflow however many tries
                user.locked_until = now + pause
            session.flush()
            raise AccountError(WRONG)
        user.failed_attempts, user.locked_until = 0, None
        session.flush()
    if not user.active:
        raise AccountError(f"账号“{user.name}”已停用，请联系管理员")
    actor = Actor(user.name, user.role, signed_in=True)
    state = session.get(VaultState, 1)
    if state is not None:
        vault = unwrap(user.wrapped_key, slot_key) if user.wrapped_key else None
        if vault is not None and not vault.opens(state.check_value):
            vault = None
        # An account without the key (made before numbers were sealed, or disabled and enabled again) still signs in:
        # it works on everything but the numbers, shown as （已加密）, until an administrator sets its password.
        attach(session.get_bind().dialect, sealed=True, vault=vault)
    elif user.role == "admin":  # accounts made before numbers were sealed: the first administrator in seals them
        with acting_as(session, actor):
            _seal_stored(session, user, slot_key)
    return actor


NO_SLOT = (
    "本库的身份证号码和电话号码已加密保存，而本账号还没有数据密钥（账号建于加密之前，或曾被停用）："
    "号码将显示为（已加密），也不能录入号码。请管理员在“设置 › 账号与登录”中为本账号重设密码。"
)


def holds_key(db) -> bool:
    """Whether whoever is signed in on this open database can read and write the numbers (always, unsealed)."""
    dialect = db.engine.dialect
    return not sealed_on(dialect) or vault_of(dialect) is not None


# --- the data key's slots ------------------------------------------------------------------------------------------


def _seal_stored(session: Session, user: User, slot_key: bytes) -> None:
    """Sign-in turned on: a new data key, this administrator's slot of it, and every stored number sealed, in the
    session's transaction."""
    from db.models.base import Base

    vault = new_vault()
    with resealing(session):
        reseal(session.connection(), Base.metadata, sealing=vault)
    session.add(VaultState(id=1, sealed_at=dt.datetime.now(), check_value=vault.check))
    with acting_as(session, SYSTEM):
        user.wrapped_key = wrap(vault, slot_key)
        session.flush()
    _switch(session, sealed=True, vault=vault)


def _give_slot(session: Session, user: User, slot_key: bytes) -> None:
    """The account's slot for a password just set: the data key wrapped under it, by whoever holds the key now."""
    if session.get(VaultState, 1) is None:
        return
    vault = vault_of(session.get_bind().dialect)
    if vault is None:
        raise AccountError("本库的号码已加密保存：须由持有数据密钥的管理员登录后设置密码")
    user.wrapped_key = wrap(vault, slot_key)


def _open_stored(session: Session) -> None:
    """Sign-in turned off: every sealed number opened again and the key forgotten, in the session's transaction."""
    from db.models.base import Base

    state = session.get(VaultState, 1)
    if state is None:
        return
    vault = vault_of(session.get_bind().dialect)
    if vault is None:
        raise AccountError("本库的号码已加密保存：须由持有数据密钥的管理员登录后才能关闭登录")
    with resealing(session):
        reseal(session.connection(), Base.metadata, opening=vault)
    session.delete(state)
    session.flush()
    _switch(session, sealed=False, vault=None)


def _switch(session: Session, *, sealed: bool, vault) -> None:
    """The column types follow the change at once, for the rest of its transaction; unless the transaction commits
    (rolled back, or its COMMIT failed: a full disk, a lost server) they return to how they were as it ends. Once it
    commits, the values as they were are scrubbed from the file's free pages and journal."""
    from sqlalchemy import event

    engine = session.get_bind()
    before = (sealed_on(engine.dialect), vault_of(engine.dialect))
    attach(engine.dialect, sealed=sealed, vault=vault)
    committed: list[bool] = []
    ended: list[bool] = []  # the listeners stay (none may be removed while the session dispatches) but do nothing

    def on_commit(_session) -> None:
        if ended:
            return
        committed.append(True)
        try:  # the change stands either way: what is left here is cleaning up after it
            scrub(engine)
            if sealed and engine.dialect.name == "sqlite" and engine.url.database:
                _seal_backups(engine, vault)
        except Exception:
            log.exception("cleaning up after sign-in was turned %s", "on" if sealed else "off")

    def on_end(_session, transaction) -> None:
        if ended or transaction.parent is not None:  # done already, or a savepoint
            return
        ended.append(True)
        if not committed:
            attach(engine.dialect, sealed=before[0], vault=before[1])

    event.listen(session, "after_commit", on_commit)
    event.listen(session, "after_transaction_end", on_end)


def _duration(seconds: int) -> str:
    return f"{seconds} 秒" if seconds < 60 else f"{(seconds + 59) // 60} 分钟"


_DUMMY_HASH = "scrypt$17$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


def sign_in_to(db, name: str, password: str) -> Actor:
    """Sign in on an open database: from now on its sessions act as the account. A failure is counted
    (and committed) before the reason is raised."""
    with db.session() as session:
        try:
            actor = sign_in(session, name, password)
        except AccountError:
            session.commit()
            raise
        session.commit()
    db.actor = actor
    return actor


def forget_key(db) -> None:
    """Whoever held the data key on this open database no longer does (signed out, disabled themselves)."""
    dialect = db.engine.dialect
    attach(dialect, sealed=sealed_on(dialect), vault=None)


def carry_key(before, db) -> bool:
    """After a restore: the key held on the database before still opens the file now in its place (sealed under
    the same data key), so the administrator who restored need not sign in again. False where it does not."""
    with db.session() as session:
        state = session.get(VaultState, 1)
    if state is None:
        return True
    if before is None or not before.opens(state.check_value):
        return False
    attach(db.engine.dialect, sealed=True, vault=before)
    return True


def _seal_backups(engine, vault) -> None:
    from pathlib import Path

    from db.backups import seal_backups

    with engine.connect() as connection:
        accounts = [dict(row._mapping) for row in connection.execute(select(User.__table__))]
    done, left = seal_backups(Path(engine.url.database), vault, accounts)
    log.info("sign-in on: %d backups sealed, %d left as they were: %s", done, len(left), left)
