"""A division that the official list no longer has, or that was merged into another (撤乡并镇), is kept with the
date it was withdrawn: facilities, tasks, populations and past reports still point to it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-09 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("divisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("divisions", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_on")
