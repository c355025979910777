"""Copying a whole database to another (a bureau's SQLite file to its new PostgreSQL server, or back), verified.

Every table is copied with its ids, in one transaction on the target: a copy that fails or is cancelled leaves
the target as empty as it was. After it, each table's row count and a checksum of its rows (ordered by primary
key, values in one canonical form) are read back from both sides and compared.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import JSON, Connection, Table, delete, func, select

from db.engine import Database, sync_id_sequences
from db.errors import Cancelled, UserError
from db.models import Base, Indicator, Plan
from db.vault import as_stored

BATCH = 5000

LABELS = {
    "changes": "修改记录",
    "divisions": "行政区划",
    "indicators": "规划指标",
    "plans": "规划",
    "import_mappings": "导入列对应",
    "key_tasks": "重点任务",
    "norm_rules": "核查规则",
    "submissions": "报送记录",
    "users": "账号",
    "county_profile": "县域信息",
    "form_blocks": "报表表号",
    "division_populations": "人口",
    "facilities": "机构",
    "indicator_values": "指标数值",
    "norm_versions": "规则版本",
    "task_cooperating_units": "任务配合单位",
    "task_updates": "任务进展",
    "facility_equipment": "设备",
    "projects": "建设项目",
    "service_areas": "服务范围",
    "special_funds": "专项资金",
    "staff": "人员",
    "project_funding": "项目资金",
    "project_updates": "项目进度",
    "staff_loans": "人员借调",
    "trainings": "培训",
    "exchange_identity": "本库密钥",
    "exchange_receivers": "接收单位",
    "vault": "数据密钥状态",
    "exchange_senders": "报送单位",
    "exchange_receipts": "收到的交换文件",
}


class CopyError(UserError):
    """A copy refused or failed; nothing was written to the target."""


@dataclass(frozen=True)
class TableCheck:
    table: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str

    @property
    def label(self) -> str:
        return LABELS.get(self.table, self.table)

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sum == self.target_sum


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)  # parents before children, as the foreign keys need


def _canonical(value: object) -> object:
    """One form of a value whichever database it was read from (a float's repr, a date's ISO text, JSON sorted)."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def table_checksum(db: Database, table: Table) -> tuple[int, str]:
    """Row count and SHA-256 of a table's rows in primary-key order, columns in the model's order."""
    digest = hashlib.sha256()
    rows = 0
    order = list(table.primary_key.columns)
    # SQL NULL and JSON null both read as None: which one a row holds is summed too
    nulls = [c.is_(None) for c in table.columns if isinstance(c.type, JSON)]
    with db.engine.connect() as conn:
        for row in conn.execute(select(*as_stored(table), *nulls).order_by(*order)).yield_per(BATCH):
            digest.update(json.dumps([_canonical(v) for v in row], ensure_ascii=False).encode())
            digest.update(b"\n")
            rows += 1
    return rows, digest.hexdigest()


def verify_copy(source: Database, target: Database) -> list[TableCheck]:
    out = []
    for table in _tables():
        source_rows, source_sum = table_checksum(source, table)
        target_rows, target_sum = table_checksum(target, table)
        out.append(TableCheck(table.name, source_rows, target_rows, source_sum, target_sum))
    return out


def _shipped_only(conn: Connection, held: dict[str, int]) -> bool:
    """Whether the target holds nothing but what every new database starts with: the 十四五 plan its migration
    (0017) writes. Such a target is empty for a copy."""
    if not held or set(held) - {"plans", "indicators"}:
        return False
    plans = conn.execute(select(Plan.id, Plan.name)).all()
    if [name for _id, name in plans] != ["十四五"]:
        return False
    others = conn.execute(select(func.count()).select_from(Indicator).where(Indicator.plan_id != plans[0][0])).scalar()
    return not others


def copy_database(
    source: Database,
    target: Database,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[TableCheck]:
    """Copy every row of ``source`` into the empty ``target`` (both at the same schema), then verify it."""
    from db.engine import current_revision

    if current_revision(source.engine) != current_revision(target.engine):
        raise CopyError("源数据库与目标数据库的结构版本不同，请先用本软件分别打开一次（会自动升级）后再复制。")
    with target.engine.connect() as conn:
        held = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in _tables()}
        held = {name: n for name, n in held.items() if n}
        shipped = _shipped_only(conn, held)
    if held and not shipped:
        listed = "、".join(f"{LABELS.get(name, name)} {n:,} 条" for name, n in held.items())
        raise CopyError(f"目标数据库不是空的（已有{listed}），为免混淆两份数据，未作任何写入。")
    with source.engine.connect() as conn:
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in _tables()}
    total, done = sum(counts.values()), 0
    with source.engine.connect() as read, target.engine.begin() as write:
        if shipped:  # what the target's own creation put there gives way to the source's
            write.execute(delete(Indicator))
            write.execute(delete(Plan))
        for table in _tables():
            # as stored: a sealed number travels sealed, with the slots that open it (the users table)
            rows = read.execute(select(*as_stored(table)).order_by(*table.primary_key.columns)).mappings()
            for batch in rows.partitions(BATCH):
                write.execute(table.insert(), [dict(row) for row in batch])
                done += len(batch)
                if progress:
                    progress(done, total)
                if cancelled and cancelled():
                    raise Cancelled  # the target's transaction rolls back: it stays empty
        sync_id_sequences(write)
    return verify_copy(source, target)
