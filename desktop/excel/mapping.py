"""Which column of a bureau's own sheet is which field: headers matched to the fields' words, with a confidence.

A field is known in a header by its label, its header with unit, and the words real ledgers use for it (its
``aliases``), compared after normalising full-width forms, spaces, line breaks, asterisks and brackets. An exact
match is certain; a header that only contains a field's word (or is contained in one) is a proposal the clerk
confirms, never used on its own. A clerk's confirmed mapping (``ColumnMapping``) names columns by their header
text, gives constants for fields a sheet lacks, and is remembered by the header's signature.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.excel.errors import ExcelError
from desktop.excel.templates import TEMPLATES
from desktop.records.fields import Field, normalise_text
from desktop.records.types import RecordType

CERTAIN = 0.9  # a match at or above this is used without asking
# Columns every ledger has that are no field: a row number, and what the app works out itself.
ROW_NUMBER_WORDS = ("序号", "编号", "序", "no", "no.", "行号", "顺序号")
WORKED_OUT_WORDS = ("年龄", "出生年月", "出生日期", "性别", "工龄")
IGNORE = ""  # a mapping's value for a column the clerk chose not to import
NOT_IMPORTED = "不导入"  # the same, as a mapping file writes it


def header_key(text: Any) -> str:
    """A header as compared: full-width forms folded, spaces, line breaks and required-field marks removed."""
    t = unicodedata.normalize("NFKC", str(text or "")).lower()
    return re.sub(r"[\s*※★:：]+", "", t)


def _bare(key: str) -> str:
    """A header key without anything in brackets: 职称(职务) → 职称, 实有床位(张) → 实有床位."""
    return re.sub(r"\([^()]*\)", "", key)


def header_unit(text: Any) -> str | None:
    """The unit a header names in its closing bracket (金额（元） → 元), if it ends with one."""
    m = re.search(r"\(([^()]+)\)$", header_key(text))
    return m.group(1) if m else None


def field_words(f: Field) -> list[str]:
    words = [f.label, f.header, *f.aliases]
    return list(dict.fromkeys(header_key(w) for w in words if w))


@dataclass(frozen=True)
class Match:
    field: Field | None
    confidence: float  # 1.0 exact; below CERTAIN a proposal
    ignored: bool = False  # a row number or a value the app works out (年龄, 性别 from the ID number)


class HeaderMatcher:
    """Headers to fields for one record type's editable fields."""

    def __init__(self, fields: Iterable[Field], worked_out: Iterable[Field] = ()) -> None:
        self.fields = list(fields)
        self._exact: dict[str, Field] = {}
        self._bare: dict[str, Field] = {}
        self._words: list[tuple[str, Field]] = []
        for f in self.fields:
            own = {header_key(f.label), header_key(f.header)}
            for w in field_words(f):
                self._exact.setdefault(w, f)
                # A word's bracket is set aside only for the field's own label and unit (实有床位（张）): an alias's
                # bracket says what it is (培训时间（天）), and without it the word may mean something else.
                if w in own or "(" not in w:
                    self._bare.setdefault(_bare(w), f)
                    self._words.append((_bare(w), f))
        self._ignored = {header_key(w) for w in ROW_NUMBER_WORDS + WORKED_OUT_WORDS}
        for f in worked_out:
            self._ignored.update(field_words(f))

    def match(self, text: Any) -> Match:
        key = header_key(text)
        if not key:
            return Match(None, 0.0)
        if key in self._exact:
            return Match(self._exact[key], 1.0)
        if key in self._ignored or _bare(key) in self._ignored:
            return Match(None, 1.0, ignored=True)
        bare = _bare(key)
        if bare and bare in self._bare:
            return Match(self._bare[bare], 0.95)
        best: Match = Match(None, 0.0)
        for word, f in self._words:
            if len(word) < 2 or not bare:
                continue
            if word in bare or bare in word:
                shorter, longer = sorted((len(word), len(bare)))
                confidence = 0.4 + 0.4 * shorter / longer  # a proposal, never certain
                if confidence > best.confidence:
                    best = Match(f, confidence)
        return best


@dataclass
class ColumnMapping:
    """A clerk's mapping: header text → field name ("" to leave the column out), and constants for fields the
    sheet lacks (raw text, read through the field as a cell would be)."""

    kind: str
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    # Names a sheet writes its own way that the clerk confirmed (桃源卫生院 is 桃源镇卫生院): field -> {as written:
    # the registered name}. Only ever what she chose among the import's proposals, or wrote in the file herself.
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def confirm(self, name: str, written: str, meant: str) -> None:
        self.values.setdefault(name, {})[normalise_text(written)] = meant

    def meant(self, name: str, written: Any) -> str | None:
        """The registered name the clerk confirmed for a cell's text, if she did."""
        confirmed = self.values.get(name)
        return confirmed.get(normalise_text(written)) if confirmed and isinstance(written, str) else None

    def field_for(self, header: Any) -> str | None:
        """The field name the clerk gave this header, IGNORE to leave it out, None when she said nothing."""
        key = header_key(header)
        for text, name in self.columns.items():
            if header_key(text) == key:
                return name
        return None

    def to_json(self, rtype: RecordType) -> str:
        """As the clerk reads and edits it: fields by their labels, a column left out as 不导入."""
        label = {f.name: f.label for f in rtype.editable}
        columns = {header: label.get(name, NOT_IMPORTED) for header, name in self.columns.items()}
        constants = {label[name]: value for name, value in self.constants.items() if name in label}
        values = {label[name]: dict(confirmed) for name, confirmed in self.values.items() if name in label}
        data = {
            "类型": TEMPLATES[self.kind].label if self.kind in TEMPLATES else self.kind,
            "列": columns,
            "固定值": constants,
            "取值": values,
        }
        return json.dumps(data, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> ColumnMapping:
        try:
            data = json.loads(text)
            kind = next((key for key, t in TEMPLATES.items() if data["类型"] in (key, t.label)), str(data["类型"]))
            values = {
                str(k): {str(a): str(b) for a, b in dict(v).items()} for k, v in dict(data.get("取值") or {}).items()
            }
            mapping = cls(kind, dict(data.get("列") or {}), dict(data.get("固定值") or {}), values)
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ExcelError("列对应文件格式不对：应为本程序保存的列对应（.json）文件。") from None
        if not all(isinstance(v, str) for v in [*mapping.columns.values(), *mapping.constants.values()]):
            raise ExcelError("列对应文件格式不对：每一列应对应一个字段名称。")
        return mapping

    @classmethod
    def load(cls, path: str | Path) -> ColumnMapping:
        path = Path(path)
        try:
            return cls.from_json(path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise ExcelError(f"找不到列对应文件：{path}") from None
        except UnicodeDecodeError:
            raise ExcelError(f"“{path.name}”不是列对应文件。") from None

    def resolve(self, rtype: RecordType) -> None:
        """Field names may be written as labels (姓名) or as the program's names: keep the program's."""
        by_word = {}
        for f in rtype.editable:
            by_word[f.name] = f.name
            for w in field_words(f):
                by_word.setdefault(w, f.name)

        def name_of(text: str) -> str:
            if text == IGNORE or text in by_word:
                return by_word.get(text, IGNORE)
            key = header_key(text)
            if key in (NOT_IMPORTED, "忽略", "-"):
                return IGNORE
            if key not in by_word:
                raise ExcelError(f"列对应中的“{text}”不是{rtype.label}的字段。")
            return by_word[key]

        self.columns = {header: name_of(name) for header, name in self.columns.items()}
        self.constants = {name_of(name): value for name, value in self.constants.items() if name_of(name)}
        self.values = {name_of(name): confirmed for name, confirmed in self.values.items() if name_of(name)}


def signature(kind: str, headers: Iterable[Any]) -> str:
    """A sheet's header row as remembered: its kind and its headers in order, compared as a header is."""
    return kind + ":" + "|".join(header_key(h) for h in headers)
