"""Implementation tracking and carry-over (placeholder)

Revision ID: 9d2a4f6b8c31
Revises: 8c1f3e5a7b20
Create Date: 2026-11-21 03:30:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '9d2a4f6b8c31'
down_revision = '8c1f3e5a7b20'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
