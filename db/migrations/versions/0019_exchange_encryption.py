"""Exchange files encrypted to their receiver: this database's X25519 pair, and the receivers it writes to.

A file leaving the office carries whole ID and phone numbers; from this revision it is encrypted to the
public key of the database that will receive it, registered from that database's key file after its
fingerprint was read back over the phone. An identity made before has no X25519 pair yet: it is made when
first needed.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_identity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("box_private_key", sa.LargeBinary(length=32), nullable=True))
        batch_op.add_column(sa.Column("box_public_key", sa.LargeBinary(length=32), nullable=True))
    op.create_table(
        "exchange_receivers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("public_key", sa.LargeBinary(length=32), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("registered_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_receivers")),
        sa.UniqueConstraint("division_code", name=op.f("uq_exchange_receivers_division_code")),
    )


def downgrade() -> None:
    op.drop_table("exchange_receivers")
    with op.batch_alter_table("exchange_identity", schema=None) as batch_op:
        batch_op.drop_column("box_public_key")
        batch_op.drop_column("box_private_key")
