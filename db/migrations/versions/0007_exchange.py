"""Exchange files: this database's signing key, the senders it knows, the files it received (and their
approval); each key task's area, so that a city's tasks stay with the county that sent them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("private_key", sa.LargeBinary(length=32), nullable=False),
        sa.Column("public_key", sa.LargeBinary(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_exchange_identity_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_identity")),
    )
    op.create_table(
        "exchange_senders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("public_key", sa.LargeBinary(length=32), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("registered_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_senders")),
        sa.UniqueConstraint("division_code", name=op.f("uq_exchange_senders_division_code")),
    )
    op.create_table(
        "exchange_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("sender_name", sa.String(length=60), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("file_name", sa.String(length=400), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=False),
        sa.Column("exported_by", sa.String(length=40), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("received_by", sa.String(length=40), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=12), server_default="received", nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('received', 'approved', 'superseded', 'reopened')", name=op.f("ck_exchange_receipts_status")
        ),
        sa.CheckConstraint("length(file_sha256) = 64", name=op.f("ck_exchange_receipts_sha256_length")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_receipts")),
    )
    op.create_index("ix_exchange_receipts_sender_period", "exchange_receipts", ["division_code", "period"])
    with op.batch_alter_table("key_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("division_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_key_tasks_division_id"), ["division_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_key_tasks_division_id_divisions"), "divisions", ["division_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("key_tasks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_key_tasks_division_id_divisions"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_key_tasks_division_id"))
        batch_op.drop_column("division_id")
    op.drop_index("ix_exchange_receipts_sender_period", table_name="exchange_receipts")
    op.drop_table("exchange_receipts")
    op.drop_table("exchange_senders")
    op.drop_table("exchange_identity")
