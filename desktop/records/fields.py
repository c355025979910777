"""One description of each record's fields: label, type, unit, allowed values, validation, note.

The table columns, the edit form, the import template and its drop-downs, the
import's cell checks and the export headers all read these descriptions, so a
new field is one edit here plus a migration.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from db.codes import DIVISION_KIND
from db.vault import is_sealed
from desktop.records.words import word_key
from desktop.validators import (
    InvalidValue,
    check_credit_code,
    check_division_code,
    check_phone,
    check_text,
    mask_id_number,
    mask_phone,
    shorten,
    valid_id_number,
)

# Field kinds: text, int, float, date, bool, code, id_number, credit_code, phone, division_code, ref, refs
# (several records of one kind, written one after another with 、), texts (several names, the same way)
TRUE_WORDS = {"是", "有", "true", "yes", "y", "1", "√", "✓", "✔", "☑", "对", "是的", "已"}
FALSE_WORDS = {"否", "无", "false", "no", "n", "0", "×", "✗", "✘", "☐", "不", "没有", "未"}

# What ``Field.read`` says about a value it did not find in its plain form: "主治医师 → 中级".
Reading = tuple[Any, str | None]


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
    # The header words real rosters, 台账 and statistical forms use for this field besides its label (身份证件号码,
    # 公民身份号码 for 身份证号码). No two fields of a record type share one (a test holds this).
    aliases: tuple[str, ...] = ()
    # A name the whole table shares, which a bureau's sheet gives in its title line rather than a column (the
    # 台账名称 of a ledger, "桃江县2026年卫生健康重点工作任务推进台账"): without a column, the title gives every row.
    titled: bool = False
    # A deadline (完成时限, 计划完工日期): a month alone is its last day, as an office means "2026.12" there; any
    # date field reads 2026年12月底 (月末, 年底) as the last day.
    by_month_end: bool = False
    # For a coded field: everyday words -> code (主治医师 -> intermediate), matched after ``word_key``. A word
    # that may mean several codes maps to them joined by "|" and is refused with the choices named.
    words: dict[str, str] | None = None

    @property
    def code_labels(self) -> dict[str, str]:
        """A coded field's codes and their labels (every coded field has its list)."""
        assert self.codes is not None, self.name
        return self.codes

    @property
    def refers_to(self) -> str:
        """The record type a reference field points to (every ref and refs field names one)."""
        assert self.ref is not None, self.name
        return self.ref

    def bound_to(self, column: Any) -> Field:
        """This field as its database column has it: nullability, default and (for a String) length. A blank
        in a NOT NULL column with a default stands for that default, and the field's note says so."""
        default = None
        if column.default is not None and column.default.is_scalar:
            default = column.default.arg
        elif column.server_default is not None and isinstance(getattr(column.server_default, "arg", None), str):
            default = self.parse(column.server_default.arg)
        length = getattr(column.type, "plain_length", None) or getattr(column.type, "length", None)
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
        return self.read(raw, lookup=lookup)[0]

    def read(self, raw: Any, *, lookup: Callable[[str, str], int | None] | None = None) -> Reading:
        """A value as ``parse`` gives it, with how it was read where the raw value was not already its plain form
        (the label, the code, an ISO date, a plain number): "主治医师 → 中级", "2021.3 → 2021-03-01（只有年月，
        按当月1日）", "3.5万元 → 35000元"; None otherwise."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):  # str.strip() also drops the 全角 space
            if self.filled_in_if_blank:
                return None, None
            if self.required or (not self.nullable and self.default is None):
                raise InvalidValue(f"“{self.label}”不能为空")
            return (None if self.nullable else self.default), None
        parser = _PARSERS[self.kind]
        result = parser(self, raw, lookup) if self.kind in ("ref", "refs") else parser(self, raw)
        value, how = result if self.kind in _READERS else (result, None)
        if self.minimum is not None and value < self.minimum:
            raise InvalidValue(f"“{self.label}”不能小于 {_plain(self.minimum)}，现为 {_plain(value)}")
        if self.maximum is not None and value > self.maximum:
            raise InvalidValue(f"“{self.label}”不能大于 {_plain(self.maximum)}，现为 {_plain(value)}")
        return value, how

    def read_all(self, texts: list[str]) -> list[Any] | None:
        """``read`` of many texts at once, for a field whose values are read as written (a name, an ID number, a
        phone): their values, when none is blank and none is refused; else None, and the caller reads them one by
        one for each one's own blank or refusal. A roster's name, ID number and phone columns are nearly all
        distinct: 26,000 of each in a city's."""
        if self.kind not in _AS_WRITTEN or self.minimum is not None or self.maximum is not None:
            return None
        if not all(map(str.strip, texts)):  # a blank among them (str.strip also drops the 全角 space)
            return None
        parser = _PARSERS[self.kind]
        try:
            return [parser(self, text) for text in texts]
        except InvalidValue:
            return None

    def display(self, value: Any, *, unmask: bool = False) -> str:
        """A stored value as the user reads it."""
        if value is None:
            return ""
        if is_sealed(value):  # read where no one signed in holds the key
            return "（已加密）"
        if self.sensitive and not unmask:
            return self.mask(str(value))
        if self.kind == "code":
            return self.code_labels.get(value, str(value))
        if self.kind == "bool":
            return "是" if value else "否"
        if self.kind == "date":
            return str(value.isoformat())
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
    if raw.__class__ is str and raw.isascii():  # NFKC leaves ASCII as it is (a roster's numbers are)
        return raw.strip()
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


# The units a number may be written with, by what they count: a value is taken in its field's unit, scaled by
# 万, 千 or 亿 where written (3.5万元 into a 元 field, 35000元 into a 万元 field, 1.2万人), refused when it counts
# something else (12人 in a field of 张).
_UNIT_BASES = {
    "张": "张",
    "床": "张",
    "平方米": "平方米",
    "平米": "平方米",
    "平方": "平方米",
    "m2": "平方米",  # also ㎡ and m², after NFKC
    "%": "%",
    "人": "人",
    "名": "人",
    "天": "天",
    "日": "天",
    "台": "台",
    "辆": "台",
    "套": "台",
    "部": "台",
    "元": "元",
}
_SCALES = {"万": 10_000, "千": 1_000, "亿": 100_000_000}
_NUMBER_WITH_UNIT = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)")


def _unit(text: str) -> tuple[int, str | None] | None:
    """A written unit as (scale, what it counts): 万元 is (10000, 元), 张 (1, 张), 万 alone (10000, None)."""
    if text in _UNIT_BASES:
        return 1, _UNIT_BASES[text]
    if text and text[0] in _SCALES and (text[1:] in _UNIT_BASES or not text[1:]):
        return _SCALES[text[0]], _UNIT_BASES.get(text[1:])
    return None


def header_unit_fits(f: Field, unit: str) -> bool | None:
    """Whether a unit a column's header names (金额（元）) measures what the field does: True when a number in
    that unit converts to the field's (元 into 万元), False when it counts something else (人 for 床位), None when
    the bracket holds no unit at all (职称（职务）)."""
    written = _unit(normalise_text(unit).lower().replace("²", "2"))
    if written is None:
        return None
    own = _unit(f.unit) if f.unit else None
    return own is not None and written[1] == own[1]


def _number(f: Field, raw: Any) -> Reading:
    if isinstance(raw, bool):
        raise InvalidValue(f"“{f.label}”应为数字")
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:
            raise InvalidValue(f"“{f.label}”的数值过大：{raw}") from None
        how = None
    else:
        value, how = _number_text(f, raw)
    if not math.isfinite(value):  # "nan", "inf" and 1e999 parse as floats but are no count or area
        raise InvalidValue(f"“{f.label}”应为数字，现为“{shorten(raw)}”")
    return value, how


def _number_text(f: Field, raw: Any) -> Reading:
    shown = normalise_text(raw)
    text = re.sub(r"[,，\s]", "", shown)
    if text[:1] == "¥":  # ￥ after NFKC
        text = text[1:] if f.unit in ("元", "万元") else text
    if f.name == "year" and not f.unit:  # a year as ledgers head it: 2024年, 2024年度
        text = re.sub(r"年度?$", "", text)
    m = _NUMBER_WITH_UNIT.fullmatch(text)
    written = _unit(m.group(2)) if m and m.group(2) else (1, None)
    if not m or written is None:
        if m and f.unit:
            raise InvalidValue(f"“{f.label}”以“{f.unit}”计，“{shorten(raw)}”的单位看不懂；请只填数字")
        raise InvalidValue(f"“{f.label}”应为数字，现为“{shorten(raw)}”")
    scale, base = written
    field_scale, field_base = (_unit(f.unit) if f.unit else None) or (1, None)
    if not m.group(2):  # a bare number is in the field's own unit: 50 in a 万元 column is 50 万元
        scale = field_scale
    if field_base is None and m.group(2):
        raise InvalidValue(f"“{f.label}”只填数字，不带单位，现为“{shorten(raw)}”")
    if base is not None and base != field_base:
        unit = m.group(2)[1:] if scale != 1 else m.group(2)
        raise InvalidValue(f"“{f.label}”以“{f.unit}”计，“{shorten(raw)}”写的是“{unit}”，单位不符；请核对是否填错了列")
    try:
        number = Decimal(m.group(1)) * scale / field_scale
        value = float(number)
    except (InvalidOperation, OverflowError):
        raise InvalidValue(f"“{f.label}”应为数字，现为“{shorten(raw)}”") from None
    if scale == field_scale:
        return value, None
    return value, f"{shown} → {_plain(value)}{f.unit}"


def _int(f: Field, raw: Any) -> Reading:
    value, how = _number(f, raw)
    if value != int(value):
        raise InvalidValue(f"“{f.label}”应为整数，现为“{shorten(raw)}”")
    return int(value), how


def _float(f: Field, raw: Any) -> Reading:
    return _number(f, raw)


# 2021-03-05, 2021/3/5, 2021.3.5, 2021年3月5日 (one separator throughout, or 年 and 月); 20210305; a month alone
# (2021.3, 2021-03, 2021/3, 2021年3月), read as its first day and said so. A time after the date is dropped.
_FULL_DATE = re.compile(r"(\d{4})(?:([-/.])(\d{1,2})\2|年(\d{1,2})月)(\d{1,2})日?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH = re.compile(r"(\d{4})(?:[-/.](\d{1,2})|年(\d{1,2})月?)")
_MONTH_END = re.compile(r"(\d{4})(?:[-/.](\d{1,2})|年(\d{1,2})月?)(?:底|末)|(\d{4})年(?:底|末)")
_TIME = re.compile(r"(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
# Excel's day 0 is 1899-12-30 (its 1900 leap-year bug makes the earlier offset off by one).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_FIRST_DAY = "（只有年月，按当月1日）"
_LAST_DAY = "（只有年月，按当月最后一天）"


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_day(f: Field, year: int, month: int, shown: object) -> Reading:
    """A month alone: its first day, or for a deadline its last, said so."""
    day = _last_day(year, month) if f.by_month_end else dt.date(year, month, 1)
    return day, f"{shown} → {day.isoformat()}{_LAST_DAY if f.by_month_end else _FIRST_DAY}"


def _date(f: Field, raw: Any) -> Reading:
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _date_number(f, raw)
    shown = normalise_text(raw)
    text = _TIME.sub("", shown)
    try:
        if m := _FULL_DATE.fullmatch(text):
            month = m.group(3) or m.group(4)
            return dt.date(int(m.group(1)), int(month), int(m.group(5))), None
        if m := _COMPACT_DATE.fullmatch(text):
            return dt.date(*(int(p) for p in m.groups())), None
        if m := _MONTH.fullmatch(text):
            return _month_day(f, int(m.group(1)), int(m.group(2) or m.group(3)), shown)
        if m := _MONTH_END.fullmatch(text):
            day = _last_day(int(m.group(1) or m.group(4)), int(m.group(2) or m.group(3) or 12))
            return day, f"{shown} → {day.isoformat()}"
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}年?", text):
        raise InvalidValue(f"“{f.label}”只有年份“{shorten(raw)}”，请至少写到月，如 {text[:4]}-03")
    raise InvalidValue(f"“{f.label}”不是有效日期：“{shorten(raw)}”（应写成 2024-03-01、2024/3/1 或 2024.03）")


def _date_number(f: Field, raw: float) -> Reading:
    """A number in a date cell: a serial date; or a date Excel took for a number (20210305, 2021.3)."""
    whole = int(raw) if math.isfinite(raw) else 0
    if 1900 <= whole <= 2100:  # a serial date would be in 1905: it is a year, or a year.month Excel made a number
        if raw == whole:
            raise InvalidValue(f"“{f.label}”只有年份“{whole}”，请至少写到月，如 {whole}-03")
        month_digits = repr(float(raw)).split(".")[1]
        if month_digits == "1":
            raise InvalidValue(
                f"“{f.label}”的“{raw}”被 Excel 存成了数字，可能是{whole}年1月，也可能是{whole}年10月"
                f"（{whole}.10 末尾的0会被丢掉）；请写成 {whole}-01 或 {whole}-10"
            )
        if len(month_digits) <= 2 and 1 <= int(month_digits) <= 12:
            return _month_day(f, whole, int(month_digits), raw)
    elif raw == whole and 19000101 <= whole <= 21001231:
        try:
            return dt.date(whole // 10000, whole // 100 % 100, whole % 100), None
        except ValueError:
            pass
    elif 1 <= raw < 100_000:  # an Excel serial date
        return _EXCEL_EPOCH + dt.timedelta(days=int(raw)), None
    raise InvalidValue(f"“{f.label}”不是有效日期：{raw}")


def _bool(f: Field, raw: Any) -> Reading:
    if isinstance(raw, bool):
        return raw, None
    text = normalise_text(raw).lower()
    if text in TRUE_WORDS:
        return True, (None if text == "是" else f"{normalise_text(raw)} → 是")
    if text in FALSE_WORDS:
        return False, (None if text == "否" else f"{normalise_text(raw)} → 否")
    raise InvalidValue(f"“{f.label}”应填“是”或“否”，现为“{shorten(raw)}”")


_WORD_TABLES: dict[int, tuple[dict[str, str], dict[str, str]]] = {}


def _by_word(table: dict[str, str]) -> dict[str, str]:
    """A table of words or labels keyed by ``word_key``, built once per table."""
    cached = _WORD_TABLES.get(id(table))
    if cached is None or cached[0] is not table:
        cached = _WORD_TABLES[id(table)] = (table, {word_key(k): v for k, v in table.items()})
    return cached[1]


def _code(f: Field, raw: Any) -> Reading:
    text = normalise_text(raw)
    codes = f.code_labels
    if text in codes:
        return text, None
    key = word_key(text)
    code = _by_word(_labels(codes)).get(key)
    if code is not None:
        return code, None
    meant = _by_word(f.words).get(key) if f.words else None
    if meant is not None and "|" in meant:
        choices = "或".join(f"“{codes[c]}”" for c in meant.split("|"))
        raise InvalidValue(f"“{f.label}”的“{shorten(raw)}”可指{choices}，请写明是哪一个")
    if meant is not None:
        return meant, f"{text} → {codes[meant]}"
    choices = "、".join(codes.values())
    raise InvalidValue(f"“{f.label}”的值“{shorten(raw)}”不在可选范围内（可选：{choices}）")


_LABEL_TABLES: dict[int, tuple[dict[str, str], dict[str, str]]] = {}


def _labels(codes: dict[str, str]) -> dict[str, str]:
    """label -> code of a code list, built once per list."""
    cached = _LABEL_TABLES.get(id(codes))
    if cached is None or cached[0] is not codes:
        cached = _LABEL_TABLES[id(codes)] = (codes, {label: code for code, label in codes.items()})
    return cached[1]


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
    if isinstance(raw, str):
        # Excel's mark for "keep this as text", which a sheet copied from another system or a CSV keeps in the cell
        raw = raw.strip().lstrip("'‘’`")
    text = normalise_text(raw)
    if isinstance(raw, str) and (masked := _masked(f, text)) is not None:
        return masked
    if isinstance(raw, float) or (isinstance(raw, str) and _looks_scientific(raw)):
        raise InvalidValue(
            f"“{f.label}”已被 Excel 转成科学计数法（{raw}），后几位已丢失；请把该列设为“文本”格式后重新录入"
        )
    return valid_id_number(text).number


_SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?\d+")


def _looks_scientific(text: str) -> bool:
    return ("E" in text or "e" in text) and _SCIENTIFIC.fullmatch(text.strip()) is not None  # a roster's 26,000


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
    found = lookup(f.refers_to, text) if lookup else None
    if found is None:
        raise InvalidValue(_not_found(f, text, lookup))
    return found


def _not_found(f: Field, text: str, lookup: Any) -> str:
    """Why a typed name finds no record: the resolver's own reason where it has one; a person's number masked."""
    reason: str | None = getattr(lookup, "missing_reason", lambda _ref, _text: None)(f.ref, text)
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
        found = lookup(f.refers_to, name.strip()) if lookup else None
        if found is None:
            missing.append(name.strip())
        else:
            ids.add(found)
    if missing:
        propose: Callable[[str | None, str], list[str]] = getattr(lookup, "proposals", lambda _ref, _text: [])
        asked = [f"“{name}”是否指“{meant[0]}”" for name in missing if (meant := propose(f.ref, name))]
        hint = f"（{'；'.join(asked)}？）" if asked else ""
        raise InvalidValue(f"“{f.label}”中找不到：{shorten('、'.join(missing))}{hint}")
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


_READERS = {"int", "float", "date", "bool", "code"}  # the parsers that say how they read a value
_AS_WRITTEN = {"text", "id_number", "phone", "credit_code"}  # parsers of a text alone, saying nothing of how
_PARSERS: dict[str, Callable[..., Any]] = {
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
