"""Sums of money in capital numerals, as the People's Bank's rules for payment documents write them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.amounts import in_capitals


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        # the examples of 《支付结算办法》附件一
        (Decimal("1680.32"), "壹仟陆佰捌拾元零叁角贰分"),
        (Decimal("107000.53"), "壹拾万柒仟元零伍角叁分"),
        (Decimal("1409.50"), "壹仟肆佰零玖元伍角"),
        (Decimal("325.04"), "叁佰贰拾伍元零肆分"),
        # a roster's totals: whole yuan, 整 after them
        (16, "壹拾陆元整"),
        (10050, "壹万零伍拾元整"),
        (30100, "叁万零壹佰元整"),
        (1001, "壹仟零壹元整"),
        (100000, "壹拾万元整"),
        (1_000_000_000, "壹拾亿元整"),
        (0.5, "伍角"),
        (0.05, "伍分"),
        (0, "零元整"),
    ],
)
def test_amounts_in_capitals(amount, written):
    assert in_capitals(amount) == written


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError):
        in_capitals(-1)
