"""Setting up a real county (or city) from the official division codes: the area, its townships and its
villages and communities, with their 12-digit codes, in one transaction.

The divisions come from the catalogue shipped with the app (``desktop.divisions_catalogue``); each is stored
under its short name (石坪村, not 石坪村民委员会), the name clerks write in their ledgers. A division the list
repeats one level down under the same code (东莞市's county-level row, 金门县's township) is stored once: what
lies under the repeat hangs from the division itself.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import Database
from db.errors import UserError
from db.models import Change, CountyProfile, Division
from desktop import divisions_catalogue as official
from desktop.profile import save_profile
from desktop.records.editing import log_change

# The catalogue's kinds as the database keeps them: a street is a street; every other township-level unit
# (town, township, ethnic township, sumu, development zone, farm ...) is a township.
_KINDS = {
    official.CITY: lambda _kind: "city",
    official.COUNTY: lambda _kind: "county",
    official.TOWNSHIP: lambda kind: "street" if kind == "street" else "township",
    official.VILLAGE: lambda kind: "community" if kind == "community" else "village",
}


class SetupError(UserError):
    """The area cannot be set up as asked; nothing was written."""


class AlreadySetUp(SetupError):
    """The database already holds divisions: setting up is for a new database (an update is what it needs)."""


# The reason the change history gives for what an update from the official list did. A division added by hand
# (desktop.division_editing) is logged with another reason: it is not the list's, so the list cannot withdraw it.
OFFICIAL_UPDATE = "按统计用区划代码更新"


@dataclass(frozen=True)
class SetupSummary:
    name: str
    code: str
    counts: dict[str, int]  # divisions written, by the database's kind

    def describe(self) -> str:
        from db.codes import DIVISION_KIND

        parts = "、".join(f"{DIVISION_KIND[k]} {n:,} 个" for k, n in self.counts.items() if n)
        return f"已按 2023 年统计用区划代码建立{self.name}（{self.code}）：{parts}。"


def find_area(code: str) -> official.Division:
    """The county (6 digits) or city (4 digits) a bureau keeps, from the official list."""
    text = (code or "").strip()
    if len(text) == 12 and text.isdigit():
        text = text[:6] if text[4:6] != "00" else text[:4]
    area = official.find(text) if len(text) in (4, 6) and text.isdigit() else None
    if area is None or area.level not in (official.CITY, official.COUNTY):
        raise SetupError(
            f"找不到区划代码“{text}”对应的县（市、区）或市："
            "请填写 6 位县级代码（如 430922）或 4 位市级代码（如 4309）。"
        )
    return area


def set_up_area(db: Database, code: str, *, user: str) -> SetupSummary:
    """Create the county (or city) ``code`` names, with everything under it, and point the profile at it.
    A database that already holds divisions is refused: setting up is for a bureau's first day."""
    area = find_area(code)
    with db.session() as session:
        held = session.scalar(select(func.count()).select_from(Division))
        if held:
            raise AlreadySetUp(
                f"本数据库已有 {held:,} 个行政区划，未作改动。按统计用区划代码建立县域只用于新数据库；"
                "请新建一个数据库后再建立。"
            )
        counts = _write_divisions(session, area)
        errors = _point_profile_at(session, area, user)
        if errors:  # the official name and code always pass the profile's checks; say so if they did not
            raise SetupError("；".join(errors.values()))
        session.commit()
    return SetupSummary(area.short_name, area.short_code, counts)


def _write_divisions(session: Session, area: official.Division) -> dict[str, int]:
    counts: Counter[str] = Counter()
    level: list[tuple[official.Division, int | None]] = [(area, None)]
    while level:
        below: list[tuple[official.Division, int | None]] = []
        made = []
        for row, parent_id in level:
            division = Division(
                code=row.code, name=row.short_name, kind=_KINDS[row.level](row.kind), parent_id=parent_id
            )
            made.append((row, division))
        session.add_all([division for _row, division in made])
        session.flush()  # the ids the next level hangs from
        for row, division in made:
            counts[division.kind] += 1
            below += _children(row, division.id)
        level = below
    return dict(counts)


def _children(row: official.Division, parent_id: int) -> list[tuple[official.Division, int]]:
    out = []
    for child in official.children(row):
        if child.code == row.code:  # the same division again, one level down: its children are ours
            out += _children(child, parent_id)
        else:
            out.append((child, parent_id))
    return out


def _point_profile_at(session: Session, area: official.Division, user: str) -> dict[str, str]:
    profile = session.get(CountyProfile, 1)
    return save_profile(
        session,
        bureau_name=profile.bureau_name if profile else f"{area.short_name}卫生健康局",
        head_of_unit=profile.head_of_unit if profile else None,
        preparer=profile.preparer if profile else None,
        phone=profile.phone if profile else None,
        user=user,
        area_name=area.short_name,
        division_code=area.code,
    )


# --- Bringing a set-up area to a newer edition ------------------------------------------------------------------


@dataclass(frozen=True)
class UpdateSummary:
    name: str
    code: str
    added: list[str] = field(default_factory=list)  # "乡镇/村" of each division added
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old name, new name)
    withdrawn: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.renamed or self.withdrawn or self.restored)

    def describe(self) -> str:
        where = f"{self.name}（{self.code}）"
        if not self.changed:
            return f"已按 2023 年统计用区划代码核对{where}：行政区划没有变化，未作改动。"
        parts = [
            _counted("新增", self.added),
            _counted("更名", [f"{old}→{new}" for old, new in self.renamed]),
            _counted("撤销", self.withdrawn),
        ]
        if self.restored:
            parts.append(_counted("恢复", self.restored))
        text = f"已按 2023 年统计用区划代码更新{where}：" + "；".join(parts) + "。"
        if self.withdrawn:
            text += "撤销的区划没有删除，仍保留在原有记录中，并注明撤销日期。"
        return text


def _counted(what: str, names: list[str], shown: int = 5) -> str:
    if not names:
        return f"{what} 0 个"
    more = "等" if len(names) > shown else ""
    return f"{what} {len(names):,} 个（{'、'.join(names[:shown])}{more}）"


def update_area(db: Database, code: str, *, user: str, on: dt.date | None = None) -> UpdateSummary:
    """Bring the divisions of the area ``code`` names to the catalogue's edition, in one transaction: add the new
    ones (under their parents), rename those whose code stays but whose name changed, and mark those the list no
    longer has as withdrawn on ``on`` (today): never deleted, for records and past reports point to them. One the
    list has again is restored. Divisions added by hand are not the list's and are left alone."""
    area = find_area(code)
    on = on or dt.date.today()
    prefix = area.short_code
    with db.session() as session:
        held = {d.code: d for d in session.scalars(select(Division).where(Division.code.like(f"{prefix}%")))}
        if area.code not in held:
            raise SetupError(
                f"本数据库中没有{area.short_name}（{area.short_code}）的行政区划，无法更新；"
                "请先按统计用区划代码建立该县（市）。"
            )
        wanted = _catalogue_rows(area)  # code -> (row, parent code), parents first
        summary = UpdateSummary(area.short_name, area.short_code)
        names = {c: d.name for c, d in held.items()}

        def path(code_: str, parent_code: str | None) -> str:
            parent = names.get(parent_code) if parent_code else None
            return f"{parent}/{names[code_]}" if parent and parent_code != area.code else names[code_]

        withdrawn_by_list = _withdrawn_by_list(session, [d.id for d in held.values() if d.withdrawn_on])
        for row_code, (row, parent_code) in wanted.items():
            kind = _KINDS[row.level](row.kind)
            division = held.get(row_code)
            if division is None:
                parent = held[parent_code] if parent_code else None
                division = Division(
                    code=row.code, name=row.short_name, kind=kind, parent_id=parent.id if parent else None
                )
                session.add(division)
                session.flush()
                held[row_code], names[row_code] = division, division.name
                log_change(
                    session, user, "divisions", division.id, "insert", None,
                    {"code": division.code, "name": division.name, "kind": kind, "parent_id": division.parent_id},
                    OFFICIAL_UPDATE,
                )  # fmt: skip
                summary.added.append(path(row_code, parent_code))
                continue
            if division.name != row.short_name or division.kind != kind:
                old = {"name": division.name, "kind": division.kind}
                summary.renamed.append((division.name, row.short_name))
                division.name, division.kind = row.short_name, kind
                names[row_code] = division.name
                log_change(
                    session, user, "divisions", division.id, "update", old,
                    {"name": division.name, "kind": kind}, OFFICIAL_UPDATE,
                )  # fmt: skip
            if division.withdrawn_on is not None and division.id in withdrawn_by_list:
                log_change(
                    session, user, "divisions", division.id, "update",
                    {"withdrawn_on": division.withdrawn_on.isoformat()}, {"withdrawn_on": None}, OFFICIAL_UPDATE,
                )  # fmt: skip
                division.withdrawn_on = None
                summary.restored.append(path(row_code, parent_code))
        by_hand = _added_by_hand(session, [d.id for c, d in held.items() if c not in wanted])
        parents = {d.id: d.code for d in held.values()}
        for row_code, division in sorted(held.items()):
            if row_code in wanted or division.withdrawn_on is not None or division.id in by_hand:
                continue
            division.withdrawn_on = on
            log_change(
                session, user, "divisions", division.id, "update", {"withdrawn_on": None},
                {"withdrawn_on": on.isoformat()}, f"{OFFICIAL_UPDATE}：新版代码中已无此区划",
            )  # fmt: skip
            summary.withdrawn.append(path(row_code, parents.get(division.parent_id)))
        session.flush()
        session.commit()
    return summary


def _catalogue_rows(area: official.Division) -> dict[str, tuple[official.Division, str | None]]:
    """Every division of the area in the catalogue, by code, with the code of the division it hangs from here
    (a repeat one level down is the division itself); parents come before their children."""
    out: dict[str, tuple[official.Division, str | None]] = {area.code: (area, None)}
    level = [area]
    while level:
        below = []
        for row in level:
            for child, _parent_id in _children(row, 0):
                out[child.code] = (child, row.code)
                below.append(child)
        level = below
    return out


def _withdrawn_by_list(session: Session, ids: list[int]) -> set[int]:
    """Of these withdrawn divisions, those whose latest withdrawal came from an update of the official list (not
    from a merge the bureau made, which a list that still names the division must not undo)."""
    latest: dict[int, Change] = {}
    for change in session.scalars(
        select(Change)
        .where(Change.table_name == "divisions", Change.row_id.in_(ids), Change.action == "update")
        .order_by(Change.id)
    ):
        if (change.new_values or {}).get("withdrawn_on"):
            latest[change.row_id] = change
    return {i for i, c in latest.items() if (c.reason or "").startswith(OFFICIAL_UPDATE)}


def _added_by_hand(session: Session, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return set(
        session.scalars(
            select(Change.row_id).where(
                Change.table_name == "divisions",
                Change.row_id.in_(ids),
                Change.action == "insert",
                (Change.reason.is_(None)) | (Change.reason != OFFICIAL_UPDATE),
            )
        )
    )
