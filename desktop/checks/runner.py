"""Running the checks of a period with the norms in force on its date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

# Importing the rule modules registers their checks.
from db.errors import Cancelled, UserError
from desktop.checks import beds, data_quality, network, projects, ratios, tasks, tcm, village_doctors  # noqa: F401
from desktop.checks.findings import Finding
from desktop.checks.registry import CHECKS, Context, NothingToJudge
from desktop.norms import Norm, ensure_defaults, norms_in_force
from desktop.periods import Period
from desktop.snapshot import Snapshot, paused_gc


class CheckError(UserError, ValueError):
    """The checks cannot run as asked; the message is Chinese."""


@dataclass
class CheckRun:
    period: Period
    as_of: dt.date
    findings: list[Finding]
    norms: dict[str, Norm]
    rules_run: list[str] = field(default_factory=list)
    rules_off: list[str] = field(default_factory=list)  # switched off by the bureau on this date
    rules_idle: dict[str, str] = field(default_factory=dict)  # rule -> why it had nothing to judge by

    def by_rule(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.rule_id, []).append(f)
        return out


def check_rule_ids() -> list[str]:
    return list(CHECKS)


def run_checks(
    session: Session,
    period: Period,
    *,
    today: dt.date | None = None,
    rule_ids: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    data: Snapshot | None = None,
) -> CheckRun:
    """Run the checks (all, or the given rules) for a period. Loads the default norms on first use;
    the caller commits the session if it wants them kept."""
    wanted = list(CHECKS) if rule_ids is None else list(dict.fromkeys(rule_ids))
    unknown = [r for r in wanted if r not in CHECKS]
    if unknown:
        raise CheckError(f"没有这些核查规则：{'、'.join(unknown)}。可用的规则编号：{'、'.join(CHECKS)}")
    ensure_defaults(session)
    as_of = period.as_of(today or dt.date.today())
    norms = norms_in_force(session, as_of)
    if data is not None and data.as_of != as_of:
        raise ValueError(f"the records were read as of {data.as_of}, the period is judged as of {as_of}")
    ctx = Context(data if data is not None else Snapshot(session, as_of), period, as_of)
    run = CheckRun(period, as_of, [], norms)
    with paused_gc():
        for i, rule_id in enumerate(wanted):
            if cancelled and cancelled():
                raise Cancelled()
            norm = norms.get(rule_id)
            if norm is None or not norm.enabled:
                run.rules_off.append(rule_id)
            else:
                try:
                    run.findings.extend(CHECKS[rule_id](ctx, norm))
                except NothingToJudge as idle:
                    run.rules_idle[rule_id] = str(idle)
                else:
                    run.rules_run.append(rule_id)
            if progress:
                progress(i + 1, len(wanted))
    run.findings.sort(key=Finding.sort_key)
    return run
