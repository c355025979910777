"""One description of each record's fields: label, type, unit, allowed values, validation, note.

The table columns, the edit form, the import template and its drop-downs, the
import's cell checks and the export headers all read these descriptions, so a
new field is one edit here plus a migration.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from db.codes import DIVISION_KIND
from desktop.validators import (
    InvalidValue,
    check_credit_code,
    check_division_code,
    check_id_number,
    check_phone,
    check_text,
    mask_id_number,
    mask_phone,
    shorten,
)

# Field kinds: text, int, float, date, bool, code, id_number, credit_code, phone, division_code, ref, refs
# (several records of one kind, written one after another with 、), texts (several names, the same way)
TRUE_WORDS = {"是", "有", "true", "yes", "y", "1", "√", "✓", "对"}
FALSE_WORDS = {"否", "无", "false", "no", "n", "0", "×", "✗", "不"}


@dataclass(frozen=True)
class Field:
    name: str  # the model's attribute
    label: str  # the official Chinese term, as in headers and forms
    kind: str = "text"
    unit: str | None = None
    codes: dict[str, str] | None = None  # allowed values, code -> Chinese label
    required: bool = False
    note: str | None = None  # shown as a header note and a form tooltip
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    ref: str | None = None  # for kinds "ref" and "refs": the record type it points to ("facility", "division")
    ref_kinds: tuple[str, ...] | None = None  # the kinds of division it may point to (a population: villages)
    derived: bool = False  # filled in from another field (birth date and sex from the ID number)
    sensitive: bool = False  # a person's ID or phone number: masked on screen and in every file unless asked
    # Long free text (notes, 进展情况, 存在问题): keeps tabs and line breaks, which a name or other short text may
    # not hold. Stored in an unbounded Text column (a test holds the two together; the migration that cleaned
    # stored text and the exchange read the same rule from the column).
    multiline: bool = False
    # A blank the core fills in from the record's other fields (a loan is from where the person works).
    filled_in_if_blank: bool = False
    # A column of the record's list in the window and of its roster among the exported sheets, after the columns
    # those build themselves (the form, the template and the import take every field anyway).
    listed: bool = False
    # Learned from the database column (``bound_to``), never written in a description: whether the column takes
    # NULL, and the value it takes when none is given (a blank in a NOT NULL column with a default means that).
    nullable: bool = True
    default: Any = None

    def bound_to(self, column: Any) -> Field:
        """This field as its database column has it: nullability, default and (for a String) length. A blank
        in a NOT NULL column with a default stands for that default, and the field's note says so."""
        default = None
        if column.default is not None and column.default.is_scalar:
            default = column.default.arg
        elif column.server_default is not None and isinstance(getattr(column.server_default, "arg", None), str):
            default = self.parse(column.server_default.arg)
        length = getattr(column.type, "length", None)
        note = self.note
        if not column.nullable and default is not None and not self.required and not self.derived:
            shown = self.display(default) + (self.unit or "")
            note = f"{note}；不填即为“{shown}”" if note else f"不填即为“{shown}”"
        return replace(
            self,
            nullable=column.nullable,
            default=default,
            max_length=self.max_length if self.max_length is not None else length,
            note=note,
        )

    @property
    def header(self) -> str:
        return f"{self.label}（{self.unit}）" if self.unit else self.label

    def parse(self, raw: Any, *, lookup: Callable[[str, str], int | None] | None = None) -> Any:
        """A value typed or imported, as the database stores it; InvalidValue with a Chinese reason if bad."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):  # str.strip() also drops the 全角 space
            if self.filled_in_if_blank:
                return None
            if self.required or (not self.nullable and self.default is None):
                raise InvalidValue(f"“{self.label}”不能为空")
            return None if self.nullable else self.default
        parser = _PARSERS[self.kind]
        value = parser(self, raw, lookup) if self.kind in ("ref", "refs") else parser(self, raw)
        if self.minimum is not None and value < self.minimum:
            raise InvalidValue(f"“{self.label}”不能小于 {_plain(self.minimum)}，现为 {_plain(value)}")
        if self.maximum is not None and value > self.maximum:
            raise InvalidValue(f"“{self.label}”不能大于 {_plain(self.maximum)}，现为 {_plain(value)}")
        return value

    def display(self, value: Any, *, unmask: bool = False) -> str:
        """A stored value as the user reads it."""
        if value is None:
            return ""
        if self.sensitive and not unmask:
            return self.mask(str(value))
        if self.kind == "code":
            return self.codes.get(value, str(value))
        if self.kind == "bool":
            return "是" if value else "否"
        if self.kind == "date":
            return value.isoformat()
        if self.kind == "float":
            return _plain(value)
        if self.kind == "refs":  # ids: the names are the caller's to give (a form's choices, a file's labels)
            return f"{len(value)} 个"
        if self.kind == "texts":
            return "、".join(value)
        return str(value)

    def mask(self, text: str) -> str:
        if self.kind == "phone":
            return mask_phone(text)
        if self.kind == "date":  # a birth date is the very digits an ID number's mask hides: the year only
            return f"{text[:4]}年"
        if self.kind == "ref":  # a person written as "姓名/身份证号码": the number masked, the name kept
            return re.sub(r"\d{17}[\dXx]", lambda m: mask_id_number(m.group(0)), text)
        return mask_id_number(text)


def normalise_text(raw: Any) -> str:
    """Full-width letters and digits to half-width, non-breaking and ideographic spaces trimmed."""
    text = unicodedata.normalize("NFKC", str(raw)).replace("\u3000", " ")
    return text.strip()


def _plain(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def _text(f: Field, raw: Any) -> str:
    text = check_text(str(raw).strip(), f.label, multiline=f.multiline)
    if f.max_length and len(text) > f.max_length:
        raise InvalidValue(f"“{f.label}”最多 {f.max_length} 个字，现为 {len(text)} 个字")
    return text


def _number(f: Field, raw: Any) -> float:
    if isinstance(raw, bool):
        raise InvalidValue(f"“{f.label}”应为数字")
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:
            raise InvalidValue(f"“{f.label}”的数值过大：{raw}") from None
    else:
        text = normalise_text(raw).replace(",", "").replace("，", "")
        if f.unit and text.endswith(f.unit):
            text = text[: -len(f.unit)].strip()
        try:
            value = float(text)
        except (ValueError, OverflowError):
            raise InvalidValue(f"“{f.label}”应为数字，现为“{shorten(raw)}”") from None
    if not math.isfinite(value):  # "nan", "inf" and 1e999 parse as floats but are no count or area
        raise InvalidValue(f"“{f.label}”应为数字，现为“{shorten(raw)}”")
    return value


def _int(f: Field, raw: Any) -> int:
    value = _number(f, raw)
    if value != int(value):
        raise InvalidValue(f"“{f.label}”应为整数，现为“{shorten(raw)}”")
    return int(value)


def _float(f: Field, raw: Any) -> float:
    return _number(f, raw)


_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
    re.compile(r"(\d{4})[-/.年](\d{1,2})月?"),  # a month: its first day
)
# Excel's day 0 is 1899-12-30 (its 1900 leap-year bug makes the earlier offset off by one).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _date(f: Field, raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 1 <= raw < 100_000:  # an Excel serial date
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        raise InvalidValue(f"“{f.label}”不是有效日期：{raw}")
    text = normalise_text(raw)
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            parts = [int(p) for p in m.groups()] + [1] * (3 - len(m.groups()))
            try:
                return dt.date(*parts)
            except ValueError:
                break
    raise InvalidValue(f"“{f.label}”不是有效日期：“{shorten(raw)}”（应写成 2024-03-01、2024/3/1 或 2024.03）")


def _bool(f: Field, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = normalise_text(raw).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise InvalidValue(f"“{f.label}”应填“是”或“否”，现为“{shorten(raw)}”")


def _code(f: Field, raw: Any) -> str:
    text = normalise_text(raw)
    if text in f.codes:
        return text
    for code, label in f.codes.items():
        if text == label or text == label.replace("（", "(").replace("）", ")"):
            return code
    choices = "、".join(f.codes.values())
    raise InvalidValue(f"“{f.label}”的值“{shorten(raw)}”不在可选范围内（可选：{choices}）")


class MaskedValue(str):
    """A sensitive value as a masked file shows it (110105********002X, 138****5678): it stands for the
    stored value it masks, which the importer puts back once the row is matched to its record."""


def _masked(f: Field, text: str) -> MaskedValue | None:
    if "*" not in text:
        return None
    if not f.sensitive:
        raise InvalidValue(f"“{f.label}”中不能有“*”")
    pattern = r"\d{6}\*{8}\d{3}[\dX]" if f.kind == "id_number" else r"[\d\-]*\*[\d*\-]*"
    if not re.fullmatch(pattern, text.upper()):
        raise InvalidValue(f"“{f.label}”部分数字已隐藏（*），但格式与导出的隐藏格式不符；请填写完整号码")
    return MaskedValue(text.upper())


def _id_number(f: Field, raw: Any) -> str:
    if isinstance(raw, str) and (masked := _masked(f, normalise_text(raw))) is not None:
        return masked
    if isinstance(raw, float) or (isinstance(raw, str) and re.fullmatch(r"\d(\.\d+)?[eE]\+?\d+", raw.strip())):
        raise InvalidValue(
            f"“{f.label}”已被 Excel 转成科学计数法（{raw}），后几位已丢失；请把该列设为“文本”格式后重新录入"
        )
    return check_id_number(normalise_text(raw)).number


def _credit_code(f: Field, raw: Any) -> str:
    return check_credit_code(normalise_text(raw))


def _division_code(f: Field, raw: Any) -> str:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if isinstance(raw, float) and not raw.is_integer():
            raise InvalidValue(f"“{f.label}”应为12位数字，现为 {raw}")
        raw = str(int(raw))
    code = normalise_text(raw)
    if len(code) != 12:
        raise InvalidValue(f"“{f.label}”应为12位统计用区划代码，现为“{shorten(code)}”")
    check_division_code(code)
    return code


def _phone(f: Field, raw: Any) -> str:
    if isinstance(raw, float) and not raw.is_integer():  # also NaN and infinity
        raise InvalidValue(f"“{f.label}”不是电话号码：{raw}")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(int(raw))  # a number Excel stored for 13812345678
    text = normalise_text(raw)
    return _masked(f, text) or check_phone(text)


def _ref(f: Field, raw: Any, lookup: Callable[[str, str], int | None] | None) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    text = normalise_text(raw)
    found = lookup(f.ref, text) if lookup else None
    if found is None:
        raise InvalidValue(_not_found(f, text, lookup))
    return found


def _not_found(f: Field, text: str, lookup: Any) -> str:
    """Why a typed name finds no record: the resolver's own reason where it has one; a person's number masked."""
    reason = getattr(lookup, "missing_reason", lambda _ref, _text: None)(f.ref, text)
    if reason:
        return reason
    shown = f.mask(text) if f.sensitive else text
    return f"找不到“{f.label}”为“{shorten(shown)}”的记录"


_SEPARATORS = re.compile(r"[、，,;；\n]+")


def _refs(f: Field, raw: Any, lookup: Callable[[str, str], int | None] | None) -> tuple[int, ...]:
    if isinstance(raw, list | tuple | set | frozenset):  # ids, from a form
        return tuple(sorted({int(v) for v in raw}))
    ids, missing = set(), []
    for name in _SEPARATORS.split(normalise_text(raw)):
        if not name.strip():
            continue
        found = lookup(f.ref, name.strip()) if lookup else None
        if found is None:
            missing.append(name.strip())
        else:
            ids.add(found)
    if missing:
        raise InvalidValue(f"“{f.label}”中找不到：{shorten('、'.join(missing))}")
    kind_of = getattr(lookup, "division_kind", None)  # (kind, name) of a division
    if f.ref == "division" and f.ref_kinds and kind_of is not None:
        for i in sorted(ids):
            kind, name = kind_of(i)
            if kind not in f.ref_kinds:
                allowed = "或".join(dict.fromkeys(DIVISION_KIND[k] for k in f.ref_kinds))
                raise InvalidValue(f"“{f.label}”只能填写{allowed}；“{name}”是{DIVISION_KIND[kind]}")
    return tuple(sorted(ids))


def _texts(f: Field, raw: Any) -> tuple[str, ...]:
    parts = raw if isinstance(raw, list | tuple) else _SEPARATORS.split(str(raw))
    out: list[str] = []
    for part in parts:
        name = _text(f, part) if str(part).strip() else ""
        if name and name not in out:
            out.append(name)
    return tuple(out)


_PARSERS = {
    "text": _text,
    "int": _int,
    "float": _float,
    "date": _date,
    "bool": _bool,
    "code": _code,
    "id_number": _id_number,
    "credit_code": _credit_code,
    "phone": _phone,
    "division_code": _division_code,
    "ref": _ref,
    "refs": _refs,
    "texts": _texts,
}
