"""People's numbers sealed at rest with sign-in on: a lookup key for ID numbers, room for sealed values, a slot of
the data key per account, and the vault's state.

The ID number's uniqueness moves to ``staff.id_key`` (the number itself while sign-in is off, its keyed hash while
it is on), since a sealed value differs at every write. Nothing is sealed here: a database with accounts is
sealed when an administrator next signs in (desktop.accounts), which this revision cannot do without a password.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id_key", sa.String(length=80), nullable=True))
    op.execute("UPDATE staff SET id_key = id_number")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.alter_column("id_key", existing_type=sa.String(length=80), nullable=False)
        batch_op.drop_constraint(op.f("uq_staff_id_number"), type_="unique")
        batch_op.drop_constraint(op.f("ck_staff_id_number_length"), type_="check")
        batch_op.create_unique_constraint(batch_op.f("uq_staff_id_key"), ["id_key"])
        batch_op.alter_column("id_number", existing_type=sa.String(length=18), type_=sa.String(length=80))
        batch_op.alter_column("phone", existing_type=sa.String(length=20), type_=sa.String(length=80))
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.alter_column("phone", existing_type=sa.String(length=20), type_=sa.String(length=80))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wrapped_key", sa.LargeBinary(length=64), nullable=True))
    op.create_table(
        "vault",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sealed_at", sa.DateTime(), nullable=False),
        sa.Column("check_value", sa.LargeBinary(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_vault_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vault")),
    )


def downgrade() -> None:
    op.drop_table("vault")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("wrapped_key")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.alter_column("phone", existing_type=sa.String(length=80), type_=sa.String(length=20))
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.alter_column("phone", existing_type=sa.String(length=80), type_=sa.String(length=20))
        batch_op.alter_column("id_number", existing_type=sa.String(length=80), type_=sa.String(length=18))
        batch_op.drop_constraint(op.f("uq_staff_id_key"), type_="unique")
        batch_op.create_check_constraint("id_number_length", "length(id_number) = 18")
        batch_op.create_unique_constraint(op.f("uq_staff_id_number"), ["id_number"])
        batch_op.drop_column("id_key")
