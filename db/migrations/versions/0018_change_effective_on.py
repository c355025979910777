"""A change's effective date: the day from which it holds, which a past period's figures respect.

A facility's beds or status changed today leave 2026Q3's sheets and report as they were: a period is read as of
its last day, undoing the changes that hold from after it. A change holds from the day it was recorded unless
the clerk said another (``effective_on``); those recorded before this revision hold from their day.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 17:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("effective_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_column("effective_on")
