"""A loan's written request (书面商借): seed 002 item 7 lends an 在编 person only on one.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_loans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approval", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_loans", schema=None) as batch_op:
        batch_op.drop_column("approval")
