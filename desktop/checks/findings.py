"""What a check finds: one problem, located, measured, explained and sourced."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from db.codes import SEVERITY

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class Where:
    kind: str  # county, township, village, facility, person, project, task
    id: int
    name: str
    township: str | None = None
    county: str | None = None

    @property
    def label(self) -> str:
        parts = [p for p in (self.county, self.township) if p and p not in self.name]
        return "".join(parts) + self.name if parts and self.kind in ("facility", "village") else self.name


@dataclass(frozen=True)
class Finding:
    rule_id: str
    rule_name: str
    severity: str
    where: Where
    measured: Any
    limit: Any
    period: str
    message: str
    source: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def severity_label(self) -> str:
        return SEVERITY[self.severity]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity_label"] = self.severity_label
        return data

    def cited(self, rule_source: str) -> str:
        """The message, with the finding's own source where it has one beyond its rule's (a task's document)."""
        if rule_source.startswith(self.source):
            return self.message
        return f"{self.message.rstrip('。')}（依据：{self.source}）。"

    def sort_key(self) -> tuple:
        w = self.where
        # Tasks and projects keep their ledger order; places sort by county, township and name.
        name = "" if w.kind in ("task", "project") else w.name
        return (SEVERITY_ORDER[self.severity], self.rule_id, w.county or "", w.township or "", name, w.id)


def cn_date(day: dt.date) -> str:
    """A date as an official document writes it: 2026年2月23日."""
    return f"{day.year}年{day.month}月{day.day}日"


def fmt(value: float, digits: int = 1) -> str:
    """A number as a report prints it: no trailing .0, thousands not grouped in sentences."""
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
