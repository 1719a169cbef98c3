"""personal data (PDPA): privacy notices, consent on proposals, the privacy action record,
periodic runs; log records deletable only up to a recorded retention horizon

privacy_action is append-only like the decision record (triggers below). login_event and
access_denial stay append-only, except that a row older than the latest ``purged_before``
recorded for its table in privacy_action may be deleted: the retention run first records
the horizon (who, when, how far), then deletes up to it, and nothing else can.

Revision ID: b7d1e3f5a9c2
Revises: ae3b5c7d9e42
Create Date: 2026-12-03 08:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7d1e3f5a9c2'
down_revision = 'f4a6c8e0b2d1'
branch_labels = None
depends_on = None

APPEND_ONLY_TABLES = ('privacy_notice', 'privacy_action')
PURGEABLE_TABLES = ('login_event', 'access_denial')


def upgrade():
    op.create_table('privacy_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('controller_th', sa.String(length=255), nullable=False),
    sa.Column('controller_en', sa.String(length=255), nullable=True),
    sa.Column('contact', sa.Text(), nullable=False),
    *[
        sa.Column(f'{section}_{lang}', sa.Text(), nullable=(lang == 'en'))
        for section in ('data', 'purposes', 'recipients', 'retention', 'requests')
        for lang in ('th', 'en')
    ],
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('version > 0', name=op.f('ck_privacy_notice_version_positive')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_privacy_notice_organization_id_organization')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_privacy_notice_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_notice')),
    sa.UniqueConstraint('organization_id', 'version', name=op.f('uq_privacy_notice_organization_id_version')),
    )
    with op.batch_alter_table('privacy_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_notice_organization_id'), ['organization_id'], unique=False)

    op.create_table('privacy_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('reference', sa.String(length=255), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('purged_table', sa.String(length=32), nullable=True),
    sa.Column('purged_before', sa.DateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('export', 'correct', 'erase', 'retention')", name=op.f('ck_privacy_action_kind_known')),
    sa.CheckConstraint('(purged_table IS NULL) = (purged_before IS NULL)', name=op.f('ck_privacy_action_purge_complete')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_privacy_action_organization_id_organization')),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_privacy_action_actor_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_action')),
    )
    with op.batch_alter_table('privacy_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_action_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_action_created_at'), ['created_at'], unique=False)

    op.create_table('periodic_run',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('last_started_at', sa.DateTime(), nullable=True),
    sa.Column('last_finished_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_periodic_run')),
    )

    # Plain ADD COLUMN (no table rebuild): the proposal table keeps everything else as is.
    op.add_column('proposal', sa.Column('notify_opt_in', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('proposal', sa.Column('privacy_notice_version', sa.Integer(), nullable=True))
    op.add_column('proposal', sa.Column('consented_at', sa.DateTime(), nullable=True))

    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        for table in APPEND_ONLY_TABLES:
            op.execute(
                f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON "{table}" '
                'FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()'
            )
            op.execute(
                f'CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON "{table}" '
                'FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change()'
            )
        op.execute(
            """
            CREATE FUNCTION refuse_change_unless_purged() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND OLD.created_at < (
                    SELECT max(purged_before) FROM privacy_action
                    WHERE purged_table = TG_TABLE_NAME
                ) THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '% records are append-only: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END;
            $$
            """
        )
        for table in PURGEABLE_TABLES:
            op.execute(f'DROP TRIGGER {table}_append_only ON "{table}"')
            op.execute(
                f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON "{table}" '
                'FOR EACH ROW EXECUTE FUNCTION refuse_change_unless_purged()'
            )
    elif dialect == 'sqlite':
        for table in APPEND_ONLY_TABLES:
            for action in ('UPDATE', 'DELETE'):
                op.execute(
                    f'CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON "{table}" '
                    f"BEGIN SELECT RAISE(ABORT, '{table} records are append-only'); END"
                )
        for table in PURGEABLE_TABLES:
            op.execute(f'DROP TRIGGER {table}_no_delete')
            op.execute(
                f'CREATE TRIGGER {table}_no_delete BEFORE DELETE ON "{table}" '
                f"WHEN OLD.created_at >= coalesce((SELECT max(purged_before) FROM privacy_action "
                f"WHERE purged_table = '{table}'), '') "
                f"BEGIN SELECT RAISE(ABORT, '{table} records are append-only'); END"
            )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        for table in PURGEABLE_TABLES:
            op.execute(f'DROP TRIGGER {table}_append_only ON "{table}"')
            op.execute(
                f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON "{table}" '
                'FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()'
            )
        op.execute('DROP FUNCTION refuse_change_unless_purged()')
        for table in APPEND_ONLY_TABLES:
            op.execute(f'DROP TRIGGER IF EXISTS {table}_append_only ON "{table}"')
            op.execute(f'DROP TRIGGER IF EXISTS {table}_no_truncate ON "{table}"')
    elif dialect == 'sqlite':
        for table in PURGEABLE_TABLES:
            op.execute(f'DROP TRIGGER {table}_no_delete')
            op.execute(
                f'CREATE TRIGGER {table}_no_delete BEFORE DELETE ON "{table}" '
                f"BEGIN SELECT RAISE(ABORT, '{table} records are append-only'); END"
            )
        for table in APPEND_ONLY_TABLES:
            for action in ('update', 'delete'):
                op.execute(f'DROP TRIGGER IF EXISTS {table}_no_{action}')

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_column('consented_at')
        batch_op.drop_column('privacy_notice_version')
        batch_op.drop_column('notify_opt_in')
    op.drop_table('periodic_run')
    with op.batch_alter_table('privacy_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_action_created_at'))
        batch_op.drop_index(batch_op.f('ix_privacy_action_organization_id'))
    op.drop_table('privacy_action')
    with op.batch_alter_table('privacy_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_notice_organization_id'))
    op.drop_table('privacy_notice')
