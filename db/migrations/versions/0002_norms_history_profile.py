"""Norms as dated versions, the change history and the county profile.

Also adds the TCM-service flag of facilities and the rule that TCM beds are part
of the open beds: a batch migration on SQLite, which rebuilds the facilities table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=40), nullable=False),
    sa.Column('table_name', sa.String(length=60), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('old_values', sa.JSON(), nullable=True),
    sa.Column('new_values', sa.JSON(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.CheckConstraint("action <> 'strike' OR length(trim(coalesce(reason, ''))) > 0", name=op.f('ck_changes_strike_needs_reason')),
    sa.CheckConstraint("action IN ('insert', 'update', 'strike')", name=op.f('ck_changes_action')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_changes'))
    )
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_changes_at'), ['at'], unique=False)
        batch_op.create_index('ix_changes_record', ['table_name', 'row_id'], unique=False)

    op.create_table('norm_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.CheckConstraint('length(trim(name)) > 0', name=op.f('ck_norm_rules_name_not_blank')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_norm_rules')),
    sa.UniqueConstraint('key', name=op.f('uq_norm_rules_key'))
    )
    op.create_table('county_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=True),
    sa.Column('bureau_name', sa.String(length=100), nullable=False),
    sa.Column('head_of_unit', sa.String(length=40), nullable=True),
    sa.Column('preparer', sa.String(length=40), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.CheckConstraint('id = 1', name=op.f('ck_county_profile_single_row')),
    sa.ForeignKeyConstraint(['division_id'], ['divisions.id'], name=op.f('fk_county_profile_division_id_divisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_county_profile'))
    )
    op.create_table('norm_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('enabled', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('applies_to', sa.JSON(), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('source_title', sa.String(length=200), nullable=False),
    sa.Column('source_issuer', sa.String(length=100), nullable=True),
    sa.Column('source_number', sa.String(length=60), nullable=True),
    sa.Column('source_item', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.CheckConstraint("severity IN ('high', 'medium', 'low')", name=op.f('ck_norm_versions_severity')),
    sa.CheckConstraint('length(trim(source_title)) > 0', name=op.f('ck_norm_versions_source_not_blank')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_norm_versions_version_positive')),
    sa.ForeignKeyConstraint(['rule_id'], ['norm_rules.id'], name=op.f('fk_norm_versions_rule_id_norm_rules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_norm_versions')),
    sa.UniqueConstraint('rule_id', 'effective_from', name=op.f('uq_norm_versions_rule_id_effective_from')),
    sa.UniqueConstraint('rule_id', 'version', name=op.f('uq_norm_versions_rule_id_version'))
    )
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provides_tcm", sa.Boolean(), server_default="0", nullable=False))
        batch_op.create_check_constraint("tcm_beds_in_open_beds", "tcm_beds >= 0 AND tcm_beds <= open_beds")


def downgrade() -> None:
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.drop_constraint("tcm_beds_in_open_beds", type_="check")
        batch_op.drop_column("provides_tcm")
    op.drop_table("norm_versions")
    op.drop_table("county_profile")
    op.drop_table("norm_rules")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index("ix_changes_record")
        batch_op.drop_index(batch_op.f("ix_changes_at"))
    op.drop_table("changes")
