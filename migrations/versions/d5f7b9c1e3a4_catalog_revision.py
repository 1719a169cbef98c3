"""a revision number on each organization's strategy catalog, raised by every change to it (the
tactic suggester's caches in every process compare it; forum/catalog/revision.py)

A plain ADD COLUMN with a server default: organization has no triggers, so SQLite keeps the
table as it is.

Revision ID: d5f7b9c1e3a4
Revises: c3e5a7b9d1f2
Create Date: 2026-12-07 22:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd5f7b9c1e3a4'
down_revision = 'c3e5a7b9d1f2'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('organization', sa.Column(
        'catalog_revision', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    op.execute('ALTER TABLE organization DROP COLUMN catalog_revision')
