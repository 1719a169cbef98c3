"""accounts, roles, organizations, villages: going live from an empty database

- user_account.is_system_admin (the province administrator)
- organization: DLA code, municipality class, council step, active
- village.retired_at; numbers unique among villages in use (partial unique index)
- membership: executive, plan-support and monitoring committee roles; starts_on / ends_on
- account_link: one-time invitation and reset links (hashed tokens)
- admin_change: the append-only record of administrative changes (with triggers)

Revision ID: b7d1e3f5a902
Revises: ae3b5c7d9e42
Create Date: 2026-12-03 08:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7d1e3f5a902'
down_revision = 'b4e8d2f6a1c3'
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('admin', 'plan_officer', 'village_committee', 'dev_committee', 'council')"
NEW_ROLES = (
    "role IN ('admin', 'executive', 'plan_officer', 'village_committee', 'dev_committee', "
    "'support_committee', 'council', 'monitoring_committee')"
)


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_system_admin', sa.Boolean(), nullable=False,
                                      server_default=sa.text('false')))

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dla_code', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('municipality_class', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('council_step', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False,
                                      server_default=sa.text('true')))
        batch_op.create_unique_constraint(batch_op.f('uq_organization_dla_code'), ['dla_code'])
        batch_op.create_check_constraint(
            'municipality_classed', "municipality_class IS NULL OR kind = 'municipality'")
        batch_op.create_check_constraint(
            'municipality_class_known',
            "municipality_class IS NULL OR municipality_class IN ('city', 'town', 'subdistrict')")
    op.execute("UPDATE organization SET municipality_class = 'town' WHERE slug = 'khelang-nakhon'")

    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(), nullable=True))
        batch_op.drop_constraint('uq_village_organization_id_number', type_='unique')
    op.create_index('uq_village_number_in_use', 'village', ['organization_id', 'number'],
                    unique=True, sqlite_where=sa.text('retired_at IS NULL'),
                    postgresql_where=sa.text('retired_at IS NULL'))

    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))
        batch_op.drop_constraint('uq_membership_user_id_organization_id_role_village_id',
                                 type_='unique')
        batch_op.create_unique_constraint(
            'uq_membership_user_id_organization_id_role_village_id_starts_on',
            ['user_id', 'organization_id', 'role', 'village_id', 'starts_on'])
        batch_op.drop_constraint(batch_op.f('ck_membership_role_known'), type_='check')
        batch_op.create_check_constraint('role_known', NEW_ROLES)
        batch_op.create_check_constraint(
            'dates_ordered', 'starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on')

    op.create_table('account_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=12), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("purpose IN ('invitation', 'reset')", name=op.f('ck_account_link_purpose_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_account_link_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_account_link_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_link_token_hash'))
    )
    op.create_index(op.f('ix_account_link_user_id'), 'account_link', ['user_id'], unique=False)

    op.create_table('admin_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_admin_change_actor_id_user_account')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_admin_change_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_change'))
    )
    op.create_index(op.f('ix_admin_change_actor_id'), 'admin_change', ['actor_id'], unique=False)
    op.create_index(op.f('ix_admin_change_created_at'), 'admin_change', ['created_at'], unique=False)
    op.create_index(op.f('ix_admin_change_organization_id'), 'admin_change', ['organization_id'], unique=False)

    # Append-only, as the other audit tables (see 5e1a7c3b9d20; the PostgreSQL function exists).
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.execute('CREATE TRIGGER admin_change_append_only BEFORE UPDATE OR DELETE ON "admin_change" '
                   'FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()')
        op.execute('CREATE TRIGGER admin_change_no_truncate BEFORE TRUNCATE ON "admin_change" '
                   'FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change()')
    elif dialect == 'sqlite':
        for action in ('UPDATE', 'DELETE'):
            op.execute(
                f'CREATE TRIGGER admin_change_no_{action.lower()} BEFORE {action} ON "admin_change" '
                "BEGIN SELECT RAISE(ABORT, 'admin_change records are append-only'); END"
            )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS admin_change_append_only ON "admin_change"')
        op.execute('DROP TRIGGER IF EXISTS admin_change_no_truncate ON "admin_change"')
    elif dialect == 'sqlite':
        for action in ('update', 'delete'):
            op.execute(f'DROP TRIGGER IF EXISTS admin_change_no_{action}')
    op.drop_table('admin_change')
    op.drop_table('account_link')

    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_membership_dates_ordered'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_membership_role_known'), type_='check')
        batch_op.create_check_constraint('role_known', OLD_ROLES)
        batch_op.drop_constraint('uq_membership_user_id_organization_id_role_village_id_starts_on',
                                 type_='unique')
        batch_op.create_unique_constraint(
            'uq_membership_user_id_organization_id_role_village_id',
            ['user_id', 'organization_id', 'role', 'village_id'])
        batch_op.drop_column('ends_on')
        batch_op.drop_column('starts_on')

    op.drop_index('uq_village_number_in_use', table_name='village')
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_village_organization_id_number',
                                          ['organization_id', 'number'])
        batch_op.drop_column('retired_at')

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_organization_municipality_class_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_organization_municipality_classed'), type_='check')
        batch_op.drop_constraint('uq_organization_dla_code', type_='unique')
        batch_op.drop_column('active')
        batch_op.drop_column('council_step')
        batch_op.drop_column('municipality_class')
        batch_op.drop_column('dla_code')

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('is_system_admin')
