"""Community health service stations need a TCM physician too.

Seed 003, box 5, item 2 reads "每个社区卫生服务机构、乡镇卫生院至少配备1名中医师": a 社区卫生服务站 is a
community health service institution as much as a centre is. The default rule was read as centres only. A
version still applying to exactly the kinds the default gave is corrected in place (the rule was misread, not
changed by the bureau); a version the bureau edited is its own and is left as it is.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Connection

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

MISREAD = ["central_thc", "thc", "chsc"]
READ = ["central_thc", "thc", "chsc", "chs_station"]


OLD_NAME, NEW_NAME = "乡镇卫生院和社区卫生服务中心配备中医类别医师", "乡镇卫生院和社区卫生服务机构配备中医类别医师"


def _kinds(conn: Connection, old: list[str], new: list[str], old_name: str, new_name: str) -> None:
    rows = conn.execute(
        sa.text(
            "SELECT v.id, v.applies_to FROM norm_versions v JOIN norm_rules r ON r.id = v.rule_id "
            "WHERE r.key = 'tcm_physician_present'"
        )
    ).all()
    for version_id, applies_to in rows:
        kinds = json.loads(applies_to) if isinstance(applies_to, str) else applies_to
        if kinds == old:
            conn.execute(
                sa.text("UPDATE norm_versions SET applies_to = :kinds WHERE id = :id"),
                {"kinds": json.dumps(new), "id": version_id},
            )
    conn.execute(
        sa.text("UPDATE norm_rules SET name = :new WHERE key = 'tcm_physician_present' AND name = :old"),
        {"new": new_name, "old": old_name},
    )


def upgrade() -> None:
    _kinds(op.get_bind(), MISREAD, READ, OLD_NAME, NEW_NAME)


def downgrade() -> None:
    _kinds(op.get_bind(), READ, MISREAD, NEW_NAME, OLD_NAME)
