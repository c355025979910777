"""A version number on every record clerks edit in forms (optimistic locking for several clerks at once).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("facilities", "staff", "projects", "key_tasks", "division_populations")


def upgrade() -> None:
    # A plain ADD COLUMN, which SQLite does in place: batch mode would rebuild each table (a city's staff)
    # from its reflection just to append one column.
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
