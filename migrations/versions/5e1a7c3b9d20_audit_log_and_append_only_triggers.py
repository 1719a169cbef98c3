"""audit log (log-in events, permission denials) and append-only triggers

The decision record, log-in events and permission denials can be added to, never changed or
deleted. The ORM refuses already; these triggers make the database refuse too, whatever client
connects. PostgreSQL: a row trigger on UPDATE/DELETE and a statement trigger on TRUNCATE.
SQLite: BEFORE UPDATE/DELETE triggers that RAISE(ABORT).

A later migration that rebuilds one of these tables on SQLite (batch mode copies the table)
must recreate its triggers; tests/test_audit.py checks they exist at the head revision.

Revision ID: 5e1a7c3b9d20
Revises: 03dde4749578
Create Date: 2026-11-21 01:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5e1a7c3b9d20'
down_revision = '03dde4749578'
branch_labels = None
depends_on = None

APPEND_ONLY_TABLES = ('decision', 'login_event', 'access_denial')


def upgrade():
    op.create_table('login_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=45), nullable=True),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.CheckConstraint("outcome IN ('success', 'failure', 'throttled')", name=op.f('ck_login_event_outcome_known')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_login_event_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_event'))
    )
    with op.batch_alter_table('login_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_event_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_event_user_id'), ['user_id'], unique=False)

    op.create_table('access_denial',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('endpoint', sa.String(length=128), nullable=True),
    sa.Column('path', sa.String(length=512), nullable=False),
    sa.Column('address', sa.String(length=45), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_access_denial_organization_id_organization')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_access_denial_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_denial'))
    )
    with op.batch_alter_table('access_denial', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_denial_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_denial_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_denial_user_id'), ['user_id'], unique=False)

    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.execute(
            """
            CREATE FUNCTION refuse_append_only_change() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% records are append-only: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END;
            $$
            """
        )
        for table in APPEND_ONLY_TABLES:
            op.execute(
                f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON "{table}" '
                'FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()'
            )
            op.execute(
                f'CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON "{table}" '
                'FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change()'
            )
    elif dialect == 'sqlite':
        for table in APPEND_ONLY_TABLES:
            for action in ('UPDATE', 'DELETE'):
                op.execute(
                    f'CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON "{table}" '
                    f"BEGIN SELECT RAISE(ABORT, '{table} records are append-only'); END"
                )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        for table in APPEND_ONLY_TABLES:
            op.execute(f'DROP TRIGGER IF EXISTS {table}_append_only ON "{table}"')
            op.execute(f'DROP TRIGGER IF EXISTS {table}_no_truncate ON "{table}"')
        op.execute('DROP FUNCTION IF EXISTS refuse_append_only_change()')
    elif dialect == 'sqlite':
        for table in APPEND_ONLY_TABLES:
            for action in ('update', 'delete'):
                op.execute(f'DROP TRIGGER IF EXISTS {table}_no_{action}')

    with op.batch_alter_table('access_denial', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_denial_user_id'))
        batch_op.drop_index(batch_op.f('ix_access_denial_organization_id'))
        batch_op.drop_index(batch_op.f('ix_access_denial_created_at'))
    op.drop_table('access_denial')
    with op.batch_alter_table('login_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_event_user_id'))
        batch_op.drop_index(batch_op.f('ix_login_event_created_at'))
    op.drop_table('login_event')
