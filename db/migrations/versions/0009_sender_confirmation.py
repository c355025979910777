"""A sender's first signing key is confirmed by an administrator, after reading its fingerprint back over the
phone, before any of its files can be approved: who confirmed it, and when. A sender whose file was already
approved under the earlier rule was accepted by that approval, and counts as confirmed.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_senders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_by", sa.String(length=40), nullable=True))
    op.execute(
        "UPDATE exchange_senders SET confirmed_at = first_seen, confirmed_by = registered_by "
        "WHERE division_code IN (SELECT division_code FROM exchange_receipts WHERE status IN ('approved', 'reopened'))"
    )


def downgrade() -> None:
    with op.batch_alter_table("exchange_senders", schema=None) as batch_op:
        batch_op.drop_column("confirmed_by")
        batch_op.drop_column("confirmed_at")
