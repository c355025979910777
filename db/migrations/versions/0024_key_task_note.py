"""key task note: 备注, what a bureau's task ledger notes beside each task (an import dropped the column)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 10:15:03.990897
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("key_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("key_tasks", schema=None) as batch_op:
        batch_op.drop_column("note")
