"""key task responsible person: 责任人, the person who answers for a task (real ledgers carry it beside 牵头单位)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 06:52:51.354685
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("key_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("responsible_person", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("key_tasks", schema=None) as batch_op:
        batch_op.drop_column("responsible_person")
