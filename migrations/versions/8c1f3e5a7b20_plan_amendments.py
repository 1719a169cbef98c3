"""Plan amendments: amendment and amendment_item; decisions about an amendment

The decision record gains a second subject (amendment_id, exactly one of proposal_id and
amendment_id is set) and via_amendment_id for a proposal's decision made by an approved amendment.
On SQLite the decision table is rebuilt by batch mode, so its append-only triggers are recreated.

Revision ID: 8c1f3e5a7b20
Revises: 7b4e2d9a1c35
Create Date: 2026-11-21 03:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c1f3e5a7b20'
down_revision = '7b4e2d9a1c35'
branch_labels = None
depends_on = None


def _sqlite_decision_triggers(create: bool):
    for action in ('update', 'delete'):
        if create:
            op.execute(
                f'CREATE TRIGGER decision_no_{action} BEFORE {action.upper()} ON "decision" '
                "BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END"
            )
        else:
            op.execute(f'DROP TRIGGER IF EXISTS decision_no_{action}')


def upgrade():
    op.create_table(
        'amendment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('plan_period_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=24), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('base_version_id', sa.Integer(), nullable=False),
        sa.Column('result_version_id', sa.Integer(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('addition', 'change', 'correction')", name=op.f('ck_amendment_kind_known')),
        sa.CheckConstraint(
            "status IN ('draft', 'forum_considered', 'committee_approved', 'council_approved',"
            " 'approved', 'rejected')",
            name=op.f('ck_amendment_status_known'),
        ),
        sa.CheckConstraint('number > 0', name=op.f('ck_amendment_number_positive')),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_amendment_organization_id_organization')),
        sa.ForeignKeyConstraint(['plan_period_id'], ['plan_period.id'], name=op.f('fk_amendment_plan_period_id_plan_period')),
        sa.ForeignKeyConstraint(['base_version_id'], ['plan_version.id'], name=op.f('fk_amendment_base_version_id_plan_version')),
        sa.ForeignKeyConstraint(['result_version_id'], ['plan_version.id'], name=op.f('fk_amendment_result_version_id_plan_version')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_amendment_created_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment')),
        sa.UniqueConstraint('organization_id', 'kind', 'year', 'number', name=op.f('uq_amendment_organization_id_kind_year_number')),
    )
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendment_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_amendment_plan_period_id'), ['plan_period_id'], unique=False)

    op.create_table(
        'amendment_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('amendment_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=8), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('new_values', sa.JSON(), nullable=False),
        sa.Column('old_values', sa.JSON(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("action IN ('add', 'change', 'remove')", name=op.f('ck_amendment_item_action_known')),
        sa.CheckConstraint('length(reason) > 0', name=op.f('ck_amendment_item_reason_given')),
        sa.ForeignKeyConstraint(['amendment_id'], ['amendment.id'], name=op.f('fk_amendment_item_amendment_id_amendment')),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_amendment_item_proposal_id_proposal')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment_item')),
    )
    with op.batch_alter_table('amendment_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendment_item_amendment_id'), ['amendment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_amendment_item_proposal_id'), ['proposal_id'], unique=False)

    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        _sqlite_decision_triggers(create=False)
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amendment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('via_amendment_id', sa.Integer(), nullable=True))
        batch_op.alter_column('proposal_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_decision_amendment_id_amendment'), 'amendment', ['amendment_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_decision_via_amendment_id_amendment'), 'amendment', ['via_amendment_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_decision_amendment_id'), ['amendment_id'], unique=False)
        batch_op.create_check_constraint(
            'one_subject', '(proposal_id IS NULL) <> (amendment_id IS NULL)'
        )
    if sqlite:
        _sqlite_decision_triggers(create=True)


def downgrade():
    # The decision record is append-only: decisions about amendments can be neither deleted
    # nor kept without amendment_id, so a database that has any cannot go back.
    recorded = op.get_bind().execute(
        sa.text('SELECT count(*) FROM decision WHERE amendment_id IS NOT NULL')
    ).scalar()
    if recorded:
        raise RuntimeError(
            f'{recorded} decisions record plan amendments; the decision record is append-only, '
            'so this database cannot be downgraded below 8c1f3e5a7b20'
        )
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        _sqlite_decision_triggers(create=False)
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_decision_one_subject'), type_='check')
        batch_op.drop_index(batch_op.f('ix_decision_amendment_id'))
        batch_op.drop_constraint(batch_op.f('fk_decision_via_amendment_id_amendment'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_decision_amendment_id_amendment'), type_='foreignkey')
        batch_op.alter_column('proposal_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('via_amendment_id')
        batch_op.drop_column('amendment_id')
    if sqlite:
        _sqlite_decision_triggers(create=True)
    with op.batch_alter_table('amendment_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendment_item_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_amendment_item_amendment_id'))
    op.drop_table('amendment_item')
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendment_plan_period_id'))
        batch_op.drop_index(batch_op.f('ix_amendment_organization_id'))
    op.drop_table('amendment')
