"""The demo county (or city): realistic, invented, deterministic records.

``generate()`` builds every row in memory; ``write_demo()`` inserts them in one
transaction, so a cancelled or failed run leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, insert, select

from db import Database
from db.engine import sync_id_sequences
from db.errors import Cancelled, UserError
from db.models import Base, Division, Indicator, Plan
from desktop.demo.county import CountyBuilder, CountyFacts
from desktop.demo.ledgers import add_indicators, add_key_tasks, add_projects
from desktop.demo.names import COUNTY_NAMES, NameMaker
from desktop.demo.rows import Rows

Progress = Callable[[int, int], None]
CITY_CODE = "539900"  # an unused prefecture code in Yunnan, so no real place is named


class DemoError(UserError):
    """The demo cannot be written; ``str(err)`` is for the user."""


@dataclass(frozen=True)
class DemoOptions:
    scale: str = "county"  # "county" or "city"
    seed: int = 2026
    as_of: dt.date = dt.date(2026, 9, 30)
    city_size: int = len(COUNTY_NAMES)  # a city's counties; the benchmarks also build smaller cities

    @property
    def counties(self) -> int:
        if self.scale == "county":
            return 1
        if not 1 <= self.city_size <= len(COUNTY_NAMES):
            raise DemoError(f"示范市的县数应在 1 到 {len(COUNTY_NAMES)} 之间。")
        return self.city_size


@dataclass
class DemoSummary:
    counties: list[CountyFacts]
    rows: dict[str, int]


def generate(options: DemoOptions) -> tuple[Rows, list[CountyFacts]]:
    rng = random.Random(options.seed)
    names = NameMaker(rng)
    rows = Rows()
    city_id = rows.add("divisions", code=CITY_CODE + "000000", name="云川市", kind="city", parent_id=None, remote=False)
    facts = []
    for i in range(options.counties):
        builder = CountyBuilder(
            rows, rng, names, name=COUNTY_NAMES[i], code6=f"5399{21 + i:02d}", parent_id=city_id, as_of=options.as_of
        )
        county = builder.build()
        add_projects(rows, rng, county, options.as_of)
        add_key_tasks(rows, rng, county, options.as_of)
        facts.append(county)
    add_indicators(rows, rng)
    first = facts[0]
    if options.scale == "city":
        profile = dict(division_id=city_id, bureau_name="云川市卫生健康委员会", doc_prefix="云川卫健")
    else:
        profile = dict(
            division_id=first.division_id, bureau_name=f"{first.name}县卫生健康局", doc_prefix=f"{first.name[0]}卫健"
        )
    rows.add(
        "county_profile", head_of_unit=names.person("M"), preparer=names.person("F"), phone="0873-3125678", **profile
    )
    return rows, facts


def resolve_indicators(conn, rows: Rows) -> None:
    """The demo's indicator values name their indicator by code: the 十四五 plan's, as this database holds it. A
    value whose indicator the database lacks (its plan deleted before the demo was loaded) is left out."""
    ids = dict(
        conn.execute(
            select(Indicator.code, Indicator.id).join(Plan, Plan.id == Indicator.plan_id).where(Plan.name == "十四五")
        ).all()
    )
    values = rows.tables["indicator_values"]
    values[:] = [{**v, "indicator_id": ids[v["indicator_id"]]} for v in values if v["indicator_id"] in ids]


def write_demo(
    db: Database, options: DemoOptions, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
) -> DemoSummary:
    """Write the demo into an empty database, in one transaction. It writes through the engine, past the
    session's guard, so it asks for the right itself: the demo sets up a whole county."""
    db.actor.require("manage", "载入示范数据")
    with db.session() as session:
        if session.scalar(select(func.count()).select_from(Division)):
            raise DemoError("数据库中已有区划等数据，示范数据只能写入空数据库。请新建一个数据库文件后再试。")
    rows, facts = generate(options)
    tables = Base.metadata.tables
    with db.engine.begin() as conn:
        resolve_indicators(conn, rows)
        total, done = rows.total, 0
        for name, table_rows in rows:
            for start in range(0, len(table_rows), 5000):
                if cancelled and cancelled():
                    raise Cancelled()
                chunk = table_rows[start : start + 5000]
                conn.execute(insert(tables[name]), chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
        sync_id_sequences(conn)
    return DemoSummary(facts, {name: len(r) for name, r in rows})
