"""Files received, approved, reopened: the receiving clerk's side of an exchange, period by period.

A received file waits: its records count in this database's figures only once approved. Approving merges it
and locks the sender's area (db.locks); reopening lifts the lock and needs a reason, which the change history
keeps. A newer file for the same period, before approval, supersedes the one waiting; an older one is refused
(its export time, in its signed header, says which is newer). A sender's first file waits also for an
administrator to confirm the sender's key, after reading its fingerprint back over the phone: a key proves only
that a file was made with it, and anyone can make one and write any county's name beside it.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.access import actor_of
from db.codes import RECEIPT_STATUS
from db.locks import MERGING
from db.models import CountyProfile, Division, ExchangeReceipt, ExchangeSender
from desktop.exchange.container import ExchangeFile, fingerprint, read_file, read_header, signer_key
from desktop.exchange.export import ExchangeError
from desktop.exchange.identity import box_keys
from desktop.exchange.receive import ExchangePlan, apply_plan, body_bytes, plan_import
from desktop.periods import Period
from desktop.records.editing import log_change


def receive_file(
    session: Session, path: Path, *, user: str, dry_run: bool = False
) -> tuple[ExchangePlan, ExchangeReceipt | None]:
    """Read, verify and plan a file; unless a dry run or a problem, keep it waiting for approval."""
    received = read_file(path, box_keys(session))
    plan = plan_import(session, received)
    if dry_run or plan.problems:
        return plan, None
    if plan.first_from_sender:
        session.add(ExchangeSender(
            division_code=plan.sender_code, name=plan.sender_name, public_key=received.public_key,
            first_seen=dt.datetime.now(), registered_by=user,
        ))  # fmt: skip
    for waiting in _receipts(session, plan.sender_code, str(plan.period), "received"):
        waiting.status = "superseded"
    header = received.header
    receipt = ExchangeReceipt(
        division_code=plan.sender_code,
        sender_name=plan.sender_name,
        period=str(plan.period),
        file_name=path.name,
        file_sha256=received.sha256,
        exported_at=plan.exported_at,
        exported_by=str(header.get("exported_by", "")),
        received_at=dt.datetime.now(),
        received_by=user,
        rows=sum(header.get("counts", {}).values()),
        body=body_bytes(received),
        status="received",
    )
    session.add(receipt)
    session.flush()
    log_change(session, user, "exchange_receipts", receipt.id, "insert", None,
               {"sender": plan.sender_name, "period": str(plan.period), "file": path.name,
                "sha256": received.sha256}, f"收到{plan.sender_name}{plan.period.label}交换文件")  # fmt: skip
    return plan, receipt


def _receipts(session: Session, code: str, period: str, status: str) -> list[ExchangeReceipt]:
    return list(
        session.scalars(
            select(ExchangeReceipt)
            .where(
                ExchangeReceipt.division_code == code,
                ExchangeReceipt.period == period,
                ExchangeReceipt.status == status,
            )  # fmt: skip
            .order_by(ExchangeReceipt.id.desc())
        )
    )


def _stored(receipt: ExchangeReceipt) -> ExchangeFile:
    data = json.loads(gzip.decompress(receipt.body))
    return ExchangeFile(data["header"], data["body"], receipt.file_sha256)


def approve(session: Session, code: str, period: Period, *, user: str, progress=None) -> tuple[ExchangePlan, int]:
    """Merge the waiting file of a sender for a period and lock the period; returns the plan and rows written."""
    waiting = _receipts(session, code, str(period), "received")
    if not waiting:
        raise ExchangeError(f"没有区划代码 {code} 在{period.label}待审核的文件。")
    receipt = waiting[0]
    stored = _stored(receipt)
    sender = _sender(session, code)
    if sender is None or sender.confirmed_at is None:
        raise ExchangeError(
            f"“{receipt.sender_name}”（{code}）首次报送的签名指纹 {fingerprint(stored.public_key)} 尚未确认，"
            "未审核。请先电话与对方核对指纹，一致后由管理员用“数据交换”页的“确认指纹”"
            f"（或 countyhealth exchange confirm --from {code}）确认，并写明原因。"
        )
    if sender.public_key != stored.public_key:  # kept from before the sender's key was changed
        raise ExchangeError(f"此文件的签名密钥不是“{sender.name}”现在登记的密钥，未审核：请让对方重新发送。")
    plan = plan_import(session, stored)  # again: this database may have changed since it arrived
    if plan.problems:
        listed = "；".join(f"{p.where}：{p.message}" for p in plan.problems[:5])
        raise ExchangeError(f"此文件现在有 {len(plan.problems)} 处问题，未审核：{listed}")
    session.info[MERGING] = True
    try:
        written = apply_plan(session, plan, user=user, progress=progress)
    finally:
        session.info.pop(MERGING, None)
    receipt.status, receipt.decided_at, receipt.decided_by = "approved", dt.datetime.now(), user
    session.info.pop("locked_areas", None)
    log_change(session, user, "exchange_receipts", receipt.id, "update", {"status": "received"},
               {"status": "approved"}, f"审核通过{plan.sender_name}{period.label}数据")  # fmt: skip
    return plan, written


def reopen(session: Session, code: str, period: Period, *, user: str, reason: str) -> ExchangeReceipt:
    """Lift an approved period's lock, for a correction: only with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ExchangeError("重新打开已审核的数据须写明原因。")
    approved = _receipts(session, code, str(period), "approved")
    if not approved:
        raise ExchangeError(f"区划代码 {code} 在{period.label}没有已审核的数据，无需重新打开。")
    receipt = approved[0]
    receipt.status, receipt.note = "reopened", reason
    receipt.decided_at, receipt.decided_by = dt.datetime.now(), user
    session.info.pop("locked_areas", None)
    log_change(session, user, "exchange_receipts", receipt.id, "update", {"status": "approved"},
               {"status": "reopened"}, reason)  # fmt: skip
    return receipt


def _sender(session: Session, code: str) -> ExchangeSender | None:
    return session.scalar(select(ExchangeSender).where(ExchangeSender.division_code == code))


def confirm(session: Session, code: str, *, user: str, reason: str) -> ExchangeSender:
    """Accept a new sender's key, its fingerprint read back over the phone first: only with a reason, which the
    history keeps with the fingerprint. Its waiting file can then be approved."""
    actor_of(session).require("manage", "确认报送单位的签名指纹")
    reason = (reason or "").strip()
    if not reason:
        raise ExchangeError("确认报送单位的签名指纹须写明原因（如：已电话核对，指纹一致）。")
    sender = _sender(session, code)
    if sender is None:
        raise ExchangeError(f"本库还没有收到过区划代码 {code} 的单位的文件，无从确认。")
    if sender.confirmed_at is not None:
        raise ExchangeError(
            f"“{sender.name}”的签名指纹已于 {sender.confirmed_at:%Y-%m-%d} 由{sender.confirmed_by}确认，无需再确认。"
        )
    sender.confirmed_at, sender.confirmed_by = dt.datetime.now(), user
    session.flush()
    log_change(session, user, "exchange_senders", sender.id, "update", {"confirmed": False},
               {"confirmed": True, "fingerprint": fingerprint(sender.public_key)}, reason)  # fmt: skip
    return sender


def rekey(session: Session, path: Path, *, user: str, reason: str) -> tuple[str, str]:
    """Accept the key a sender's new file is signed with (a new PC, a reinstall), checked by phone first:
    only with a reason, which the history keeps with both fingerprints. Returns (old, new) fingerprints.
    The phone check confirms the new key; a file still waiting was signed with the old one, and is set aside."""
    reason = (reason or "").strip()
    if not reason:
        raise ExchangeError("改认报送单位的新密钥须写明原因（如：已电话核实，对方重装了软件）。")
    header = read_header(path)  # the signing key is in the signed header: the records need not be opened
    code = str(header.get("sender", {}).get("code", ""))
    sender = _sender(session, code)
    if sender is None:
        raise ExchangeError("本库还没有收到过该单位的文件，无需改认：直接导入即可。")
    signer = signer_key(header)
    old, new = fingerprint(sender.public_key), fingerprint(signer)
    if old == new:
        raise ExchangeError(f"此文件的签名密钥与登记的相同（指纹 {new}），无需改认。")
    sender.public_key = signer
    sender.confirmed_at, sender.confirmed_by = dt.datetime.now(), user
    for waiting in session.scalars(
        select(ExchangeReceipt).where(ExchangeReceipt.division_code == code, ExchangeReceipt.status == "received")
    ):
        waiting.status = "superseded"
    session.flush()
    log_change(session, user, "exchange_senders", sender.id, "update", {"fingerprint": old}, {"fingerprint": new},
               reason)  # fmt: skip
    return old, new


UNCONFIRMED = "待确认指纹"  # a first file waiting, as the status lists it, until its sender's key is confirmed


@dataclass(frozen=True)
class SenderStatus:
    code: str
    name: str
    status: str  # "missing" or a receipt status
    receipt: ExchangeReceipt | None
    sender: ExchangeSender | None = None

    @property
    def confirmed(self) -> bool:
        return self.sender is not None and self.sender.confirmed_at is not None

    @property
    def label(self) -> str:
        if self.receipt is None:
            return "未报送"
        if self.status == "received" and not self.confirmed:
            return UNCONFIRMED
        return RECEIPT_STATUS[self.status]

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sender.public_key) if self.sender is not None else ""


def period_status(session: Session, period: Period) -> list[SenderStatus]:
    """Each area directly under this database's own (townships of a county, counties of a city) for a period:
    not yet sent, waiting, approved or reopened."""
    profile = session.get(CountyProfile, 1)
    if profile is None or profile.division_id is None:
        return []
    areas = session.execute(
        select(Division.code, Division.name).where(Division.parent_id == profile.division_id).order_by(Division.code)
    ).all()
    latest: dict[str, ExchangeReceipt] = {}
    for receipt in session.scalars(
        select(ExchangeReceipt).where(ExchangeReceipt.period == str(period)).order_by(ExchangeReceipt.id)
    ):
        if receipt.status != "superseded":
            latest[receipt.division_code] = receipt
    known = {code for code, _name in areas}
    # a sender this database has no division for yet (its first file, before approval) is listed too
    areas += [(code, r.sender_name) for code, r in latest.items() if code not in known]
    senders = {s.division_code: s for s in session.scalars(select(ExchangeSender))}
    return [
        SenderStatus(
            code, name, latest[code].status if code in latest else "missing", latest.get(code), senders.get(code)
        )
        for code, name in areas
    ]


def status_summary(rows: list[SenderStatus]) -> str:
    """How many areas are approved, waiting, not yet sent (and waiting for a key to be confirmed, if any)."""
    counts = {label: sum(1 for r in rows if r.label == label) for label in ("已审核", "待审核", "未报送", UNCONFIRMED)}
    return "；".join(f"{k} {v} 个" for k, v in counts.items() if v or k != UNCONFIRMED)
