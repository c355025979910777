"""Where each rule id meets the function that checks it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from desktop.checks.findings import Finding, Where
from desktop.norms import Norm
from desktop.periods import Period
from desktop.snapshot import Snapshot


class NothingToJudge(Exception):  # noqa: N818  a rule's state, not a failure
    """Raised by a check that has no basis to judge by this period (a ratio the plan in force sets no target for):
    its rule is then neither "run, nothing found" nor switched off, and says why."""


@dataclass
class Context:
    data: Snapshot
    period: Period
    as_of: dt.date

    def finding(
        self,
        norm: Norm,
        where: Where,
        measured: Any,
        limit: Any,
        message: str,
        *,
        period: str | None = None,
        source: str | None = None,
        **details: Any,
    ) -> Finding:
        """``source``: the document the finding is about where it has one of its own (a task's ledger cites the
        document that set the task), else the rule's."""
        return Finding(
            rule_id=norm.rule_id,
            rule_name=norm.name,
            severity=norm.severity,
            where=where,
            measured=measured,
            limit=limit,
            period=period or str(self.period),
            message=message,
            source=source or norm.source,
            details=details,
        )


CheckFunction = Callable[[Context, Norm], Iterable[Finding]]
CHECKS: dict[str, CheckFunction] = {}


def check(rule_id: str) -> Callable[[CheckFunction], CheckFunction]:
    def register(fn: CheckFunction) -> CheckFunction:
        CHECKS[rule_id] = fn
        return fn

    return register
