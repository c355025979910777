"""This database's keys, made on first need, and the receivers above it that its files are sealed for.

A receiver sends its key file (接收密钥文件, .chk: its area and X25519 public key, nothing secret); the sender's
administrator registers it after reading its fingerprint back over the phone, as a receiver confirms a
sender's signing key. A key file proves nothing by itself: anyone can make one with any county's name.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.access import actor_of
from db.errors import UserError
from db.files import written_whole
from db.models import CountyProfile, Division, ExchangeIdentity, ExchangeReceiver
from db.sealing import new_box_pair
from desktop.exchange.container import BoxKeys, Recipient, fingerprint
from desktop.records.editing import log_change

KEY_SUFFIX = ".chk"
KEY_FORMAT = "countyhealth-receiver-key"
MAX_KEY_FILE = 64 << 10


NO_RECEIVER = (
    "还没有登记接收单位的密钥，交换文件无法加密。请上级单位在“数据交换”页导出“本库接收密钥”文件"
    f"（{KEY_SUFFIX}）发给本单位，电话核对指纹后，由管理员在“数据交换”页“登记接收单位…”登记，再导出。"
)


class KeyFileError(UserError):
    """A receiver's key file that cannot be registered; nothing was changed."""


def signing_key(session: Session) -> ExchangeIdentity:
    """This database's key pairs (32-byte raw keys), made and stored in the session's transaction the first
    time; an identity made before files were sealed gets its X25519 pair here."""
    identity = session.get(ExchangeIdentity, 1)
    if identity is None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        key = Ed25519PrivateKey.generate()
        identity = ExchangeIdentity(
            id=1,
            private_key=key.private_bytes_raw(),
            public_key=key.public_key().public_bytes_raw(),
            created_at=dt.datetime.now(),
        )
        session.add(identity)
    if identity.box_private_key is None:
        identity.box_private_key, identity.box_public_key = new_box_pair()
    session.flush()
    return identity


def box_keys(session: Session) -> BoxKeys | None:
    """The pair that opens files sealed for this database; None before it ever made one (read, never made)."""
    identity = session.get(ExchangeIdentity, 1)
    if identity is None or identity.box_private_key is None:
        return None
    return BoxKeys(identity.box_private_key, identity.box_public_key)


def own_area(session: Session) -> Division:
    profile = session.get(CountyProfile, 1)
    division = session.get(Division, profile.division_id) if profile and profile.division_id else None
    if division is None:
        raise KeyFileError("本库尚未设置所属地区：请先在“设置 › 县域信息”中选择本单位所在的地区。")
    return division


def write_key_file(session: Session, out: Path) -> tuple[Path, str]:
    """This database's receiving key, for the areas below to register; returns (file, fingerprint)."""
    if out.suffix != KEY_SUFFIX:
        out = out.with_name(out.name + KEY_SUFFIX)
    area = own_area(session)
    identity = signing_key(session)
    card = {
        "format": KEY_FORMAT,
        "code": area.code,
        "name": area.name,
        "public_key": base64.b64encode(identity.box_public_key).decode(),
        "fingerprint": fingerprint(identity.box_public_key),
        "made_at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    with written_whole(out) as partial:
        partial.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return out, card["fingerprint"]


def read_key_file(path: Path) -> Recipient:
    refused = f"“{path.name}”"
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_KEY_FILE + 1)
    except OSError as exc:
        raise KeyFileError(f"无法读取{refused}（文件不存在、没有读取权限或正被占用）。") from exc
    try:
        if len(data) > MAX_KEY_FILE:
            raise ValueError
        card = json.loads(data.decode("utf-8-sig"))
        if card.get("format") != KEY_FORMAT:
            raise ValueError
        key = base64.b64decode(card["public_key"], validate=True)
        code, name = str(card["code"]), str(card["name"]).strip()
        if len(key) != 32 or not code.isdigit() or len(code) != 12 or not name:
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise KeyFileError(
            f"{refused}不是县域卫生健康台账的接收密钥文件（扩展名 {KEY_SUFFIX}，由上级单位在“数据交换”页导出）。"
        ) from None
    return Recipient(code, name, key)


def register_receiver(session: Session, path: Path, *, user: str, reason: str) -> tuple[ExchangeReceiver, str | None]:
    """Register (or re-key) a receiver from its key file, its fingerprint checked by phone first: only by an
    administrator and with a reason, which the history keeps with the fingerprint. Returns the receiver and
    the fingerprint it had before (None for a new one)."""
    actor_of(session).require("manage", "登记接收单位的密钥")
    reason = (reason or "").strip()
    if not reason:
        raise KeyFileError("登记接收单位的密钥须写明原因（如：已电话核对，指纹一致）。")
    card = read_key_file(path)
    new = fingerprint(card.public_key)
    identity = session.get(ExchangeIdentity, 1)
    if identity is not None and identity.box_public_key == card.public_key:
        raise KeyFileError("这是本库自己的接收密钥：应登记上级单位发来的密钥文件。")
    receiver = session.scalar(select(ExchangeReceiver).where(ExchangeReceiver.division_code == card.code))
    old = None
    if receiver is None:
        receiver = ExchangeReceiver(
            division_code=card.code, name=card.name, public_key=card.public_key,
            registered_at=dt.datetime.now(), registered_by=user,
        )  # fmt: skip
        session.add(receiver)
        session.flush()
        log_change(session, user, "exchange_receivers", receiver.id, "insert", None,
                   {"receiver": card.name, "code": card.code, "receiving_key": new}, reason)  # fmt: skip
        return receiver, None
    old = fingerprint(receiver.public_key)
    if old == new:
        raise KeyFileError(f"“{receiver.name}”的接收密钥已登记（指纹 {new}），无需再登记。")
    receiver.name, receiver.public_key = card.name, card.public_key
    receiver.registered_at, receiver.registered_by = dt.datetime.now(), user
    session.flush()
    log_change(session, user, "exchange_receivers", receiver.id, "update", {"receiving_key": old},
               {"receiving_key": new}, reason)  # fmt: skip
    return receiver, old


def receivers(session: Session) -> list[ExchangeReceiver]:
    return list(session.scalars(select(ExchangeReceiver).order_by(ExchangeReceiver.division_code)))


def recipient(session: Session, code: str | None) -> Recipient:
    """The receiver a file is sealed for: the one named, or the only one registered."""
    known = receivers(session)
    if code is not None:
        chosen = [r for r in known if r.division_code == code]
        if not chosen:
            raise KeyFileError(f"没有登记区划代码为 {code} 的接收单位：请先登记它发来的接收密钥文件（{KEY_SUFFIX}）。")
    elif not known:
        raise KeyFileError(NO_RECEIVER)
    elif len(known) > 1:
        names = "、".join(f"{r.name}（{r.division_code}）" for r in known)
        raise KeyFileError(f"已登记多个接收单位（{names}）：请指明交换文件报送给哪一个。")
    else:
        chosen = known
    return Recipient(chosen[0].division_code, chosen[0].name, chosen[0].public_key)
