"""Reporting periods: a year (2026) or a quarter (2026Q3)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from db.errors import UserError

_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


class PeriodError(UserError, ValueError):
    """A period the user typed that is not a year or a quarter; the message is Chinese."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int | None = None  # None: the whole year

    def __post_init__(self) -> None:
        if not 1900 <= self.year <= 2999:
            raise PeriodError(f"报告年度 {self.year} 不在合理范围内（1900-2999）")
        if self.quarter is not None and self.quarter not in (1, 2, 3, 4):
            raise PeriodError(f"季度应为 1 到 4，现为 {self.quarter}")

    @classmethod
    def year_option(cls, text: str) -> int:
        """``--year`` on the command line: a year, refused in Chinese by argparse if it is not one."""
        import argparse

        try:
            period = cls.parse(text)
        except PeriodError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        if period.quarter is not None:
            raise argparse.ArgumentTypeError(f"“{text}”是季度，这里应填年份（如 2026）")
        return period.year

    @classmethod
    def parse(cls, text: str) -> Period:
        value = text.strip().upper().replace("年", "").replace("第", "").replace("季度", "")
        m = re.fullmatch(r"(\d{4})(?:-?Q([1-4]))?", value)
        if not m:
            raise PeriodError(f"报告期“{text}”格式不正确，应为年份（如 2026）或季度（如 2026Q3）")
        return cls(int(m.group(1)), int(m.group(2)) if m.group(2) else None)

    @classmethod
    def quarter_of(cls, day: dt.date) -> Period:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_complete_quarter(cls, today: dt.date) -> Period:
        q = (today.month - 1) // 3  # the quarter before today's
        return cls(today.year - 1, 4) if q == 0 else cls(today.year, q)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        month, day = _QUARTER_END[self.quarter or 4]
        return dt.date(self.year, month, day)

    def previous_quarter(self) -> Period:
        """The quarter before (a year's: the year before)."""
        if self.quarter is None:
            return Period(self.year - 1)
        return Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)

    def year_before(self) -> Period:
        """The same quarter (or the whole year) a year before."""
        return Period(self.year - 1, self.quarter)

    def as_of(self, today: dt.date) -> dt.date:
        """The date a check of this period looks at: its last day, or today while it runs."""
        return min(self.end, today)

    def __str__(self) -> str:
        return f"{self.year}" if self.quarter is None else f"{self.year}Q{self.quarter}"

    @property
    def label(self) -> str:
        return f"{self.year}年" if self.quarter is None else f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"
