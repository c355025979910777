"""The statistical-form block of each submission sheet (表号, 制定机关, 批准文号, 有效期至), where the bureau has
been given one: a sheet without a row carries none, as before.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 10:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.String(length=20), nullable=False),
        sa.Column("form_number", sa.String(length=40), nullable=True),
        sa.Column("issued_by", sa.String(length=100), nullable=True),
        sa.Column("approval_number", sa.String(length=100), nullable=True),
        sa.Column("valid_until", sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_blocks")),
        sa.UniqueConstraint("sheet", name=op.f("uq_form_blocks_sheet")),
    )


def downgrade() -> None:
    op.drop_table("form_blocks")
