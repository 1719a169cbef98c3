"""Plan amendments (placeholder, filled by the amendments work)

Revision ID: 8c1f3e5a7b20
Revises: 7b4e2d9a1c35
Create Date: 2026-11-21 03:30:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '8c1f3e5a7b20'
down_revision = '7b4e2d9a1c35'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
