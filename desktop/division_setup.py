"""Setting up a real county (or city) from the official division codes: the area, its townships and its
villages and communities, with their 12-digit codes, in one transaction.

The divisions come from the catalogue shipped with the app (``desktop.divisions_catalogue``); each is stored
under its short name (石坪村, not 石坪村民委员会), the name clerks write in their ledgers. A division the list
repeats one level down under the same code (东莞市's county-level row, 金门县's township) is stored once: what
lies under the repeat hangs from the division itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import Database
from db.errors import UserError
from db.models import CountyProfile, Division
from desktop import divisions_catalogue as official
from desktop.profile import save_profile

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
            raise SetupError(
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
