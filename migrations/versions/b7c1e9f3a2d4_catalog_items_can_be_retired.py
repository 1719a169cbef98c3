"""Catalog items can be retired (never deleted: proposals and plan versions cite them).

Revision ID: b7c1e9f3a2d4
Revises: ae3b5c7d9e42
Create Date: 2026-12-03 08:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'b7c1e9f3a2d4'
down_revision = 'ae3b5c7d9e42'
branch_labels = None
depends_on = None

TABLES = ("mission", "strategy", "goal", "kpi", "tactic")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("retired_at", sa.DateTime(), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("retired_at")
