"""Validators for the identifiers a bureau's records carry.

Each ``check_*`` function returns the normalised value (or what it derives from
it) and raises :class:`InvalidValue` with a Chinese sentence for the user.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from db.errors import UserError


class InvalidValue(UserError, ValueError):
    """A value that fails validation; ``str(err)`` is the reason, in Chinese."""


# GB/T 2260 province-level codes (the first two digits of every division code).
PROVINCE_CODES = frozenset(
    {
        11,
        12,
        13,
        14,
        15,
        21,
        22,
        23,
        31,
        32,
        33,
        34,
        35,
        36,
        37,
        41,
        42,
        43,
        44,
        45,
        46,
        50,
        51,
        52,
        53,
        54,
        61,
        62,
        63,
        64,
        65,
        71,
        81,
        82,
    }
)

# --- Resident ID number, GB 11643-1999 ---------------------------------------

_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class IdNumber:
    number: str
    area_code: str
    birth_date: dt.date
    sex: str  # "M" or "F"

    def age_on(self, day: dt.date) -> int:
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


def id_check_digit(first17: str) -> str:
    """The 18th character of a resident ID number (ISO 7064 MOD 11-2)."""
    # The weights are 2**(18-i) mod 11, and 13 = 2 mod 11: the digits read as a number in base 13, doubled,
    # give the weighted sum mod 11 in one C call (a city's roster checks 26,000 numbers; the sum of products
    # took a third of reading the column). tests/test_validators.py holds it to the standard's weights.
    return _ID_CHECK[int(first17, 13) * 2 % 11]


def check_id_number(value: str, *, today: dt.date | None = None) -> IdNumber:
    """Validate an 18-digit resident ID number; derive birth date and sex."""
    number = (value or "").strip().upper()
    if not number:
        raise InvalidValue("身份证号码不能为空")
    if len(number) != 18:
        raise InvalidValue(f"身份证号码应为18位，现为{len(number)}位")
    if not number.isascii() or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidValue("身份证号码前17位应为数字，第18位应为数字或X")
    if int(number[:2]) not in PROVINCE_CODES:
        raise InvalidValue(f"身份证号码前两位“{number[:2]}”不是有效的省级行政区划代码")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidValue(f"身份证号码中的出生日期“{number[6:14]}”不是有效日期") from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1850:
        raise InvalidValue(f"身份证号码中的出生日期“{number[6:14]}”不在合理范围内")
    expected = id_check_digit(number[:17])
    if number[17] != expected:
        raise InvalidValue(f"身份证号码校验位错误：第18位应为“{expected}”，实为“{number[17]}”")
    sex = "M" if int(number[16]) % 2 else "F"
    return IdNumber(number=number, area_code=number[:6], birth_date=birth, sex=sex)


@lru_cache(maxsize=1 << 16)
def valid_id_number(number: str) -> IdNumber:
    """``check_id_number`` of a number, remembered: a city's roster is checked as its cells are read, again as
    each person's birth date and sex are derived, and again as they are written. Only a valid number is
    remembered (a refusal raises), and a number valid today stays valid: only a birth date to come is refused."""
    return check_id_number(number)


def mask_id_number(number: str) -> str:
    """Show the first 6 and last 4 characters only, as the submission sheets require."""
    if len(number) <= 10:
        return number
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# --- Unified social credit code, GB 32100-2015 -------------------------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_REGISTRAR = "123456789ABCDEFGNY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_code_check_char(first17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """The check character of a GB 11714 organisation code (positions 9-17 of a USCC)."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def check_credit_code(value: str) -> str:
    """Validate an 18-character unified social credit code and return it upper-cased."""
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise InvalidValue(f"统一社会信用代码应为18位，现为{len(code)}位")
    bad = sorted({c for c in code if c not in USCC_CHARS})
    if bad:
        raise InvalidValue(f"统一社会信用代码含有不允许的字符“{''.join(bad)}”（不使用I、O、Z、S、V）")
    if code[0] not in _USCC_REGISTRAR:
        raise InvalidValue(f"统一社会信用代码第1位（登记管理部门代码）“{code[0]}”无效")
    # "100000" marks a body registered at national level.
    if not code[2:8].isdigit() or (code[2:8] != "100000" and int(code[2:4]) not in PROVINCE_CODES):
        raise InvalidValue(f"统一社会信用代码第3-8位“{code[2:8]}”不是有效的行政区划代码")
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise InvalidValue(f"统一社会信用代码校验位错误：第18位应为“{expected}”，实为“{code[17]}”")
    return code


# --- Division codes, GB/T 2260 and the 12-digit statistical codes ------------

DIVISION_LEVELS = ("province", "city", "county", "township", "village")


def check_division_code(value: str) -> str:
    """Validate a 6-digit GB/T 2260 code or a 12-digit statistical division code.

    Returns the level of the division the code names: the last non-zero segment.
    """
    code = (value or "").strip()
    if len(code) not in (6, 12) or not code.isdigit():
        raise InvalidValue("行政区划代码应为6位或12位数字")
    if int(code[:2]) not in PROVINCE_CODES:
        raise InvalidValue(f"行政区划代码前两位“{code[:2]}”不是有效的省级代码")
    segments = [code[0:2], code[2:4], code[4:6]] + ([code[6:9], code[9:12]] if len(code) == 12 else [])
    level = 0
    for i, seg in enumerate(segments):
        if int(seg):
            if i > level + 1 and any(int(s) == 0 for s in segments[1:i]):
                raise InvalidValue(f"行政区划代码“{code}”层级不连续：上级代码为0而下级代码不为0")
            level = i
    return DIVISION_LEVELS[level]


# --- Phone numbers -----------------------------------------------------------

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?")
_SERVICE = re.compile(r"[48]00-?\d{3}-?\d{4}")
_PHONE_SPACING = re.compile(r"[\s（）()]")


def check_phone(value: str) -> str:
    """Validate a mainland mobile number, a landline with area code, or a 400/800 number."""
    phone = value or ""
    if not phone.isdigit():  # a mobile number, as nearly all are, has nothing to take out
        phone = _PHONE_SPACING.sub("", phone).replace("—", "-").replace("－", "-")
    if phone.startswith("+86"):
        phone = phone[3:].lstrip("-")
    if _MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone) or _SERVICE.fullmatch(phone):
        return phone
    raise InvalidValue("电话号码格式不正确：手机号应为1开头的11位数字，固定电话应带区号（如0871-65123456）")


def mask_phone(phone: str) -> str:
    """A person's phone with the middle hidden: 138****5678; a landline keeps its area code, its last 4 digits
    and any extension: 0871-****5678-123."""
    if len(phone) == 11 and phone[0] == "1" and phone.isdigit():  # a mobile, as most are: no pattern needed
        return f"{phone[:3]}****{phone[-4:]}"
    landline = re.fullmatch(r"(0\d{2,3}-?)([2-9]\d{6,7})(-\d{1,6})?", phone)
    if landline:
        area, local, extension = landline.group(1), landline.group(2), landline.group(3) or ""
        return f"{area}{'*' * (len(local) - 4)}{local[-4:]}{extension}"
    if len(phone) <= 7:
        return phone
    return phone[:3] + "".join("*" if c.isdigit() else c for c in phone[3:-4]) + phone[-4:]


def is_masked(value: object) -> bool:
    """A value as a masked export shows it (its middle replaced by *), not one a person typed."""
    return isinstance(value, str) and "*" in value


# --- Characters no text field may hold ---------------------------------------
#
# Control characters cannot be written into a workbook at all (openpyxl refuses them, so one such name made
# every export fail); bidirectional controls make a name display as something else (王‮gpj.exe‬五 reads
# 王exe.jpg五); zero-width characters make two names that look the same differ, so lookups and keys miss.
# Excel writes a control character in a cell as the escape _xHHHH_, which a reader may hand over undecoded:
# such an escape counts as the character it stands for.

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_LINE_SEPARATORS = "\u2028\u2029"
_NONCHARACTERS = "\ufffe\uffff"  # not allowed in XML, so not in a workbook either
_CONTROL = "".join(map(chr, range(0x20))) + "".join(map(chr, range(0x7F, 0xA0)))
_SPECIAL = frozenset(_CONTROL + _BIDI + _ZERO_WIDTH + _LINE_SEPARATORS + _NONCHARACTERS)
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
_ALL_SPECIAL = "".join(sorted(_SPECIAL))
# Long free text keeps its tabs and line breaks; a name or other short text keeps neither.
_FORBIDDEN = {
    False: re.compile(f"[{re.escape(_ALL_SPECIAL)}]"),
    True: re.compile(f"[{re.escape(_ALL_SPECIAL.replace(chr(9), '').replace(chr(10), ''))}]"),
}
_SUSPECT = re.compile(f"[{re.escape(_ALL_SPECIAL)}]|_x[0-9A-Fa-f]{{4}}_")


def _decode_escape(m: re.Match) -> str:
    char = chr(int(m.group(1), 16))
    return char if char in _SPECIAL else m.group(0)  # _x0041_ is text someone typed, not an escape of ours


def _decoded(text: str, multiline: bool) -> str:
    """Excel's escapes of special characters decoded and, in long free text, line breaks made ``\\n``."""
    text = _ESCAPE.sub(_decode_escape, text)
    return _BREAKS.sub("\n", text) if multiline else text


def clean_text(text: str, *, multiline: bool = False) -> str:
    """``text`` without the characters no text field may hold (escapes _xHHHH_ of them included); line breaks
    as ``\\n``. With ``multiline`` (long free text: notes, 进展情况) tabs and line breaks are kept."""
    if not _SUSPECT.search(text):  # nearly every cell: one scan in C
        return text
    return _FORBIDDEN[multiline].sub("", _decoded(text, multiline))


def any_to_clean(texts: Iterable[str]) -> bool:
    """Whether any of ``texts`` may hold a character ``clean_text`` removes: one scan of a whole column."""
    return bool(_SUSPECT.search(" ".join(texts)))


def forbidden_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The distinct characters ``clean_text`` would remove from ``text``, in order of appearance."""
    if not _SUSPECT.search(text):
        return []
    return list(dict.fromkeys(_FORBIDDEN[multiline].findall(_decoded(text, multiline))))


def describe_characters(chars: list[str]) -> str:
    """Characters a user cannot see, named so that they can be found: 文字方向控制符 U+202E、控制字符 U+0001."""
    names = []
    for c in chars:
        if c in _BIDI:
            kind = "文字方向控制符"
        elif c in _ZERO_WIDTH:
            kind = "零宽字符"
        elif c in "\t":
            kind = "制表符"
        elif c in "\n\r" + _LINE_SEPARATORS:
            kind = "换行符"
        else:
            kind = "控制字符"
        names.append(f"{kind} U+{ord(c):04X}")
    return "、".join(names)


def check_text(text: str, label: str, *, multiline: bool = False) -> str:
    """``text`` with its line breaks as ``\\n``; InvalidValue naming the characters it must not hold."""
    if multiline and ("\r" in text or "\u2028" in text or "\u2029" in text):
        text = _BREAKS.sub("\n", text)
    bad = forbidden_characters(text, multiline=multiline)
    if bad:
        where = "（换行和制表符只能用于说明类栏目）" if set(bad) & set("\t\n\r") else ""
        if _ESCAPE.search(text):
            where += "（Excel 把这类字符写成 _x0001_ 这样的转义形式）"
        raise InvalidValue(
            f"“{label}”含有不可见或不允许的字符：{describe_characters(bad)}{where}。"
            "这类字符多是从网页、聊天软件或其他系统复制时带入的，会使名称显示错乱或导出失败；请删除后重新输入"
        )
    return text


ECHO_LIMIT = 50


def shorten(text: object, limit: int = ECHO_LIMIT) -> str:
    """A clerk's cell or name echoed in a message: at most ``limit`` characters, then an ellipsis (a cell may
    hold 32,767 characters, and a message quoting it whole fills the screen)."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
