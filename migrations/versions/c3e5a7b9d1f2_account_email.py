"""an optional e-mail address on accounts (to e-mail one-time links when SMTP is configured)

A plain ADD/DROP COLUMN, no batch copy of user_account (it has no triggers; a plain ALTER keeps
the table as it is on both SQLite and PostgreSQL).

Revision ID: c3e5a7b9d1f2
Revises: b7d41c2e9a63
Create Date: 2026-12-03 17:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c3e5a7b9d1f2'
down_revision = 'b7d41c2e9a63'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('user_account', sa.Column('email', sa.String(length=254), nullable=True))


def downgrade():
    op.execute('ALTER TABLE user_account DROP COLUMN email')
