"""append-only triggers on frozen plan versions and their stored annex PDFs

A frozen plan version, its project snapshots and its stored annex PDFs are written once and
never changed: the ORM refuses already (forum/plans/models.py); these triggers make the
database refuse too, whatever client connects, as 5e1a7c3b9d20 does for the decision record.
PostgreSQL reuses that migration's refuse_append_only_change() function.

Revision ID: b7d3e9f1a2c4
Revises: ae3b5c7d9e42
Create Date: 2026-12-03 08:10:00

"""
from alembic import op


revision = 'b7d3e9f1a2c4'
down_revision = 'b7c1e9f3a2d4'
branch_labels = None
depends_on = None

FROZEN_TABLES = ('plan_version', 'plan_version_project', 'plan_document')


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        for table in FROZEN_TABLES:
            op.execute(
                f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON "{table}" '
                'FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()'
            )
            op.execute(
                f'CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON "{table}" '
                'FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change()'
            )
    elif dialect == 'sqlite':
        for table in FROZEN_TABLES:
            for action in ('UPDATE', 'DELETE'):
                op.execute(
                    f'CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON "{table}" '
                    f"BEGIN SELECT RAISE(ABORT, '{table} records are append-only'); END"
                )


def downgrade():
    dialect = op.get_bind().dialect.name
    for table in FROZEN_TABLES:
        if dialect == 'postgresql':
            op.execute(f'DROP TRIGGER IF EXISTS {table}_append_only ON "{table}"')
            op.execute(f'DROP TRIGGER IF EXISTS {table}_no_truncate ON "{table}"')
        elif dialect == 'sqlite':
            for action in ('update', 'delete'):
                op.execute(f'DROP TRIGGER IF EXISTS {table}_no_{action}')
