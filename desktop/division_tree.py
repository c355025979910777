"""The divisions of a database read once, with every walk up and down the tree that lists, files, checks, the
exchange and the name resolver need: a division's township or county, its names up to the county, what lies
under it and what lies above it.

Walks are memoised and bounded (a hand-edited database could hold a cycle), so a city's 3,000 villages cost
one query and one pass.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from db.models import Division

TOWNSHIP_KINDS = ("township", "street")
VILLAGE_KINDS = ("village", "community")
_DEPTH = 10  # deeper than any real tree (city › county › township › village)


class DivisionTree:
    def __init__(self, rows: list[Any]) -> None:
        self.rows: dict[int, Any] = {r.id: r for r in rows}
        self._nearest: dict[tuple[str, ...], dict[int, int | None]] = {}

    @classmethod
    def read(cls, db: Session | Connection) -> DivisionTree:
        conn = db.connection() if isinstance(db, Session) else db
        query = select(
            Division.id,
            Division.code,
            Division.name,
            Division.kind,
            Division.parent_id,
            Division.remote,
            Division.withdrawn_on,
        )
        return cls(conn.execute(query).all())

    # Up ---------------------------------------------------------------------------------------------------

    def nearest(self, kinds: tuple[str, ...]) -> dict[int, int | None]:
        """For every division, itself or its nearest ancestor of one of ``kinds`` (None if it has none)."""
        if kinds in self._nearest:
            return self._nearest[kinds]
        out: dict[int, int | None] = {}
        rows = self.rows
        for start in rows:
            path, d = [], start
            while d is not None and d not in out and len(path) <= _DEPTH:
                row = rows.get(d)
                if row is None:
                    d = None
                    break
                if row.kind in kinds:
                    out[d] = d
                    break
                path.append(d)
                d = row.parent_id
            found = out.get(d) if d is not None else None
            for p in path:
                out[p] = found
        self._nearest[kinds] = out
        return out

    @cached_property
    def township_of(self) -> dict[int, int | None]:
        return self.nearest(TOWNSHIP_KINDS)

    @cached_property
    def county_of(self) -> dict[int, int | None]:
        return self.nearest(("county",))

    def township_name(self, division_id: int | None) -> str:
        """The name of the division's township or street, or "" above that level."""
        township = self.township_of.get(division_id) if division_id is not None else None
        return self.rows[township].name if township is not None else ""

    def county_name(self, division_id: int | None) -> str:
        county = self.county_of.get(division_id) if division_id is not None else None
        return self.rows[county].name if county is not None else ""

    def names_up(self, division_id: int) -> list[str]:
        """Its own name, then its parents' up to and including the county (or the top of the tree)."""
        names, d = [], self.rows[division_id]
        names.append(d.name)
        for _ in range(_DEPTH):
            if d.kind == "county" or d.parent_id not in self.rows:
                break
            d = self.rows[d.parent_id]
            names.append(d.name)
        return names

    def ancestors(self, division_id: int) -> list[Any]:
        """The division's parents, top first (not itself)."""
        chain, d = [], self.rows[division_id].parent_id
        while d is not None and d in self.rows and len(chain) <= _DEPTH:
            chain.append(self.rows[d])
            d = self.rows[d].parent_id
        return chain[::-1]

    # Down -------------------------------------------------------------------------------------------------

    @cached_property
    def children(self) -> dict[int | None, list[int]]:
        out: dict[int | None, list[int]] = {}
        for r in sorted(self.rows.values(), key=lambda r: r.code):
            out.setdefault(r.parent_id, []).append(r.id)
        return out

    def subtree(self, root_id: int) -> list[int]:
        """The division and everything under it."""
        out, todo, seen = [], [root_id], set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            out.append(current)
            todo.extend(self.children.get(current, ()))
        return out
