"""The official division codes shipped with the app (统计用区划代码, see resources/divisions/README.md).

Read-only and plain Python: no Qt, no database. Provinces, cities and counties load together on first
use (a small file); a province's townships and villages load when one of them is first asked for.

Codes are given as 2, 4, 6, 9 or 12 digits; the catalogue holds them padded to 12 (430922 -> 430922000000).
A padded code can stand for two levels where the list repeats a division on the level below it: 东莞市,
中山市 and 儋州市 are cities with a county-level row of the same code, 金门县 repeats on the township and
village levels. The length of an unpadded code picks its level; a 12-digit code finds the upper one unless a
level is given.
"""

from __future__ import annotations

import csv
import io
import lzma
import threading
from dataclasses import dataclass
from importlib.resources import files

PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE = 1, 2, 3, 4, 5
_LEVEL_OF_LENGTH = {2: PROVINCE, 4: CITY, 6: COUNTY, 9: TOWNSHIP}
_LENGTH_OF_LEVEL = {PROVINCE: 2, CITY: 4, COUNTY: 6, TOWNSHIP: 9, VILLAGE: 12}

# Kinds: province, city, county; townships: street (街道), town (镇), township (乡), ethnic_township (民族乡),
# sumu (苏木), ethnic_sumu (民族苏木), area (北京的地区办事处), direct (县直辖村级区划), other (类似乡级单位:
# 开发区, 农场, 林场, 团场 ...); villages: village (村, 嘎查), community (社区, 居委会).
TOWNSHIP_KINDS = ("street", "town", "township", "ethnic_township", "sumu", "ethnic_sumu", "area", "direct", "other")
VILLAGE_KINDS = ("village", "community")


@dataclass(frozen=True, slots=True)
class Division:
    code: str  # 12 digits
    name: str  # the official name, e.g. 石坪村民委员会
    short_name: str  # for display, e.g. 石坪村
    kind: str
    parent_code: str | None  # 12 digits; None for a province
    level: int

    @property
    def short_code(self) -> str:
        """The code at its level's own length: 43, 4309, 430922, 430922101, 430922101001."""
        return self.code[: _LENGTH_OF_LEVEL[self.level]]


class DivisionsCatalogue:
    def __init__(self, folder=None) -> None:
        self._folder = folder if folder is not None else files("resources").joinpath("divisions")
        self._lock = threading.Lock()
        self._by_key: dict[tuple[int, str], Division] = {}
        self._children: dict[tuple[int, str], list[Division]] = {}
        self._top: list[Division] | None = None
        self._loaded_provinces: set[str] = set()

    # Loading -----------------------------------------------------------------------------------------------

    def _read(self, name: str) -> list[Division]:
        text = lzma.decompress(self._folder.joinpath(name).read_bytes()).decode("utf-8")
        reader = csv.reader(io.StringIO(text))
        next(reader)  # header: level, code, parent_code, kind, name, short_name
        return [
            Division(code, name, short or name, kind, parent or None, int(level))
            for level, code, parent, kind, name, short in reader
        ]

    def _add(self, rows: list[Division]) -> None:
        for row in rows:
            self._by_key[(row.level, row.code)] = row
            if row.parent_code is not None:
                self._children.setdefault((row.level - 1, row.parent_code), []).append(row)

    def _ensure_top(self) -> list[Division]:
        if self._top is None:
            with self._lock:
                if self._top is None:
                    rows = self._read("index.csv.xz")
                    self._add(rows)
                    self._top = rows
        return self._top

    def load_province(self, province: str) -> None:
        """Load a province's townships and villages (done by the lookups when they need them)."""
        self._ensure_top()
        province = province[:2]
        if province in self._loaded_provinces:
            return
        with self._lock:
            if province in self._loaded_provinces:
                return
            if (PROVINCE, province.ljust(12, "0")) in self._by_key:
                self._add(self._read(f"{province}.csv.xz"))
            self._loaded_provinces.add(province)

    def provinces(self) -> list[Division]:
        return [d for d in self._ensure_top() if d.level == PROVINCE]

    # Lookups -----------------------------------------------------------------------------------------------

    def find(self, code: str, level: int | None = None) -> Division | None:
        """The division with this code (2, 4, 6, 9 or 12 digits), or None."""
        code = code.strip()
        if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
            return None
        if level is None:
            level = _LEVEL_OF_LENGTH.get(len(code))
        padded = code.ljust(12, "0")
        levels = [level] if level is not None else [PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE]
        self._ensure_top()
        for candidate in levels:
            if _LENGTH_OF_LEVEL[candidate] < len(code.rstrip("0")) and len(code) == 12:
                continue  # 430922101001 cannot be a county
            if candidate >= TOWNSHIP:
                self.load_province(padded)
            found = self._by_key.get((candidate, padded))
            if found is not None:
                return found
        return None

    def children(self, code: str | Division) -> list[Division]:
        """The divisions directly under this one, in code order; [] for a village or an unknown code."""
        parent = code if isinstance(code, Division) else self.find(code)
        if parent is None:
            return []
        if parent.level >= COUNTY:
            self.load_province(parent.code)
        return list(self._children.get((parent.level, parent.code), ()))

    def ancestors(self, code: str | Division) -> list[Division]:
        """From the province down to the division's parent."""
        division = code if isinstance(code, Division) else self.find(code)
        chain: list[Division] = []
        while division is not None and division.parent_code is not None:
            division = self._by_key.get((division.level - 1, division.parent_code))
            if division is not None:
                chain.append(division)
        return chain[::-1]

    def search(self, text: str, *, within: str | None = None, limit: int | None = 50) -> list[Division]:
        """Divisions whose code starts with ``text`` (digits) or whose name or short name contains it.

        Without ``within``, a name is looked for among provinces, cities and counties only (typing 桃江 finds
        the county without reading 600,000 villages); a code reaches any level. With ``within`` (a code), the
        search covers everything under that division, townships and villages included.
        """
        text = text.strip()
        if not text:
            return []
        rows = self._ensure_top()
        scope = None
        if within is not None:
            scope_division = self.find(within)
            if scope_division is None:
                return []
            scope = scope_division.code[: _LENGTH_OF_LEVEL[scope_division.level]]
            self.load_province(scope)
            rows = [d for d in self._by_key.values() if d.code.startswith(scope) and d.level > scope_division.level]
            rows.sort(key=lambda d: (d.code, d.level))
        elif text.isdigit() and len(text) > 6:
            self.load_province(text[:2])
            rows = sorted(
                (d for d in self._by_key.values() if d.code.startswith(text[:2])), key=lambda d: (d.code, d.level)
            )
        if text.isdigit():
            found = [d for d in rows if d.code.startswith(text) and len(text) <= _LENGTH_OF_LEVEL[d.level]]
        else:
            found = [d for d in rows if text in d.name or text in d.short_name]
        return found if limit is None else found[:limit]


_catalogue: DivisionsCatalogue | None = None


def catalogue() -> DivisionsCatalogue:
    """The shared catalogue of the shipped resource (loaded as it is used)."""
    global _catalogue
    if _catalogue is None:
        _catalogue = DivisionsCatalogue()
    return _catalogue


def find(code: str, level: int | None = None) -> Division | None:
    return catalogue().find(code, level)


def children(code: str | Division) -> list[Division]:
    return catalogue().children(code)


def search(text: str, *, within: str | None = None, limit: int | None = 50) -> list[Division]:
    return catalogue().search(text, within=within, limit=limit)
