"""A deleted training, loan or special fund is kept in the change history with its values.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 12:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_changes_action"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_changes_action"), "action IN ('insert', 'update', 'delete', 'strike', 'unmask')"
        )


def downgrade() -> None:
    # The older schema has no deletions: each is kept as an update to nothing, its old values still there.
    op.execute("UPDATE changes SET action = 'update', new_values = NULL WHERE action = 'delete'")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_changes_action"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_changes_action"), "action IN ('insert', 'update', 'strike', 'unmask')"
        )
