"""Text stored before the text rules lose the characters no text may hold: control characters (one in a name made
every export fail), direction overrides (王‮gpj.exe‬五 reads reversed) and zero-width characters. Long free text (an
unbounded Text column: notes, 进展情况) keeps its tabs and line breaks; names and other short text (String(n))
keep neither. Nothing else of a value changes; each cleaned record gets a row in the change history with its old
and new text, and records clerks edit get a new version.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Inspector, RowMapping

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The rule as it stood at this revision (desktop.validators.clean_text). A migration keeps its own copy: the
# application's rule may change later, and the database layer does not import the application.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_CONTROL = "".join(map(chr, range(0x20))) + "".join(map(chr, range(0x7F, 0xA0)))
_SPECIAL = frozenset(_CONTROL + _BIDI + _ZERO_WIDTH + "\u2028\u2029\ufffe\uffff")
_ALL = "".join(sorted(_SPECIAL))
_FORBIDDEN = {
    False: re.compile(f"[{re.escape(_ALL)}]"),
    True: re.compile(f"[{re.escape(_ALL.replace(chr(9), '').replace(chr(10), ''))}]"),
}
_SUSPECT = re.compile(f"[{re.escape(_ALL)}]|_x[0-9A-Fa-f]{{4}}_")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_BREAKS = re.compile("\r\n?|[\u2028\u2029]")

# The change history records what was, and sign-in names must match what their owners type: both stay as they
# are. Every other table's text columns are cleaned (found by reflection, so none is forgotten).
LEFT_ALONE = {"alembic_version", "changes", "users", "exchange_identity"}
WHO = "数据库升级"
WHY = "升级数据库：删除文字中的控制字符、文字方向控制符和零宽字符（它们会使名称显示错乱或导出失败）"


def _escape(m: re.Match[str]) -> str:
    char = chr(int(m.group(1), 16))
    return char if char in _SPECIAL else m.group(0)


def clean(text: str, multiline: bool) -> str:
    if not _SUSPECT.search(text):
        return text
    text = _ESCAPE.sub(_escape, text)
    if multiline:
        text = _BREAKS.sub("\n", text)
    return _FORBIDDEN[multiline].sub("", text)


def upgrade() -> None:
    conn = op.get_bind()
    inspector = sa.inspect(conn)
    now = dt.datetime.now()
    history = []
    for name in sorted(set(inspector.get_table_names()) - LEFT_ALONE):
        table = sa.Table(name, sa.MetaData(), autoload_with=conn)
        texts = {c.name: isinstance(c.type, sa.Text) for c in table.columns if isinstance(c.type, sa.String)}
        keys = [c.name for c in table.primary_key.columns]
        if not texts or not keys:
            continue
        rows = conn.execute(sa.select(table)).mappings().all()
        changed = {}
        for row in rows:
            new = {t: clean(row[t], long) for t, long in texts.items() if isinstance(row[t], str)}
            new = {t: v for t, v in new.items() if v != row[t]}
            if new:
                changed[tuple(row[k] for k in keys)] = (row, new)
        if not changed:
            continue
        _keep_unique(inspector, name, rows, keys, changed)
        has_version = "version" in table.c
        for key, (row, new) in changed.items():
            if not new:
                continue
            values = dict(new, **({"version": table.c.version + 1} if has_version else {}))
            where = [table.c[k] == v for k, v in zip(keys, key, strict=True)]
            try:
                # A value a CHECK would then refuse (a name of nothing but a zero-width space is blank once
                # cleaned) stays as it is: the upgrade must not fail on it, and every file written from it is
                # still cleaned as it is written.
                with conn.begin_nested():
                    conn.execute(sa.update(table).where(*where).values(**values))
            except sa.exc.IntegrityError:
                continue
            if keys == ["id"]:
                old = {t: row[t] for t in new}
                history.append(
                    {"at": now, "user": WHO, "table_name": name, "row_id": row["id"], "action": "update",
                     "old_values": old, "new_values": new, "reason": WHY}
                )  # fmt: skip
    if history:
        conn.execute(sa.insert(CHANGES), history)


# The change history as this revision knows it (declared, not reflected: SQLite reports JSON as plain text).
CHANGES = sa.table(
    "changes",
    sa.column("at", sa.DateTime),
    sa.column("user", sa.String),
    sa.column("table_name", sa.String),
    sa.column("row_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("old_values", sa.JSON),
    sa.column("new_values", sa.JSON),
    sa.column("reason", sa.Text),
)


def _keep_unique(
    inspector: Inspector, name: str, rows: Sequence[RowMapping], keys: list[str], changed: dict[tuple[Any, ...], Any]
) -> None:
    """Two values that differed only by an invisible character would be equal once cleaned, and a UNIQUE
    constraint (a task's ledger and number) refuse the upgrade: such a value is left as it is (every file written
    from it is still cleaned as it is written)."""
    groups = [tuple(u["column_names"]) for u in inspector.get_unique_constraints(name)]
    # an expression's place in an index has no column name, and no value here to compare
    groups += [tuple(c for c in i["column_names"] if c is not None) for i in inspector.get_indexes(name) if i.get("unique")]
    for group in groups:
        if not any(c in new for _row, new in changed.values() for c in group):
            continue
        after = {}
        for row in rows:
            key = tuple(row[k] for k in keys)
            new = changed.get(key, (None, {}))[1]
            after[key] = tuple(new.get(c, row[c]) for c in group)
        seen: dict[tuple[Any, ...], int] = {}
        for values in after.values():
            seen[values] = seen.get(values, 0) + 1
        for key, (_row, new) in changed.items():
            if any(c in new for c in group) and None not in after[key] and seen[after[key]] > 1:
                for c in group:
                    new.pop(c, None)


def downgrade() -> None:
    pass  # the removed characters are kept in the change history; nothing in the schema changed
