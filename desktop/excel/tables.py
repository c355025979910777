"""Finding the table in a sheet as a bureau keeps it: the lines above, the header, the rows that are no record.

A real roster has a title and a unit/date line above its header, sometimes a header in two levels (基本情况
merged over 姓名、性别…), a row of column numbers (栏次 甲 乙 1 2 3) under it, 合计/小计/其中 rows among the
records, blank lines, and notes below (填表说明, 填表人). The header is the row (or pair of rows) whose cells
name the most fields; the records are the rows under it that are none of the others.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from desktop.excel.mapping import CERTAIN, IGNORE, ColumnMapping, HeaderMatcher, Match, header_key

HEADER_SEARCH_ROWS = 30
# A record's row never starts with these: the sheet's own totals and breakdowns.
# A whole cell, as the sheet writes it ("合计", "小计：", "其中："): a record's text that begins with one of these
# words (累计培训…, 总计划编制…) is a record.
TOTAL_ROW = re.compile(r"^(合计|总计|共计|小计|累计|其中|全县合计|全市合计|全镇合计|全乡合计)[:：]?([(][^)]*[)])?$")
# The first cell of the lines under a table: everything from there down is no record.
NOTES_BELOW = re.compile(
    r"^(填表说明|填报说明|说明:|备注:|注[:\d一二三四五六七八九、.]|填表人|填报人|制表人|审核人|负责人|单位负责人|"
    r"统计负责人|填报日期|制表日期|报出日期|联系电话:|数据来源)"
)
_NOTE_STARTS = frozenset("填说备注审负单统制报联")
_TOTAL_STARTS = frozenset("合总共小累其全")
_TOTAL_FIRST = _TOTAL_STARTS | frozenset(" \t\u3000")  # a cell's first character worth a closer look


def _total_row(cells: list[Any]) -> bool:
    """Whether one of a row's first three cells is a total's word (合计, 小计：, 其中)."""
    for v in cells[:3]:
        if v.__class__ is str and v[:1] in _TOTAL_FIRST:
            text = v.lstrip()
            if text and text[0] in _TOTAL_STARTS and TOTAL_ROW.match(_folded(text)):
                return True
    return False


COLUMN_NUMBERS = re.compile(r"^(栏次|[甲乙丙丁戊]|\d{1,3})$")
UNIT_LINE = re.compile(r"(?:填报单位|单位名称|填报机构|机构名称)\s*[:：]\s*([^\s:：（(]{2,40})")


@dataclass
class Column:
    index: int  # 0-based
    header: str  # as the sheet shows it ("基本情况/姓名" for two levels)
    match: Match
    samples: list[Any] = field(default_factory=list)  # the first few values under it

    @property
    def letter(self) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.index + 1)


@dataclass
class Table:
    sheet: str
    header_rows: tuple[int, ...]  # 0-based indices of the header's rows
    columns: list[Column]
    data: list[tuple[int, list[Any]]]  # (Excel row, cells) of the rows that may be records
    unit: str | None = None  # a facility named above the header (填报单位：桃源镇卫生院)
    title: str | None = None  # the table's title line above the header (桃江县2026年…任务推进台账)
    # Rows under the header not read as records, as the report tells them: (Excel row, why), and where the notes
    # below the table begin (everything from there down is left out).
    left_out: list[tuple[int, str]] = field(default_factory=list)

    @property
    def header_row(self) -> int:
        """The Excel row a problem with the header is told at: its last row."""
        return self.header_rows[-1] + 1

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def _folded(text: str) -> str:
    """Full-width forms folded (：to :) and spaces removed, for the patterns above."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _score(cells: list[str], matcher: HeaderMatcher, mapping: ColumnMapping | None) -> float:
    """How much a row reads as a header: fields named for certain count one, proposals a little."""
    fields: dict[str, float] = {}
    ignored = 0
    for cell in cells:
        if not cell:
            continue
        m = _cell_match(cell, matcher, mapping)
        if m.field is not None:
            weight = 1.0 if m.confidence >= CERTAIN else 0.3
            fields[m.field.name] = max(fields.get(m.field.name, 0.0), weight)
        elif m.ignored:
            ignored += 1
    return sum(fields.values()) + 0.2 * ignored if fields else 0.0


def _two_levels(upper: list[Any], lower: list[Any]) -> list[str]:
    """A header over two rows: a group name merged across several columns (only its first cell holds it) over
    their own names; a name merged down both rows (only the upper cell holds it) stands alone."""
    out, group = [], ""
    for j in range(max(len(upper), len(lower))):
        top = _text(upper[j]) if j < len(upper) else ""
        bottom = _text(lower[j]) if j < len(lower) else ""
        if top:
            group = top
        if bottom:
            out.append(f"{group}/{bottom}" if group and (top or group != bottom) else bottom)
            continue
        out.append(top)
        group = "" if top else group
    return out


def _shown_headers(rows: list[list[Any]], i: int, two: bool) -> list[str]:
    return _two_levels(rows[i], rows[i + 1]) if two else [_text(v) for v in rows[i]]


def _cell_match(header: str, matcher: HeaderMatcher, mapping: ColumnMapping | None) -> Match:
    """The match of a header; for a two-level one, the sub-header's own, else the whole."""
    candidates = [header]
    if "/" in header:
        candidates = [header.split("/", 1)[1], header, header.split("/", 1)[0]]
    if mapping is not None:
        for text in candidates:
            name = mapping.field_for(text)
            if name == IGNORE:
                return Match(None, 1.0, ignored=True)
            if name is not None:
                f = next((f for f in matcher.fields if f.name == name), None)
                if f is not None:
                    return Match(f, 1.0)
    best = Match(None, 0.0)
    for text in candidates:
        m = matcher.match(text)
        if m.field is not None and m.confidence > best.confidence or (best.field is None and m.ignored):
            best = m
    return best


def find_table(  # noqa: C901, PLR0915
    sheet: str,
    rows: list[list[Any]],
    matcher: HeaderMatcher,
    mapping: ColumnMapping | None = None,
    *,
    skip: set[int] | None = None,
    plain: bool = False,
) -> Table | None:
    """The table of a sheet, or None when no row among the first thirty reads as a header. With ``plain``, a
    sheet whose headers name no field (pinyin, English, a system's codes) has its first row of two or more cells
    as its header, every column unplaced, for the clerk to say which is which."""
    # Each row's score as a header of one row, down to three rows past the first that reads as one: the rows
    # under a header are records (or the header again, a sheet printed page by page).
    one: list[float] = []
    for i in range(min(len(rows), HEADER_SEARCH_ROWS)):
        if i >= 3 and max(one[: i - 2]) >= 2:
            break
        one.append(_score(_shown_headers(rows, i, False), matcher, mapping))
    n = len(one)
    candidates: list[tuple[float, int, bool]] = []
    for i in range(n):
        candidates.append((one[i], i, False))
        if i + 1 < len(rows) and not any(":" in _folded(_text(v)) for v in rows[i]):
            # Two rows are one header only when together they name more than the lower row alone: a title line
            # above a header names nothing more, and must not become part of it; nor does a line of "填报单位：…".
            two = _score(_shown_headers(rows, i, True), matcher, mapping)
            if two > max(one[i], one[i + 1] if i + 1 < n else 0.0) + 0.05:
                candidates.append((two, i, True))
    top = max((c[0] for c in candidates), default=0.0)
    if top >= 2:
        # The first header of the sheet, not the fullest: a sheet printed page by page repeats its header below.
        _score_, i, two = min((c for c in candidates if c[0] >= 0.8 * top), key=lambda c: (c[1], -c[0]))
    elif plain:
        filled = [k for k in range(n) if sum(1 for v in rows[k] if _text(v)) >= 2]
        if not filled:
            return None
        i, two = filled[0], False
    else:
        return None
    headers = _shown_headers(rows, i, two)
    columns = [Column(j, h, _cell_match(h, matcher, mapping)) for j, h in enumerate(headers)]
    header_rows = (i, i + 1) if two else (i,)
    table = Table(
        sheet, header_rows, [c for c in columns if c.header], [], _unit_above(rows[:i]), _title_above(rows[:i])
    )
    header_keys = {header_key(part) for h in headers if h for part in (h, *h.split("/"))}
    header_texts = {part.strip() for h in headers if h for part in (h, *h.split("/"))}
    first = header_rows[-1] + 1
    # A roster has tens of thousands of rows: each is looked at through cheap tests first (the first character of
    # a note or a total, a cell that is a header's very text) and only then through the patterns.
    for k in range(first, len(rows)):
        excel_row = k + 1
        cells = rows[k]
        for first_value in cells:
            if first_value != "" and first_value is not None:
                break
        else:
            continue  # a blank line
        if skip and excel_row in skip:
            continue
        head = first_value if first_value.__class__ is str else _text(first_value)
        if head.__class__ is str and head[:1].isspace():
            head = head.strip()
        if not head or k == first:
            filled = [t for v in cells if v is not None and v != "" and (t := _text(v))]
            if not filled:
                continue
            head = filled[0]
            if k == first and all(COLUMN_NUMBERS.match(t) for t in filled):
                continue  # 栏次: the columns' numbers under the header
        if head[0] in _NOTE_STARTS and NOTES_BELOW.match(_folded(head)):
            rest = sum(1 for row in rows[k:] if any(v not in ("", None) for v in row))
            table.left_out.append((excel_row, f"从此行起为表下说明，共 {rest} 行未读取"))
            break
        if _total_row(cells):
            table.left_out.append((excel_row, "合计、小计或“其中”行"))
            continue
        if not header_texts.isdisjoint(cells):  # (calamine's cells are all hashable)
            texts = [t for v in cells if v is not None and v != "" and (t := _text(v))]
            if len(texts) > 1 and sum(header_key(t) in header_keys for t in texts) * 2 >= len(texts):
                table.left_out.append((excel_row, "重复的表头"))  # a sheet printed page by page
                continue
        table.data.append((excel_row, cells))
    for c in table.columns:
        c.samples = [v for _, cells in table.data[:50] if c.index < len(cells) and _text(v := cells[c.index])][:3]
    return table


ATTACHMENT_LINE = re.compile(r"^附\s*件\s*[0-9一二三四五六七八九十]*\s*[:：]?$")


def _title_above(rows: list[list[Any]]) -> str | None:
    """The title line above a header: the longest line of one text alone (a title is one cell merged across the
    table), not a 附件1 line nor a line of "填报单位：…" or "日期：…"."""
    found: list[str] = []
    for cells in rows:
        texts = [t for t in (_text(v).strip() for v in cells) if t]
        if len(texts) != 1:
            continue
        text = " ".join(texts[0].split())
        if ATTACHMENT_LINE.match(text) or ":" in _folded(text) or len(text) < 4:
            continue
        found.append(text)
    return max(found, key=len) if found else None


def _unit_above(rows: list[list[Any]]) -> str | None:
    for cells in rows:
        for value in cells:
            m = UNIT_LINE.search(_text(value))
            if m:
                return m.group(1)
    return None
