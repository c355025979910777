"""Each default norm holds from its document's date, not from 2000.

A first version still dated 2000-01-01 (as the defaults loaded it) moves to the date of the document it cites,
unless the bureau has a version of the rule starting on or before that date (moving the first past it would put
the first after the bureau's own). The dates are those of resources/norms/default_rules.json's document_dates.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 15:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

OLD = "2000-01-01"
DATES = {  # kept here as they were when this migration was written: a later edit of the JSON must not move them
    "章贡区加强基层卫生健康服务能力建设实施方案": "2020-12-30",
    "安康市“十四五”卫生健康事业发展规划": "2021-11-15",
    "嵊州市深化基层卫生健康综合改革方案": "2022-11-23",
    "蒙自市深化医药卫生体制改革2021年重点工作任务清单": "2021-12-20",
}


def upgrade() -> None:
    conn = op.get_bind()
    for title, day in DATES.items():
        conn.execute(
            sa.text(
                "UPDATE norm_versions SET effective_from = :day WHERE version = 1 AND effective_from = :old "
                "AND source_title = :title AND NOT EXISTS (SELECT 1 FROM norm_versions other "
                "WHERE other.rule_id = norm_versions.rule_id AND other.id != norm_versions.id "
                "AND other.effective_from <= :day)"
            ),
            {"day": day, "old": OLD, "title": title},
        )


def downgrade() -> None:
    conn = op.get_bind()
    for title, day in DATES.items():
        conn.execute(
            sa.text(
                "UPDATE norm_versions SET effective_from = :old WHERE version = 1 AND effective_from = :day "
                "AND source_title = :title"
            ),
            {"day": day, "old": OLD, "title": title},
        )
