"""Norms: the thresholds of the checks, as dated versions in the database.

The default rule set (resources/norms/default_rules.json) is loaded as version 1 on first use, each rule from the
date of the document it cites. A change is a new version from a date; the norm in force on a check's date is the
latest version that started on or before it, so a change made in 2026 does not rewrite a 2025 report.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

import resources
from db.access import SYSTEM, acting_as
from db.errors import UserError
from db.models import NormRule, NormVersion


class NormError(UserError, ValueError):
    """A norm change that cannot be made; the message is Chinese."""


@dataclass(frozen=True)
class Norm:
    """One rule as in force on a date."""

    rule_id: str
    name: str
    version: int
    effective_from: dt.date
    enabled: bool
    params: dict[str, Any]
    applies_to: tuple[str, ...]
    severity: str
    source_title: str
    source_issuer: str | None
    source_number: str | None
    source_item: str | None

    @property
    def source(self) -> str:
        """The source as a reader cites it: 《title》（number）item."""
        text = f"《{self.source_title}》"
        if self.source_number:
            text += f"（{self.source_number}）"
        if self.source_item:
            text += self.source_item
        return text


def default_rules() -> dict:
    return resources.read_json("norms/default_rules.json")


# The databases this process found holding every default rule. A rule is never deleted (a change is a new version,
# switching it off too), so the answer stands while the engine does; a restored backup is opened anew. Pages ask on
# every refresh, and on a server each asking was a round trip.
_COMPLETE: weakref.WeakSet[Engine | Connection] = weakref.WeakSet()
_ADDED = "norms_added"


def ensure_defaults(session: Session, *, user: str = "系统") -> int:
    """Load every default rule the database does not have yet, as version 1. Returns how many."""
    bind = session.get_bind()
    if bind in _COMPLETE:
        return 0
    defaults = default_rules()
    known = set(session.scalars(select(NormRule.key)))
    if all(spec["id"] in known for spec in defaults["rules"]):
        if not session.info.get(_ADDED):  # rules this session added are not there for good until it commits
            _COMPLETE.add(bind)
        return 0
    fallback = dt.date.fromisoformat(defaults["effective_from"])  # the app's own data rules
    dated = {title: dt.date.fromisoformat(day) for title, day in defaults["document_dates"].items()}
    added = 0
    for spec in defaults["rules"]:
        if spec["id"] in known:
            continue
        effective = dated.get(spec["source"]["title"], fallback)  # a rule holds from its document's date
        rule = NormRule(key=spec["id"], name=spec["name"])
        source = spec["source"]
        rule.versions.append(
            NormVersion(
                version=1,
                effective_from=effective,
                enabled=True,
                params=spec["params"],
                applies_to=spec["applies_to"],
                severity=spec["severity"],
                source_title=source["title"],
                source_issuer=source.get("issuer"),
                source_number=source.get("number"),
                source_item=source.get("item"),
                note=spec.get("note"),
                created_at=dt.datetime.now(),
                created_by=user,
            )
        )
        session.add(rule)
        added += 1
    if added:
        session.info[_ADDED] = True
        with acting_as(session, SYSTEM):
            session.flush()
    return added


def norms_in_force(session: Session, on: dt.date) -> dict[str, Norm]:
    """Every rule's version in force on a date, by rule id (disabled ones included, marked)."""
    rows = session.execute(
        select(NormRule.key, NormRule.name, NormVersion)
        .join(NormVersion, NormVersion.rule_id == NormRule.id)
        .where(NormVersion.effective_from <= on)
        .order_by(NormRule.key, NormVersion.effective_from)
    ).all()
    out: dict[str, Norm] = {}
    for key, name, v in rows:  # ordered by date, so the last one per rule wins
        out[key] = Norm(
            rule_id=key,
            name=name,
            version=v.version,
            effective_from=v.effective_from,
            enabled=v.enabled,
            params=dict(v.params),
            applies_to=tuple(v.applies_to),
            severity=v.severity,
            source_title=v.source_title,
            source_issuer=v.source_issuer,
            source_number=v.source_number,
            source_item=v.source_item,
        )
    return out


def change_norm(  # noqa: C901
    session: Session,
    rule_id: str,
    effective_from: dt.date,
    *,
    params: dict[str, Any] | None = None,
    enabled: bool | None = None,
    severity: str | None = None,
    note: str | None = None,
    source: dict[str, str | None] | None = None,
    carry_forward: bool = False,
    user: str = "系统",
) -> NormVersion:
    """Add a version of a rule from a date, starting from the version in force then. ``source``: the document the
    bureau cites for it from then on (title, issuer, number, item; those given replace the earlier ones).

    A version dated before a later one applies only until it (later_versions says which and for which periods);
    with ``carry_forward`` the later versions take over what this one changes."""
    rule = session.scalar(select(NormRule).where(NormRule.key == rule_id))
    if rule is None:
        raise NormError(f"没有编号为“{rule_id}”的规则")
    if any(v.effective_from == effective_from for v in rule.versions):
        raise NormError(f"规则“{rule.name}”在 {effective_from} 已有一个版本，请选择其他生效日期")
    earlier = [v for v in rule.versions if v.effective_from <= effective_from]
    if not earlier:
        raise NormError(f"规则“{rule.name}”在 {effective_from} 之前没有版本可以修改")
    base = earlier[-1]
    new_params = dict(base.params)
    if params:
        unknown = set(params) - set(base.params)
        if unknown:
            raise NormError(f"规则“{rule.name}”没有参数：{'、'.join(sorted(unknown))}")
        new_params.update(params)
    cited = {
        "title": base.source_title,
        "issuer": base.source_issuer,
        "number": base.source_number,
        "item": base.source_item,
    }
    for key, value in (source or {}).items():
        if key not in cited:
            raise NormError(f"依据没有“{key}”一项")
        cited[key] = (value or "").strip() or None
    if not cited["title"]:
        raise NormError("依据的文件名称不能为空")
    cited["title"] = cited["title"].strip("《》")
    version = NormVersion(
        version=max(v.version for v in rule.versions) + 1,
        effective_from=effective_from,
        enabled=base.enabled if enabled is None else enabled,
        params=new_params,
        applies_to=list(base.applies_to),
        severity=severity or base.severity,
        source_title=cited["title"],
        source_issuer=cited["issuer"],
        source_number=cited["number"],
        source_item=cited["item"],
        note=note,
        created_at=dt.datetime.now(),
        created_by=user,
    )
    rule.versions.append(version)
    if carry_forward:
        for later in (v for v in rule.versions if v.effective_from > effective_from):
            if params:
                later.params = {**later.params, **params}
            if enabled is not None:
                later.enabled = enabled
            if severity:
                later.severity = severity
            if source:
                later.source_title, later.source_issuer = cited["title"], cited["issuer"]
                later.source_number, later.source_item = cited["number"], cited["item"]
    session.flush()
    return version


def later_versions(session: Session, rule_id: str, effective_from: dt.date) -> list[NormVersion]:
    """The versions of a rule that start after a date: a version from that date applies only until the first."""
    rule = session.scalar(select(NormRule).where(NormRule.key == rule_id))
    if rule is None:
        return []
    return sorted((v for v in rule.versions if v.effective_from > effective_from), key=lambda v: v.effective_from)


def periods_decided(start: dt.date, until: dt.date | None) -> str:
    """The reporting quarters whose checks a version from ``start`` decides, until a later version from ``until``:
    a quarter is checked as of its last day, so it follows the version in force then."""
    from desktop.periods import Period

    first = Period.quarter_of(start)
    if until is None:
        return f"{first.label}起各期"
    q = (until.month - 1) // 3 + 1  # the quarter holding ``until`` ends after it: the later version decides it
    last = Period(until.year, q - 1) if q > 1 else Period(until.year - 1, 4)
    if (last.year, last.quarter) < (first.year, first.quarter):
        return ""
    return first.label if last == first else f"{first.label}至{last.label}"
