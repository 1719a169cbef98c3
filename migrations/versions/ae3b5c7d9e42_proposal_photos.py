"""Proposal photos (placeholder)

Revision ID: ae3b5c7d9e42
Revises: 9d2a4f6b8c31
Create Date: 2026-11-21 03:30:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'ae3b5c7d9e42'
down_revision = '9d2a4f6b8c31'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
