"""Accounts for the optional sign-in, and unmasking kept in the change history.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'editor', 'viewer')", name=op.f("ck_users_role")),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_users_name_not_blank")),
        sa.CheckConstraint("failed_attempts >= 0", name=op.f("ck_users_failed_attempts_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_changes_action"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_changes_action"), "action IN ('insert', 'update', 'strike', 'unmask')"
        )


def downgrade() -> None:
    op.execute("DELETE FROM changes WHERE action = 'unmask'")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_changes_action"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_changes_action"), "action IN ('insert', 'update', 'strike')")
    op.drop_table("users")
