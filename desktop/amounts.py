"""Sums of money as a payment roster writes them: in capital numerals (人民币大写), which cannot be altered by a
stroke as 1 and 7 can. The rules are those of the People's Bank's 《支付结算办法》 (附件一, 正确填写票据和结算
凭证的基本规定): 壹拾 is written out, one 零 stands for a run of zeros inside the amount, 整 follows an amount
that ends at 元, and 角 or 分 follow without it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


def in_capitals(amount: int | float | Decimal) -> str:
    """1680.32 → 壹仟陆佰捌拾元零叁角贰分; 10050 → 壹万零伍拾元整; 0.5 → 伍角; 0 → 零元整."""
    cents = int((Decimal(str(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if cents < 0:
        raise ValueError("an amount to pay is not negative")
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    out = f"{_whole(yuan)}元" if yuan else ""
    if not jiao and not fen:
        return (out or "零元") + "整"
    if yuan and (yuan % 10 == 0 or not jiao):  # 元位 is 0 (壹仟陆佰捌拾元零叁角), or 角 is (壹元零伍分)
        out += "零"
    if jiao:
        out += f"{_DIGITS[jiao]}角"
    if fen:
        out += f"{_DIGITS[fen]}分"
    return out


def _whole(n: int) -> str:
    groups = []
    while n:
        n, group = divmod(n, 10_000)
        groups.append(group)
    if len(groups) > len(_GROUPS):
        raise ValueError("an amount beyond 万亿")
    out, zero = "", False
    for i in reversed(range(len(groups))):
        group = groups[i]
        if group == 0:
            zero = bool(out)
            continue
        if out and (zero or group < 1000):  # 壹万零伍拾: the zeros between two groups read as one 零
            out += "零"
        out += _group(group) + _GROUPS[i]
        zero = False
    return out


def _group(n: int) -> str:
    """1 to 9999, as 伍仟零捌 (a run of zeros inside is one 零, zeros at the end are not read)."""
    out, zero = "", False
    for place in (3, 2, 1, 0):
        digit = n // 10**place % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _PLACES[place]
    return out
