"""The validators against published examples and against every single-character mutation."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.identifiers import make_credit_code, make_id_number
from desktop.validators import (
    USCC_CHARS,
    InvalidValue,
    check_credit_code,
    check_division_code,
    check_id_number,
    check_phone,
    id_check_digit,
    mask_id_number,
)

# The example of GB 11643-1999 itself, and one widely cited in its explanations.
PUBLISHED_IDS = {
    "11010519491231002X": (dt.date(1949, 12, 31), "F"),
    "440524188001010014": (dt.date(1880, 1, 1), "M"),
}
# Published codes: the example in GB 32100 explanations, Tencent's, and a central body registered nationally.
PUBLISHED_CREDIT_CODES = ("91350100M000100Y43", "91440300708461136T", "12100000400000624D")


@pytest.mark.parametrize("number", PUBLISHED_IDS)
def test_published_id_numbers_are_valid_and_give_birth_date_and_sex(number):
    info = check_id_number(number)
    assert (info.birth_date, info.sex) == PUBLISHED_IDS[number]
    assert info.area_code == number[:6]


def test_lower_case_x_is_accepted_and_normalised():
    assert check_id_number("11010519491231002x").number == "11010519491231002X"


@pytest.mark.parametrize("number", PUBLISHED_IDS)
def test_every_single_character_change_of_an_id_number_is_refused(number):
    for pos in range(18):
        for c in "0123456789X":
            if c == number[pos] or (c == "X" and pos < 17):
                continue
            mutated = number[:pos] + c + number[pos + 1 :]
            with pytest.raises(InvalidValue):
                check_id_number(mutated)


@pytest.mark.parametrize("number", PUBLISHED_IDS)
def test_swapping_neighbouring_digits_is_refused(number):
    for pos in range(16):
        a, b = number[pos], number[pos + 1]
        if a != b:
            with pytest.raises(InvalidValue):
                check_id_number(number[:pos] + b + a + number[pos + 2 :])


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("", "不能为空"),
        ("11010519491231002", "18位"),
        ("1101051949123100AX", "前17位应为数字"),
        ("99010519491231002X", "省级"),
        ("110105194902300021", "不是有效日期"),
        ("110105194912310021", "第18位应为“X”"),
    ],
)
def test_id_number_errors_say_why_in_chinese(number, reason):
    with pytest.raises(InvalidValue, match=reason):
        check_id_number(number)


def test_the_check_digit_is_the_standards_weighted_sum():
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643-1999, table 1
    for k in range(20000):
        first17 = f"{k * 7_919_113_183 % 10**17:017d}"
        weighted = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
        assert id_check_digit(first17) == "10X98765432"[weighted % 11]


def test_digits_of_other_scripts_are_not_an_id_number():
    arabic_indic = "".join(chr(0x660 + int(d)) for d in "11010519491231002")
    with pytest.raises(InvalidValue, match="前17位应为数字"):
        check_id_number(arabic_indic + "X")


def test_a_birth_date_in_the_future_is_refused():
    number = make_id_number("530102", dt.date(2030, 1, 1), "M", 7)
    with pytest.raises(InvalidValue, match="合理范围"):
        check_id_number(number, today=dt.date(2026, 11, 23))


def test_made_id_numbers_round_trip():
    for k, sex in enumerate("MFMF"):
        birth = dt.date(1960 + k * 10, 2, 28)
        info = check_id_number(make_id_number("539921", birth, sex, k))
        assert (info.birth_date, info.sex, info.area_code) == (birth, sex, "539921")


def test_mask_shows_first_six_and_last_four():
    assert mask_id_number("11010519491231002X") == "110105********002X"


@pytest.mark.parametrize("code", PUBLISHED_CREDIT_CODES)
def test_published_credit_codes_are_valid(code):
    assert check_credit_code(code.lower()) == code


@pytest.mark.parametrize("code", PUBLISHED_CREDIT_CODES)
def test_every_single_character_change_of_a_credit_code_is_refused(code):
    for pos in range(18):
        for c in USCC_CHARS:
            if c != code[pos]:
                with pytest.raises(InvalidValue):
                    check_credit_code(code[:pos] + c + code[pos + 1 :])


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y4", "18位"),
        ("91350100M000100YI3", "不允许的字符"),
        ("X1350100M000100Y43", "登记管理部门"),
        ("91990100M000100Y43", "行政区划代码"),
    ],
)
def test_credit_code_errors_say_why(code, reason):
    with pytest.raises(InvalidValue, match=reason):
        check_credit_code(code)


def test_made_credit_codes_are_valid():
    import random

    rng = random.Random(1)
    for _ in range(50):
        check_credit_code(make_credit_code("12", "539921", rng))


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("530000", "province"),
        ("532500", "city"),
        ("532503", "county"),
        ("532503100000", "township"),
        ("532503100201", "village"),
        ("110105001001", "village"),
    ],
)
def test_division_codes_give_their_level(code, level):
    assert check_division_code(code) == level


@pytest.mark.parametrize("code", ["53250", "5325031", "99250300000", "990000", "53250310020a", "530000100000"])
def test_bad_division_codes_are_refused(code):
    with pytest.raises(InvalidValue):
        check_division_code(code)


@pytest.mark.parametrize(
    "phone",
    [
        "13812345678",
        "+86 138 1234 5678",
        "0871-65123456",
        "087165123456",
        "010-8888888",
        "0873-3125678-201",
        "400-810-8888",
    ],
)
def test_good_phone_numbers(phone):
    check_phone(phone)


@pytest.mark.parametrize("phone", ["", "12812345678", "1381234567", "65123456", "0871-0512345", "电话"])
def test_bad_phone_numbers(phone):
    with pytest.raises(InvalidValue, match="电话号码"):
        check_phone(phone)


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0871-62345678", "0871-****5678"),
        ("0871-62345678-123", "0871-****5678-123"),  # the extension is kept: the masked number imports back
        ("010-6234567-1", "010-***4567-1"),
        ("400-123-4567", "400-***-4567"),
        ("12320", "12320"),
    ],
)
def test_a_phone_is_masked_in_its_middle_and_the_mask_reads_back_as_masked(phone, masked):
    from desktop.records.fields import MaskedValue
    from desktop.records.types import STAFF
    from desktop.validators import mask_phone

    assert mask_phone(phone) == masked
    if "*" in masked:
        assert isinstance(STAFF.field("phone").parse(masked), MaskedValue)


# --- Characters no text field may hold ---------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("张_x0001_三", "张三"),  # Excel's escape of a control character, handed over undecoded
        ("张\x00三", "张三"),
        ("张\x1b[31m三", "张[31m三"),
        ("王\u202egpj.exe\u202c五", "王gpj.exe五"),
        ("\ufeff李\u200b华\u2066", "李华"),
        ("桃源镇\r\n卫生院\t", "桃源镇卫生院"),
        ("a\x85b\x7fc", "abc"),
        ("公式_x0041_照旧", "公式_x0041_照旧"),  # an escape of a visible character is text someone typed
    ],
)
def test_short_text_loses_control_bidi_and_zero_width_characters(raw, clean):
    from desktop.validators import clean_text

    assert clean_text(raw) == clean
    assert clean_text(clean) == clean


def test_long_free_text_keeps_tabs_and_line_breaks_as_newlines():
    from desktop.validators import clean_text

    assert (
        clean_text("一、完成\r\n二、\t推进\r三\u2028四_x000D_\n五\x07", multiline=True)
        == "一、完成\n二、\t推进\n三\n四\n五"
    )


def test_a_refusal_names_the_invisible_characters():
    from desktop.validators import check_text

    with pytest.raises(
        InvalidValue, match=r"“姓名”含有不可见或不允许的字符：文字方向控制符 U\+202E、文字方向控制符 U\+202C"
    ):
        check_text("王\u202egpj.exe\u202c五", "姓名")
    with pytest.raises(InvalidValue, match=r"控制字符 U\+0001.*_x0001_"):
        check_text("张_x0001_三", "姓名")
    with pytest.raises(InvalidValue, match="换行和制表符只能用于说明类栏目"):
        check_text("张\n三", "姓名")
    assert check_text("第一行\r\n第二行\t完", "进展情况", multiline=True) == "第一行\n第二行\t完"
