"""Yearly special funds of THCs and CHSCs for buildings and equipment.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "special_funds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_special_funds_amount_not_negative")),
        sa.CheckConstraint("year BETWEEN 1949 AND 2100", name=op.f("ck_special_funds_year_range")),
        sa.ForeignKeyConstraint(["facility_id"], ["facilities.id"], name=op.f("fk_special_funds_facility_id_facilities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_special_funds")),
        sa.UniqueConstraint("facility_id", "year", name=op.f("uq_special_funds_facility_id_year")),
    )
    with op.batch_alter_table("special_funds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_special_funds_facility_id"), ["facility_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("special_funds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_special_funds_facility_id"))
    op.drop_table("special_funds")
