"""The quarterly report's letterhead in the county profile: the bureau's 机关代字 for its 发文字号 (清卫健 in
清卫健〔2026〕15号) and the office the report is addressed to (主送机关). Both may be empty: the report then
leaves the number to be written in and addresses the county's government.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("county_profile") as batch:
        batch.add_column(sa.Column("doc_prefix", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("report_addressee", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("county_profile") as batch:
        batch.drop_column("report_addressee")
        batch.drop_column("doc_prefix")
