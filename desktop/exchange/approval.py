"""Files received, approved, reopened: the receiving clerk's side of an exchange, period by period.

A received file waits: its records count in this database's figures only once approved. Approving merges it
and locks the sender's area (db.locks); reopening lifts the lock and needs a reason, which the change history
keeps. A newer file for the same period, before approval, supersedes the one waiting; an older one is refused
(its export time, in its signed header, says which is newer).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.codes import RECEIPT_STATUS
from db.locks import MERGING
from db.models import CountyProfile, Division, ExchangeReceipt, ExchangeSender
from desktop.exchange.container import ExchangeFile, read_file
from desktop.exchange.export import ExchangeError
from desktop.exchange.receive import ExchangePlan, apply_plan, body_bytes, plan_import
from desktop.periods import Period
from desktop.records.editing import log_change


def receive_file(
    session: Session, path: Path, *, user: str, dry_run: bool = False
) -> tuple[ExchangePlan, ExchangeReceipt | None]:
    """Read, verify and plan a file; unless a dry run or a problem, keep it waiting for approval."""
    received = read_file(path)
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
    plan = plan_import(session, _stored(receipt))  # again: this database may have changed since it arrived
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


def rekey(session: Session, path: Path, *, user: str, reason: str) -> tuple[str, str]:
    """Accept the key a sender's new file is signed with (a new PC, a reinstall), checked by phone first:
    only with a reason, which the history keeps with both fingerprints. Returns (old, new) fingerprints."""
    from desktop.exchange.container import fingerprint

    reason = (reason or "").strip()
    if not reason:
        raise ExchangeError("改认报送单位的新密钥须写明原因（如：已电话核实，对方重装了软件）。")
    received = read_file(path)
    code = str(received.header.get("sender", {}).get("code", ""))
    sender = session.scalar(select(ExchangeSender).where(ExchangeSender.division_code == code))
    if sender is None:
        raise ExchangeError("本库还没有收到过该单位的文件，无需改认：直接导入即可。")
    old, new = fingerprint(sender.public_key), fingerprint(received.public_key)
    if old == new:
        raise ExchangeError(f"此文件的签名密钥与登记的相同（指纹 {new}），无需改认。")
    sender.public_key = received.public_key
    session.flush()
    log_change(session, user, "exchange_senders", sender.id, "update", {"fingerprint": old}, {"fingerprint": new},
               reason)  # fmt: skip
    return old, new


@dataclass(frozen=True)
class SenderStatus:
    code: str
    name: str
    status: str  # "missing" or a receipt status
    receipt: ExchangeReceipt | None

    @property
    def label(self) -> str:
        return "未报送" if self.receipt is None else RECEIPT_STATUS[self.status]


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
    return [
        SenderStatus(code, name, latest[code].status if code in latest else "missing", latest.get(code))
        for code, name in areas
    ]
