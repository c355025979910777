"""Writing an area's records (a township's, a county's) as one signed exchange file, sealed for the level above."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.errors import UserError
from db.models import CountyProfile, Division, Facility, KeyTask, Project, StaffMember
from desktop import __version__
from desktop.division_tree import DivisionTree
from desktop.exchange.container import SUFFIX, fingerprint, write_file
from desktop.exchange.identity import recipient, signing_key
from desktop.exchange.tables import SPECS, Spec, columns
from desktop.periods import Period
from desktop.records.privacy import note_unmasked_file
from desktop.snapshot import Snapshot


class ExchangeError(UserError):
    """An exchange refused, with the reason in Chinese; nothing was written."""


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    sender: str
    period: str
    counts: dict[str, int]
    sha256: str
    fingerprint: str  # of the signing key
    receiver: str  # whom it is sealed for


def area_root(session: Session, code: str | None) -> Division:
    """The area a file speaks for: the given division, or the one this database belongs to."""
    if code:
        root = session.scalar(select(Division).where(Division.code == code))
        if root is None:
            raise ExchangeError(f"本数据库中没有区划代码为 {code} 的地区。")
        return root
    profile = session.get(CountyProfile, 1)
    if profile is None or profile.division_id is None:
        raise ExchangeError("本数据库尚未设置所属地区（设置 › 县域信息），无法确定以哪个地区的名义报送。")
    return session.get(Division, profile.division_id)


def subtree(session: Session, root_id: int) -> list[int]:
    return DivisionTree.read(session).subtree(root_id)


def ancestors(session: Session, division: Division) -> list[dict[str, str]]:
    """The root's parents, top first, so a receiver that lacks them can place the sender under them."""
    return [{"code": d.code, "name": d.name, "kind": d.kind} for d in DivisionTree.read(session).ancestors(division.id)]


class _Keys:
    """Each referenced record's natural key, as the file writes it."""

    def __init__(self, session: Session) -> None:
        self.divisions = dict(session.execute(select(Division.id, Division.code)).all())
        self.facilities = {
            i: [self.divisions[d], name]
            for i, d, name in session.execute(select(Facility.id, Facility.division_id, Facility.name))
        }
        self.staff = dict(session.execute(select(StaffMember.id, StaffMember.id_number)).all())
        self.projects = {
            i: [*self.facilities[f], name]
            for i, f, name in session.execute(select(Project.id, Project.facility_id, Project.name))
        }
        self.key_tasks = {
            i: [ledger, number]
            for i, ledger, number in session.execute(select(KeyTask.id, KeyTask.ledger, KeyTask.number))
        }

    def of(self, table: str, record_id: int | None) -> Any:
        return None if record_id is None else getattr(self, table)[record_id]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def collect(
    session: Session, root: Division, *, own_area: bool, as_of: dt.date | None = None
) -> dict[str, list[list[Any]]]:
    """Every row of the area, per table, columns as ``columns(spec)`` lists them, references as keys. With
    ``as_of``, the facilities, their equipment and service areas as they stood that day (changes that hold from
    after it undone, db history), as the period's own figures read them: the receiver dates them so."""
    divisions = subtree(session, root.id)
    keys = _Keys(session)
    scope: dict[str, list[int]] = {"divisions": divisions}
    facility_ids = session.scalars(select(Facility.id).where(Facility.division_id.in_(divisions))).all()
    scope["facilities"] = facility_ids
    scope["staff"] = session.scalars(select(StaffMember.id).where(StaffMember.facility_id.in_(facility_ids))).all()
    scope["projects"] = session.scalars(select(Project.id).where(Project.facility_id.in_(facility_ids))).all()
    tasks = KeyTask.division_id.in_(divisions)
    if own_area:  # a task with no area is in this database's own ledger
        tasks = or_(tasks, KeyTask.division_id.is_(None))
    scope["key_tasks"] = session.scalars(select(KeyTask.id).where(tasks)).all()
    out = {}
    then = Snapshot(session, as_of) if as_of is not None else None
    for spec in SPECS:
        out[spec.table] = _rows(session, spec, scope, keys, root, then)
    return out


def _rows(
    session: Session, spec: Spec, scope: dict[str, list[int]], keys: _Keys, root: Division, then: Snapshot | None
) -> list[list[Any]]:
    model = spec.model
    names = columns(spec)
    if then is not None and spec.table in _AS_IT_STOOD:
        rows = _AS_IT_STOOD[spec.table](then, set(scope["facilities"]), names)
    else:
        if spec.table in scope:
            where = model.id.in_(scope[spec.table])
        elif spec.table == "division_populations":
            where = model.division_id.in_(scope["divisions"])
        else:
            owner = spec.refs[spec.parent]
            where = getattr(model, spec.parent).in_(scope[owner])
        rows = session.execute(select(*(getattr(model, n) for n in names)).where(where).order_by(model.id)).all()
    out = []
    for row in rows:
        values = []
        for name, value in zip(names, row, strict=True):
            if name in spec.refs:
                value = keys.of(spec.refs[name], value)
            values.append(_plain(value))
        if spec.table == "key_tasks" and values[names.index("division_id")] is None:
            values[names.index("division_id")] = root.code  # the sender's own ledger
        out.append(values)
    return out


# A facility's facts and parts as they stood on a day: the rows the period's figures read (desktop.snapshot).
_AS_IT_STOOD = {
    "facilities": lambda then, ids, names: [
        tuple(getattr(f, n) for n in names) for fid, f in sorted(then.facilities.items()) if fid in ids
    ],
    "facility_equipment": lambda then, ids, _names: [
        (fid, item, qty) for fid, items in sorted(then.equipment.items()) if fid in ids for item, qty in items.items()
    ],
    "service_areas": lambda then, ids, _names: [
        (fid, division) for fid, villages in sorted(then.service_area.items()) if fid in ids for division in villages
    ],
}


def export_area(
    session: Session, *, period: Period, out: Path, user: str, area_code: str | None = None, to: str | None = None
) -> ExportSummary:
    """This area's file for the period, sealed for the receiver ``to`` (a registered receiver's area code; by
    default the only one registered) and signed with this database's key."""
    if out.suffix != SUFFIX:
        out = out.with_name(out.name + SUFFIX)
    # whole ID and phone numbers leave the office: an account that may see them, and the history says so
    note_unmasked_file(session, "数据交换文件", out.name)
    receiver = recipient(session, to)
    root = area_root(session, area_code)
    profile = session.get(CountyProfile, 1)
    own_area = profile is not None and profile.division_id == root.id
    tables = collect(session, root, own_area=own_area, as_of=period.as_of(dt.date.today()))
    identity = signing_key(session)
    header = {
        "sender": {"code": root.code, "name": root.name, "kind": root.kind},
        "ancestors": ancestors(session, root),
        "period": str(period),
        # to the microsecond: of two files for a period, the later one is kept, even when sent a moment apart
        "exported_at": dt.datetime.now().isoformat(timespec="microseconds"),
        "exported_by": user,
        "app_version": __version__,
        "counts": {t: len(r) for t, r in tables.items()},
    }
    body = {"columns": {s.table: columns(s) for s in SPECS}, "tables": tables}
    sha256 = write_file(out, header, body, identity.private_key, receiver)
    return ExportSummary(
        out, root.name, str(period), header["counts"], sha256, fingerprint(identity.public_key), receiver.name
    )
