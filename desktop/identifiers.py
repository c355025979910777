"""Making valid identifiers (the inverse of the validators), for the demo and for tests."""

from __future__ import annotations

import datetime as dt
import random

from desktop.validators import (
    USCC_CHARS,
    credit_code_check_char,
    id_check_digit,
    org_code_check_char,
)


def make_id_number(area_code: str, birth: dt.date, sex: str, sequence: int) -> str:
    """An 18-digit ID number; the sequence's parity carries the sex (odd: male)."""
    seq = sequence % 500 * 2 + (1 if sex == "M" else 0)
    first17 = f"{area_code}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def make_credit_code(registrar: str, division6: str, rng: random.Random) -> str:
    """A unified social credit code with a valid organisation-code check and check character."""
    org = "".join(rng.choice(USCC_CHARS[:10]) for _ in range(8))
    body = registrar + division6 + org + org_code_check_char(org)
    return body + credit_code_check_char(body)
